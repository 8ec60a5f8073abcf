//! The collector side of LuminaLog (spec §8 steps 3–7): one JSON batch in, decoded entries and
//! per-entry rejections out.
//!
//! Whole-request problems are a [`DecodeError`] carrying the HTTP status the collector answers;
//! a bad entry never fails the batch, it is skipped and reported as a [`Rejection`].

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::entry::EntryKind;
use crate::level::Level;
pub use crate::wire::decoded::DecodeError;
use crate::wire::decoded::{json_type, DecodedEntry};

/// What one request body decoded into.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedBatch {
    pub api_key: String,
    /// The valid entries, in the order they came.
    pub entries: Vec<DecodedEntry>,
    pub rejected: Vec<Rejection>,
}

/// An entry that failed validation and was skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Its position in the request's `logs` array.
    pub index: usize,
    pub reason: String,
}

/// Decodes an already-decompressed request body, accepting any non-empty API key.
pub fn decode_batch(body: &[u8]) -> Result<DecodedBatch, DecodeError> {
    decode_batch_with_keys(body, |_| true)
}

/// Decodes a body for a server with a key policy. The policy is consulted here rather than by
/// the caller afterwards because the spec orders the key check (401) before the `logs` check
/// (400): a request wrong in both ways must get 401.
pub fn decode_batch_with_keys(
    body: &[u8],
    key_accepted: impl Fn(&str) -> bool,
) -> Result<DecodedBatch, DecodeError> {
    let document: Value = serde_json::from_slice(body)
        .map_err(|e| DecodeError::bad_request(format!("body is not valid JSON: {e}")))?;
    let Value::Object(mut batch) = document else {
        return Err(DecodeError::bad_request(format!(
            "body must be a JSON object, not {}",
            json_type(&document)
        )));
    };

    let api_key = match batch.remove("api_key") {
        None | Some(Value::Null) => return Err(DecodeError::unauthorized("api_key is missing")),
        Some(Value::String(key)) if key.is_empty() => {
            return Err(DecodeError::unauthorized("api_key is empty"))
        }
        Some(Value::String(key)) => key,
        Some(other) => {
            return Err(DecodeError::unauthorized(format!(
                "api_key must be a string, not {}",
                json_type(&other)
            )))
        }
    };
    if !key_accepted(&api_key) {
        return Err(DecodeError::unauthorized(
            "api_key is not accepted by this collector",
        ));
    }

    let logs = match batch.remove("logs") {
        Some(Value::Array(logs)) => logs,
        None => return Err(DecodeError::bad_request("logs is missing")),
        Some(other) => {
            return Err(DecodeError::bad_request(format!(
                "logs must be an array, not {}",
                json_type(&other)
            )))
        }
    };

    let mut entries = Vec::with_capacity(logs.len());
    let mut rejected = Vec::new();
    for (index, value) in logs.into_iter().enumerate() {
        match decode_entry(value) {
            Ok(entry) => entries.push(entry),
            Err(reason) => rejected.push(Rejection { index, reason }),
        }
    }
    Ok(DecodedBatch {
        api_key,
        entries,
        rejected,
    })
}

/// The longest trace, span or parent span id accepted, in characters.
const MAX_ID_CHARS: usize = 128;

fn decode_entry(value: Value) -> Result<DecodedEntry, String> {
    let Value::Object(mut entry) = value else {
        return Err(format!(
            "entry must be an object, not {}",
            json_type(&value)
        ));
    };

    let message = take_required(&mut entry, "message", "a string", as_string)?;
    let level_name = take_required(&mut entry, "level", "a string", as_string)?;
    let level = Level::from_luminalog_name(&level_name).ok_or_else(|| {
        format!(
            "level {} is not one of debug, info, warn, error, fatal, panic",
            preview(&level_name)
        )
    })?;
    let raw_timestamp = take_required(&mut entry, "timestamp", "a string", as_string)?;
    let timestamp = normalize_timestamp(&raw_timestamp).ok_or_else(|| {
        format!(
            "timestamp {} is not an RFC 3339 date-time",
            preview(&raw_timestamp)
        )
    })?;

    let environment = take_optional(&mut entry, "environment", "a string", as_string)?;
    let project_id = take_optional(&mut entry, "project_id", "a string", as_string)?;
    let privacy_mode = take_optional(&mut entry, "privacy_mode", "a boolean", |v| v.as_bool())?;
    let metadata = take_optional(&mut entry, "metadata", "an object", as_object)?;
    let trace_id = take_id(&mut entry, "trace_id")?;
    let span_id = take_id(&mut entry, "span_id")?;
    let parent_span_id = take_id(&mut entry, "parent_span_id")?;
    let error = take_optional(&mut entry, "error", "an object", as_object)?;
    if let Some(error) = &error {
        check_error(error)?;
    }

    let mut attributes = metadata.unwrap_or_default();
    let (kind, details) = match take_carried_entry(&mut attributes) {
        Some((kind, details)) => (kind, Some(Value::Object(details))),
        None => (EntryKind::Log, None),
    };

    Ok(DecodedEntry {
        protocol: "luminalog".to_owned(),
        kind,
        level: level.number(),
        timestamp,
        message,
        attributes,
        environment,
        project_id,
        privacy_mode,
        error: error.map(Value::Object),
        trace_id,
        span_id,
        parent_span_id,
        details,
    })
}

/// Removes `key` from `entry`; absent or `null` is an error.
fn take_required<T>(
    entry: &mut Map<String, Value>,
    key: &str,
    expected: &str,
    convert: impl FnOnce(Value) -> Option<T>,
) -> Result<T, String> {
    take_optional(entry, key, expected, convert)?.ok_or_else(|| format!("{key} is missing"))
}

/// Removes `key` from `entry`; absent and `null` both mean "not given".
fn take_optional<T>(
    entry: &mut Map<String, Value>,
    key: &str,
    expected: &str,
    convert: impl FnOnce(Value) -> Option<T>,
) -> Result<Option<T>, String> {
    match entry.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => {
            let found = json_type(&value);
            convert(value)
                .map(Some)
                .ok_or_else(|| format!("{key} must be {expected}, not {found}"))
        }
    }
}

fn take_id(entry: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    let id = take_optional(entry, key, "a string", as_string)?;
    match &id {
        Some(id) if id.is_empty() => Err(format!("{key} is empty")),
        Some(id) if id.chars().count() > MAX_ID_CHARS => {
            Err(format!("{key} is longer than {MAX_ID_CHARS} characters"))
        }
        _ => Ok(id),
    }
}

/// The `error` member's own members are all optional, but typed when present.
fn check_error(error: &Map<String, Value>) -> Result<(), String> {
    let present = |key: &str| error.get(key).filter(|v| !v.is_null());
    for key in ["type", "message", "fingerprint"] {
        if let Some(value) = present(key) {
            if !value.is_string() {
                return Err(format!(
                    "error.{key} must be a string, not {}",
                    json_type(value)
                ));
            }
        }
    }
    if let Some(frames) = present("stack_trace") {
        let all_strings = frames
            .as_array()
            .is_some_and(|frames| frames.iter().all(Value::is_string));
        if !all_strings {
            return Err("error.stack_trace must be an array of strings".to_owned());
        }
    }
    if let Some(context) = present("context") {
        if !context.is_object() {
            return Err(format!(
                "error.context must be an object, not {}",
                json_type(context)
            ));
        }
    }
    Ok(())
}

/// A non-log ferrolog entry travels as a log entry with `metadata.ferrolog` (spec §5). When that
/// member names a known type and has the members ferrolog always sends for it, it is removed
/// from the attributes and returned as the kind and its details (the object less `type`).
/// Anything else stays an ordinary attribute, so nothing a sender wrote is lost.
fn take_carried_entry(
    attributes: &mut Map<String, Value>,
) -> Option<(EntryKind, Map<String, Value>)> {
    let Some(Value::Object(carried)) = attributes.get("ferrolog") else {
        return None;
    };
    let kind = carried_kind(carried)?;
    let Some(Value::Object(mut details)) = attributes.remove("ferrolog") else {
        return None;
    };
    details.remove("type");
    Some((kind, details))
}

fn carried_kind(carried: &Map<String, Value>) -> Option<EntryKind> {
    let (kind, strings): (EntryKind, &[&str]) = match carried.get("type")?.as_str()? {
        "event" => (EntryKind::Event, &["event"]),
        "metric" => (EntryKind::Metric, &["name", "kind"]),
        "trace" => (
            EntryKind::Trace,
            &["operation", "name", "start_time", "end_time", "status"],
        ),
        "audit" => (
            EntryKind::Audit,
            &["action", "actor", "resource", "resource_id", "outcome"],
        ),
        "telemetry" => (EntryKind::Telemetry, &["device_id"]),
        _ => return None,
    };
    let has = |key: &str, test: fn(&Value) -> bool| carried.get(key).is_some_and(test);
    let valid = strings.iter().all(|key| has(key, Value::is_string))
        && match kind {
            EntryKind::Metric => has("value", Value::is_number),
            EntryKind::Telemetry => has("readings", Value::is_array),
            _ => true,
        };
    valid.then_some(kind)
}

/// Parses an RFC 3339 / ISO 8601 extended date-time (0–9 fraction digits; `Z`, an offset, or no
/// zone meaning UTC) and writes it as UTC with exactly six fraction digits.
fn normalize_timestamp(text: &str) -> Option<String> {
    if !has_timestamp_shape(text.as_bytes()) {
        return None;
    }
    // The shape check guarantees ASCII, so byte 10 is the date/time separator; chrono's
    // formats want the upper-case forms of `T` and `Z`.
    let mut canonical = text.to_ascii_uppercase();
    canonical.replace_range(10..11, "T");
    let utc = if has_zone(canonical.as_bytes()) {
        DateTime::parse_from_str(&canonical, "%Y-%m-%dT%H:%M:%S%.f%#z")
            .ok()?
            .with_timezone(&Utc)
    } else {
        NaiveDateTime::parse_from_str(&canonical, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()?
            .and_utc()
    };
    Some(utc.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
}

/// The layout check chrono's lenient parsers leave to us: fixed-width fields, 1–9 fraction
/// digits after a dot, and a zone of `Z`, `±hh`, `±hhmm` or `±hh:mm`. Field ranges (month 13,
/// February 30) are chrono's to reject.
fn has_timestamp_shape(text: &[u8]) -> bool {
    const DATE_TIME: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    let Some((date_time, mut rest)) = text.split_at_checked(DATE_TIME.len()) else {
        return false;
    };
    let date_time_ok = date_time
        .iter()
        .zip(DATE_TIME)
        .all(|(&c, &pattern)| match pattern {
            b'd' => c.is_ascii_digit(),
            b'T' => matches!(c, b'T' | b't' | b' '),
            literal => c == literal,
        });
    if !date_time_ok {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return false;
        }
        rest = &fraction[digits..];
    }
    let all_digits = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_digit);
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => match zone {
            [_, _] | [_, _, _, _] => all_digits(zone),
            [h1, h2, b':', m1, m2] => all_digits(&[*h1, *h2, *m1, *m2]),
            _ => false,
        },
        _ => false,
    }
}

/// Whether a text that passed [`has_timestamp_shape`] names a zone.
fn has_zone(text: &[u8]) -> bool {
    text[19..]
        .iter()
        .any(|c| matches!(c, b'Z' | b'z' | b'+' | b'-'))
}

fn as_string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn as_object(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A quoted value for a rejection reason, cut short: reasons are shown to people and kept in
/// the collector's request log, so a megabyte-long bad level must not be copied into them.
fn preview(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(overrides: Value) -> Value {
        let mut base = json!({
            "timestamp": "2026-01-01T00:00:00.000000Z",
            "level": "info",
            "message": "hello",
            "environment": "default",
            "privacy_mode": false,
            "metadata": null
        });
        if let (Value::Object(base), Value::Object(overrides)) = (&mut base, overrides) {
            for (key, value) in overrides {
                base.insert(key, value);
            }
        }
        base
    }

    fn batch_of(entries: Vec<Value>) -> Vec<u8> {
        serde_json::to_vec(&json!({"api_key": "k", "logs": entries})).unwrap()
    }

    fn decode_one(overrides: Value) -> Result<DecodedEntry, String> {
        let mut batch = decode_batch(&batch_of(vec![entry(overrides)])).unwrap();
        match (batch.entries.pop(), batch.rejected.pop()) {
            (Some(entry), None) => Ok(entry),
            (None, Some(rejection)) => Err(rejection.reason),
            other => panic!("one entry must give one outcome: {other:?}"),
        }
    }

    #[test]
    fn sdk_style_body_decodes() {
        // What Python's json.dumps writes: spaced separators, \u escapes, no fraction when the
        // microsecond is 0, and the SDK's members only.
        let body = br#"{"api_key": "ll_test_key", "logs": [{"timestamp": "2026-03-15T14:30:45", "level": "INFO", "message": "caf\u00e9 \u2603 ready", "environment": "production", "privacy_mode": false, "metadata": {"user": "\u00fcser", "count": 3}}, {"timestamp": "2026-03-15T14:30:45.123456", "level": "error", "message": "boom", "environment": "production", "privacy_mode": true, "metadata": null, "error": {"type": "ValueError", "message": "bad", "stack_trace": ["  File \"app.py\", line 3, in main\n"], "context": null}}]}"#;
        let batch = decode_batch(body).unwrap();
        assert_eq!(batch.api_key, "ll_test_key");
        assert!(batch.rejected.is_empty(), "{:?}", batch.rejected);
        assert_eq!(batch.entries.len(), 2);

        let first = &batch.entries[0];
        assert_eq!(first.protocol, "luminalog");
        assert_eq!(first.kind, EntryKind::Log);
        assert_eq!(first.level, 7);
        assert_eq!(first.timestamp, "2026-03-15T14:30:45.000000Z");
        assert_eq!(first.message, "café ☃ ready");
        assert_eq!(first.attributes["user"], json!("üser"));
        assert_eq!(first.attributes["count"], json!(3));
        assert_eq!(first.environment.as_deref(), Some("production"));
        assert_eq!(first.privacy_mode, Some(false));
        assert_eq!(first.error, None);

        let second = &batch.entries[1];
        assert_eq!(second.kind, EntryKind::Log);
        assert_eq!(second.level, 4);
        assert_eq!(second.timestamp, "2026-03-15T14:30:45.123456Z");
        assert!(second.attributes.is_empty());
        assert_eq!(second.privacy_mode, Some(true));
        assert_eq!(second.error.as_ref().unwrap()["type"], json!("ValueError"));
    }

    #[test]
    fn unknown_level_is_rejected_and_the_others_kept() {
        let body = batch_of(vec![
            entry(json!({"message": "a", "level": "debug"})),
            entry(json!({"message": "b", "level": "verbose"})),
            entry(json!({"message": "c", "level": "Panic"})),
            entry(json!({"message": "d", "level": "notice"})),
        ]);
        let batch = decode_batch(&body).unwrap();
        let kept: Vec<(&str, u8)> = batch
            .entries
            .iter()
            .map(|e| (e.message.as_str(), e.level))
            .collect();
        assert_eq!(kept, [("a", 8), ("c", 1)]);
        let indexes: Vec<usize> = batch.rejected.iter().map(|r| r.index).collect();
        assert_eq!(indexes, [1, 3]);
        assert!(batch.rejected[0].reason.contains("\"verbose\""));
    }

    #[test]
    fn all_six_names_map_back() {
        let names = [
            ("debug", 8),
            ("info", 7),
            ("warn", 5),
            ("error", 4),
            ("fatal", 3),
            ("panic", 1),
        ];
        for (name, number) in names {
            assert_eq!(decode_one(json!({ "level": name })).unwrap().level, number);
        }
    }

    #[test]
    fn batch_level_errors_carry_their_status() {
        let cases: [(&[u8], u16); 9] = [
            (b"[1, 2]", 400),
            (b"\"text\"", 400),
            (b"{\"api_key\": ", 400),
            (b"", 400),
            (br#"{"logs": []}"#, 401),
            (br#"{"api_key": null, "logs": []}"#, 401),
            (br#"{"api_key": "", "logs": []}"#, 401),
            (br#"{"api_key": 42, "logs": []}"#, 401),
            (br#"{"api_key": "k", "logs": {}}"#, 400),
        ];
        for (body, status) in cases {
            let err = decode_batch(body).unwrap_err();
            assert_eq!(err.status, status, "{}", String::from_utf8_lossy(body));
            assert!(!err.message.is_empty());
            assert!(err.to_string().contains(&status.to_string()));
        }
        assert_eq!(
            decode_batch(br#"{"api_key": "k"}"#).unwrap_err().status,
            400
        );
    }

    #[test]
    fn empty_logs_is_a_valid_batch() {
        let batch = decode_batch(br#"{"api_key":"k","logs":[]}"#).unwrap();
        assert!(batch.entries.is_empty() && batch.rejected.is_empty());
    }

    #[test]
    fn key_policy_is_checked_before_logs() {
        let accept_only_good = |key: &str| key == "good";
        let err =
            decode_batch_with_keys(br#"{"api_key":"bad","logs":7}"#, accept_only_good).unwrap_err();
        assert_eq!(err.status, 401);
        let batch =
            decode_batch_with_keys(br#"{"api_key":"good","logs":[]}"#, accept_only_good).unwrap();
        assert_eq!(batch.api_key, "good");
    }

    #[test]
    fn timestamps_are_normalized_to_utc() {
        let cases = [
            ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000000Z"),
            ("2026-01-01T00:00:00", "2026-01-01T00:00:00.000000Z"),
            ("2026-01-01T00:00:00.5", "2026-01-01T00:00:00.500000Z"),
            (
                "2026-01-01t00:00:00.123456789z",
                "2026-01-01T00:00:00.123456Z",
            ),
            ("2026-01-01 10:00:00+02:00", "2026-01-01T08:00:00.000000Z"),
            ("2026-01-01T00:30:00+0530", "2025-12-31T19:00:00.000000Z"),
            ("2026-01-01T00:00:00.25-03", "2026-01-01T03:00:00.250000Z"),
            ("2025-12-31T23:00:00-01:00", "2026-01-01T00:00:00.000000Z"),
        ];
        for (given, expected) in cases {
            let decoded = decode_one(json!({ "timestamp": given }));
            assert_eq!(decoded.unwrap().timestamp, expected, "{given}");
        }
    }

    #[test]
    fn malformed_timestamps_are_rejected() {
        let bad = [
            "",
            "2026-01-01",
            "2026-01-01T00:00Z",
            "2026-1-01T00:00:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00.1234567891Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:00+5:00",
            "2026-01-01T00:00:00 Z",
            " 2026-01-01T00:00:00Z",
            "+2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z garbage",
            "2026-01-01T00:00:00+99:00",
            "２０２６-01-01T00:00:00Z",
        ];
        for given in bad {
            let reason = decode_one(json!({ "timestamp": given })).unwrap_err();
            assert!(reason.starts_with("timestamp"), "{given}: {reason}");
        }
        let reason = decode_one(json!({ "timestamp": 1767225600 })).unwrap_err();
        assert_eq!(reason, "timestamp must be a string, not a number");
    }

    #[test]
    fn required_members_must_be_present_strings() {
        for key in ["message", "level", "timestamp"] {
            let mut value = entry(json!({}));
            value.as_object_mut().unwrap().remove(key);
            let batch = decode_batch(&batch_of(vec![value])).unwrap();
            assert_eq!(batch.rejected[0].reason, format!("{key} is missing"));
            let reason = decode_one(json!({ key: null })).unwrap_err();
            assert_eq!(reason, format!("{key} is missing"));
        }
        assert!(decode_one(json!({"message": ["a"]})).is_err());
        let batch = decode_batch(&batch_of(vec![json!("text"), json!(null)])).unwrap();
        assert_eq!(batch.rejected.len(), 2);
        assert!(batch.rejected[0].reason.contains("must be an object"));
    }

    #[test]
    fn optional_members_are_type_checked_and_null_means_absent() {
        let wrong = [
            ("environment", json!(1)),
            ("project_id", json!(true)),
            ("privacy_mode", json!("false")),
            ("metadata", json!([1])),
            ("metadata", json!("k=v")),
            ("trace_id", json!(12)),
            ("span_id", json!("")),
            ("parent_span_id", json!("x".repeat(129))),
            ("error", json!("boom")),
            ("error", json!({"type": 1})),
            ("error", json!({"message": {}})),
            ("error", json!({"fingerprint": []})),
            ("error", json!({"stack_trace": "frame"})),
            ("error", json!({"stack_trace": ["frame", 3]})),
            ("error", json!({"context": "ctx"})),
        ];
        for (key, value) in wrong {
            let reason = decode_one(json!({ key: value.clone() })).unwrap_err();
            assert!(reason.contains(key), "{key}={value}: {reason}");
        }

        let nulls = decode_one(json!({
            "environment": null, "project_id": null, "privacy_mode": null, "metadata": null,
            "trace_id": null, "span_id": null, "parent_span_id": null, "error": null
        }))
        .unwrap();
        assert_eq!(
            (
                nulls.environment,
                nulls.project_id,
                nulls.privacy_mode,
                nulls.error
            ),
            (None, None, None, None)
        );
        let error_nulls = json!({"type": null, "message": null, "fingerprint": null,
                                 "stack_trace": null, "context": null});
        assert!(decode_one(json!({ "error": error_nulls })).is_ok());

        let bare = json!({"timestamp": "2026-01-01T00:00:00Z", "level": "warn", "message": "m",
                          "unknown_member": [1, 2]});
        let batch = decode_batch(&batch_of(vec![bare])).unwrap();
        assert_eq!(batch.entries[0].environment, None);
    }

    #[test]
    fn ids_and_project_are_kept() {
        let uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let long_ok = "é".repeat(128);
        let decoded = decode_one(json!({
            "project_id": "proj-1",
            "trace_id": uuid,
            "span_id": "00f067aa0ba902b7",
            "parent_span_id": long_ok,
        }))
        .unwrap();
        assert_eq!(decoded.project_id.as_deref(), Some("proj-1"));
        assert_eq!(decoded.trace_id.as_deref(), Some(uuid));
        assert_eq!(decoded.span_id.as_deref(), Some("00f067aa0ba902b7"));
        assert_eq!(decoded.parent_span_id.as_deref(), Some(long_ok.as_str()));
    }

    #[test]
    fn ferrolog_member_gives_kind_and_details() {
        let cases = [
            (
                EntryKind::Metric,
                json!({"type": "metric", "name": "latency", "value": 12.5, "unit": "ms", "kind": "gauge"}),
            ),
            (
                EntryKind::Event,
                json!({"type": "event", "event": "signup"}),
            ),
            (
                EntryKind::Trace,
                json!({"type": "trace", "operation": "db", "name": "select", "start_time": "2026-01-01T00:00:00Z",
                       "end_time": "2026-01-01T00:00:01Z", "duration_ms": 1000, "status": "ok"}),
            ),
            (
                EntryKind::Audit,
                json!({"type": "audit", "action": "delete", "actor": "u1", "resource": "doc",
                       "resource_id": "7", "outcome": "success"}),
            ),
            (
                EntryKind::Telemetry,
                json!({"type": "telemetry", "device_id": "d1", "readings": [{"name": "t", "value": 20}]}),
            ),
        ];
        for (kind, carried) in cases {
            let decoded = decode_one(json!({
                "metadata": {"ferrolog": carried.clone(), "region": "eu"}
            }))
            .unwrap();
            assert_eq!(decoded.kind, kind);
            let mut expected = carried.as_object().unwrap().clone();
            expected.remove("type");
            assert_eq!(decoded.details, Some(Value::Object(expected)));
            assert_eq!(decoded.attributes.len(), 1, "{kind:?}");
            assert_eq!(decoded.attributes["region"], json!("eu"));
        }
    }

    #[test]
    fn unusable_ferrolog_member_stays_an_attribute() {
        let cases = [
            json!({"type": "span"}),
            json!({"type": "metric", "name": "m", "kind": "counter"}),
            json!({"type": "metric", "name": "m", "value": "1", "kind": "counter"}),
            json!({"type": "event"}),
            json!({"event": "x"}),
            json!("metric"),
        ];
        for carried in cases {
            let decoded = decode_one(json!({"metadata": {"ferrolog": carried.clone()}})).unwrap();
            assert_eq!(decoded.kind, EntryKind::Log, "{carried}");
            assert_eq!(decoded.details, None);
            assert_eq!(decoded.attributes["ferrolog"], carried);
        }
    }

    #[test]
    fn captured_error_is_a_log_with_error() {
        let error = json!({"type": "KeyError", "message": "'id'", "stack_trace": [], "context": {"a": "1"}});
        let decoded = decode_one(json!({"level": "error", "error": error.clone()})).unwrap();
        assert_eq!(decoded.kind, EntryKind::Log);
        assert_eq!(decoded.error, Some(error));
    }

    #[test]
    fn reasons_do_not_copy_huge_values() {
        let reason = decode_one(json!({"level": "v".repeat(100_000)})).unwrap_err();
        assert!(reason.len() < 200, "{}", reason.len());
    }
}
