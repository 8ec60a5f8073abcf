//! An opened part's JSON (spec §7, schema "2.0") as the collector's one entry view, checked as
//! spec §12 step 7 says: `invalid_json` when it is not a JSON object, `validation_error` when
//! a member is missing, mistyped or over a §2 limit.
//!
//! The type-specific members become `details`, as LuminaLog's carried members do, so one entry
//! reads the same whichever protocol brought it: the name-like member is also the message, span
//! ids move to their own fields, and a log's captured-error members form `error`.

use std::fmt;

use chrono::{DateTime, Utc};
use ferrolog::entry::EntryKind;
use ferrolog::wire::decoded::DecodedEntry;
use ferrolog::wire::logflux::part::DecodedPart;
use serde_json::{Map, Value};

/// Spec §2 limits, which the collector enforces by refusing the entry.
const MAX_ATTRIBUTES: usize = 50;
const MAX_ATTRIBUTE_KEY_CHARS: usize = 64;
const MAX_VALUE_CHARS: usize = 256;

/// The level of an entry that does not say (spec §12 step 7).
const DEFAULT_LEVEL: u8 = 7;

/// Why a payload failed its part.
#[derive(Debug, PartialEq, Eq)]
pub struct PayloadError {
    /// `invalid_json` or `validation_error`.
    pub code: &'static str,
    detail: String,
}

impl PayloadError {
    fn invalid(detail: impl Into<String>) -> PayloadError {
        PayloadError {
            code: "validation_error",
            detail: detail.into(),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

/// What a member's value must be.
#[derive(Clone, Copy)]
enum Shape {
    Text,
    Number,
    /// A non-negative integer.
    Count,
    /// An integer 1–8.
    Level,
    /// Lowercase or uppercase hex of this many digits.
    Hex(usize),
    /// An object whose values are all strings.
    Strings,
    /// An array of objects, each with these members.
    Objects(&'static [Member]),
}

impl Shape {
    fn accepts(self, value: &Value) -> Result<(), String> {
        let ok = match self {
            Shape::Text => value.is_string(),
            Shape::Number => value.is_number(),
            Shape::Count => value.is_u64(),
            Shape::Level => value.as_u64().is_some_and(|n| (1..=8).contains(&n)),
            Shape::Hex(digits) => value
                .as_str()
                .is_some_and(|s| s.len() == digits && s.bytes().all(|b| b.is_ascii_hexdigit())),
            Shape::Strings => value
                .as_object()
                .is_some_and(|map| map.values().all(Value::is_string)),
            Shape::Objects(members) => {
                let Some(items) = value.as_array() else {
                    return Err("must be an array of objects".to_owned());
                };
                for (index, item) in items.iter().enumerate() {
                    let item = item
                        .as_object()
                        .ok_or_else(|| format!("item {index} is not an object"))?;
                    check(item, members).map_err(|why| format!("item {index}: {why}"))?;
                }
                true
            }
        };
        ok.then_some(())
            .ok_or_else(|| format!("must be {}", self.expected()))
    }

    fn expected(self) -> String {
        match self {
            Shape::Text => "a string".to_owned(),
            Shape::Number => "a number".to_owned(),
            Shape::Count => "a non-negative integer".to_owned(),
            Shape::Level => "an integer from 1 to 8".to_owned(),
            Shape::Hex(digits) => format!("{digits} hex digits"),
            Shape::Strings => "an object of strings".to_owned(),
            Shape::Objects(_) => "an array of objects".to_owned(),
        }
    }
}

/// One member of the schema; `null` counts as absent, as encoders omit empty members.
struct Member {
    name: &'static str,
    /// The name some public SDKs use instead (spec §7); `name` wins when both are there.
    alias: Option<&'static str>,
    shape: Shape,
    required: bool,
}

const fn required(name: &'static str, shape: Shape) -> Member {
    Member {
        name,
        alias: None,
        shape,
        required: true,
    }
}

const fn optional(name: &'static str, shape: Shape) -> Member {
    Member {
        required: false,
        ..required(name, shape)
    }
}

const fn aliased(member: Member, alias: &'static str) -> Member {
    Member {
        alias: Some(alias),
        ..member
    }
}

const COMMON: &[Member] = &[
    required("v", Shape::Text),
    required("type", Shape::Text),
    required("source", Shape::Text),
    optional("level", Shape::Level),
    required("ts", Shape::Text),
    optional("attributes", Shape::Strings),
    optional("meta", Shape::Strings),
];

const LOG: &[Member] = &[
    required("message", Shape::Text),
    optional("logger", Shape::Text),
    optional("error_type", Shape::Text),
    optional("error_chain", Shape::Objects(CAUSE)),
    optional("stack_trace", Shape::Objects(FRAME)),
    optional("breadcrumbs", Shape::Objects(BREADCRUMB)),
];

const CAUSE: &[Member] = &[
    required("type", Shape::Text),
    required("message", Shape::Text),
];

const FRAME: &[Member] = &[
    required("function", Shape::Text),
    required("file", Shape::Text),
    required("line", Shape::Count),
];

const BREADCRUMB: &[Member] = &[
    required("timestamp", Shape::Text),
    optional("category", Shape::Text),
    required("message", Shape::Text),
    optional("level", Shape::Text),
    optional("data", Shape::Strings),
];

const METRIC: &[Member] = &[
    required("name", Shape::Text),
    required("value", Shape::Number),
    optional("unit", Shape::Text),
    aliased(required("kind", Shape::Text), "metric_type"),
];

const SPAN: &[Member] = &[
    required("trace_id", Shape::Hex(32)),
    required("span_id", Shape::Hex(16)),
    optional("parent_span_id", Shape::Hex(16)),
    required("operation", Shape::Text),
    aliased(required("name", Shape::Text), "description"),
    required("start_time", Shape::Text),
    required("end_time", Shape::Text),
    optional("duration_ms", Shape::Count),
    required("status", Shape::Text),
];

const EVENT: &[Member] = &[required("event", Shape::Text)];

const AUDIT: &[Member] = &[
    required("action", Shape::Text),
    required("actor", Shape::Text),
    optional("actor_type", Shape::Text),
    required("resource", Shape::Text),
    required("resource_id", Shape::Text),
    optional("outcome", Shape::Text),
];

const READING: &[Member] = &[
    required("name", Shape::Text),
    required("value", Shape::Number),
    optional("unit", Shape::Text),
];

const TELEMETRY: &[Member] = &[
    required("device_id", Shape::Text),
    required("readings", Shape::Objects(READING)),
];

/// A kind's members and the one that names the entry (its message).
fn schema(kind: EntryKind) -> (&'static [Member], &'static str) {
    match kind {
        EntryKind::Log => (LOG, "message"),
        EntryKind::Metric => (METRIC, "name"),
        EntryKind::Trace => (SPAN, "name"),
        EntryKind::Event => (EVENT, "event"),
        EntryKind::Audit => (AUDIT, "action"),
        EntryKind::Telemetry | EntryKind::TelemetryManaged => (TELEMETRY, "device_id"),
    }
}

/// The log members that describe a captured error, and their names in `error`.
const ERROR_MEMBERS: [(&str, &str); 4] = [
    ("error_type", "type"),
    ("error_chain", "error_chain"),
    ("stack_trace", "stack_trace"),
    ("breadcrumbs", "breadcrumbs"),
];

/// Decodes one opened part. The entry-type header decides the kind; `type` is not
/// cross-checked (spec §12 step 7).
pub fn decode(part: &DecodedPart) -> Result<DecodedEntry, PayloadError> {
    let payload = match serde_json::from_slice(&part.json) {
        Ok(Value::Object(payload)) => payload,
        _ => {
            return Err(PayloadError {
                code: "invalid_json",
                detail: "the payload is not a JSON object".to_owned(),
            })
        }
    };
    let (members, name_member) = schema(part.kind);
    check(&payload, COMMON).map_err(PayloadError::invalid)?;
    check(&payload, members).map_err(PayloadError::invalid)?;
    let common = select(&payload, COMMON);
    let text = |name: &str| common.get(name).and_then(Value::as_str);

    let source = text("source").unwrap_or_default();
    if source.chars().count() > MAX_VALUE_CHARS {
        return Err(PayloadError::invalid(format!(
            "source is longer than {MAX_VALUE_CHARS} characters"
        )));
    }
    let mut attributes = strings(&common, "attributes");
    check_attribute_limits(&attributes).map_err(PayloadError::invalid)?;
    let raw_ts = text("ts").unwrap_or_default();
    let timestamp = utc_micros(raw_ts)
        .ok_or_else(|| PayloadError::invalid(format!("ts {raw_ts:?} is not RFC 3339")))?;
    let level = common
        .get("level")
        .and_then(Value::as_u64)
        .and_then(|n| u8::try_from(n).ok())
        .unwrap_or(DEFAULT_LEVEL);
    let meta = strings(&common, "meta");

    let mut details = select(&payload, members);
    let message = details
        .get(name_member)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut take_text = |name: &str| match details.remove(name) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    };
    let (mut trace_id, mut span_id, parent_span_id) = (
        take_text("trace_id"),
        take_text("span_id"),
        take_text("parent_span_id"),
    );
    // An entry logged under a span names it in attributes (the payload has members for a
    // span's own ids only); the entry view keeps them where every protocol puts them.
    if trace_id.is_none() {
        if let Some((trace, span)) = logged_under_span(&mut attributes) {
            (trace_id, span_id) = (Some(trace), Some(span));
        }
    }
    let error = match part.kind {
        EntryKind::Log => {
            details.remove("message");
            take_error(&mut details, &message)
        }
        EntryKind::Audit => {
            // Absent in the Java SDK's audits; every other SDK defaults it to this.
            details
                .entry("outcome")
                .or_insert_with(|| Value::from("success"));
            None
        }
        _ => None,
    };

    // What the entry view has no field for is kept beside the type's members.
    details.insert("source".to_owned(), Value::from(source));
    let extras = [
        ("release", meta.get("release").cloned()),
        ("timestamp_header", part.timestamp.clone().map(Value::from)),
        ("search_tokens", part.search_tokens.clone().map(Value::from)),
    ];
    for (name, value) in extras {
        if let Some(value) = value {
            details.insert(name.to_owned(), value);
        }
    }

    Ok(DecodedEntry {
        protocol: "logflux".to_owned(),
        kind: part.kind,
        level,
        timestamp,
        message,
        attributes,
        environment: meta
            .get("environment")
            .and_then(Value::as_str)
            .map(str::to_owned),
        project_id: None,
        privacy_mode: None,
        error,
        trace_id,
        span_id,
        parent_span_id,
        details: Some(Value::Object(details)),
    })
}

/// Removes and returns the `trace_id` and `span_id` attributes when both are lowercase hex ids
/// of 16 and 8 bytes.
fn logged_under_span(attributes: &mut Map<String, Value>) -> Option<(String, String)> {
    let id = |name: &str, len: usize| {
        attributes
            .get(name)
            .and_then(Value::as_str)
            .filter(|text| {
                text.len() == len
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            })
            .map(str::to_owned)
    };
    let ids = (id("trace_id", 32)?, id("span_id", 16)?);
    attributes.remove("trace_id");
    attributes.remove("span_id");
    Some(ids)
}

fn present<'a>(object: &'a Map<String, Value>, member: &Member) -> Option<&'a Value> {
    let get = |name: &str| object.get(name).filter(|value| !value.is_null());
    get(member.name).or_else(|| member.alias.and_then(get))
}

/// Checks `object` against `members`; members it does not list are ignored.
fn check(object: &Map<String, Value>, members: &[Member]) -> Result<(), String> {
    for member in members {
        match present(object, member) {
            Some(value) => member
                .shape
                .accepts(value)
                .map_err(|why| format!("{} {why}", member.name))?,
            None if member.required => return Err(format!("{} is missing", member.name)),
            None => {}
        }
    }
    Ok(())
}

/// The members `object` has, under their own names (not their aliases).
fn select(object: &Map<String, Value>, members: &[Member]) -> Map<String, Value> {
    members
        .iter()
        .filter_map(|member| Some((member.name.to_owned(), present(object, member)?.clone())))
        .collect()
}

/// A checked [`Shape::Strings`] member, empty when absent.
fn strings(common: &Map<String, Value>, name: &str) -> Map<String, Value> {
    match common.get(name) {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    }
}

fn check_attribute_limits(attributes: &Map<String, Value>) -> Result<(), String> {
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(format!("more than {MAX_ATTRIBUTES} attributes"));
    }
    for (key, value) in attributes {
        if key.chars().count() > MAX_ATTRIBUTE_KEY_CHARS {
            return Err(format!(
                "attribute key longer than {MAX_ATTRIBUTE_KEY_CHARS} characters"
            ));
        }
        if value.as_str().unwrap_or_default().chars().count() > MAX_VALUE_CHARS {
            return Err(format!(
                "attribute {key:?} is longer than {MAX_VALUE_CHARS} characters"
            ));
        }
    }
    Ok(())
}

/// Moves a log's captured-error members into one `error` object, as LuminaLog's `error`.
fn take_error(details: &mut Map<String, Value>, message: &str) -> Option<Value> {
    let mut error: Map<String, Value> = ERROR_MEMBERS
        .iter()
        .filter_map(|(from, to)| Some(((*to).to_owned(), details.remove(*from)?)))
        .collect();
    if error.is_empty() {
        return None;
    }
    error.insert("message".to_owned(), Value::from(message));
    Some(Value::Object(error))
}

/// RFC 3339 as the entry view writes timestamps: UTC with six fraction digits.
fn utc_micros(text: &str) -> Option<String> {
    let parsed = DateTime::parse_from_rfc3339(text).ok()?;
    Some(
        parsed
            .with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use ferrolog::wire::logflux::part::PayloadType;
    use serde_json::json;

    use super::*;

    fn part(kind: EntryKind, payload: Value) -> DecodedPart {
        DecodedPart {
            kind,
            payload_type: PayloadType::Encrypted,
            key_id: None,
            timestamp: Some("2026-01-01T00:00:00Z".to_owned()),
            search_tokens: None,
            json: payload.to_string().into_bytes(),
        }
    }

    fn with_common(kind: &str, members: Value) -> Value {
        let mut payload = json!({"v": "2.0", "type": kind, "source": "svc",
                                 "ts": "2026-01-01T01:00:00.5+01:00"});
        for (name, value) in members.as_object().unwrap() {
            payload[name] = value.clone();
        }
        payload
    }

    #[test]
    fn a_log_under_a_span_keeps_its_ids_in_the_entry_view() {
        let under = json!({"message": "m", "attributes": {
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7",
            "user": "7"}});
        let entry = decode_as(EntryKind::Log, "log", under).unwrap();
        assert_eq!(
            entry.trace_id.as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(entry.span_id.as_deref(), Some("00f067aa0ba902b7"));
        assert_eq!(Value::Object(entry.attributes), json!({"user": "7"}));
        let not_ids = json!({"message": "m", "attributes": {"trace_id": "abc", "span_id": "x"}});
        let entry = decode_as(EntryKind::Log, "log", not_ids).unwrap();
        assert_eq!((entry.trace_id, entry.attributes.len()), (None, 2));
    }

    fn decode_as(kind: EntryKind, type_name: &str, members: Value) -> Result<DecodedEntry, String> {
        decode(&part(kind, with_common(type_name, members))).map_err(|e| e.to_string())
    }

    #[test]
    fn common_members_fill_the_entry() {
        let entry = decode_as(
            EntryKind::Log,
            "log",
            json!({"message": "hi", "logger": "app", "attributes": {"user": "42"},
                   "meta": {"environment": "prod", "release": "1.2"}}),
        )
        .unwrap();
        assert_eq!(entry.protocol, "logflux");
        assert_eq!(entry.level, DEFAULT_LEVEL);
        assert_eq!(entry.timestamp, "2026-01-01T00:00:00.500000Z");
        assert_eq!(entry.message, "hi");
        assert_eq!(entry.attributes["user"], "42");
        assert_eq!(entry.environment.as_deref(), Some("prod"));
        assert_eq!(entry.error, None);
        assert_eq!(
            entry.details,
            Some(json!({"logger": "app", "source": "svc", "release": "1.2",
                        "timestamp_header": "2026-01-01T00:00:00Z"}))
        );
    }

    #[test]
    fn aliases_and_defaults() {
        let metric = decode_as(
            EntryKind::Metric,
            "metric",
            json!({"name": "m", "value": 1, "metric_type": "gauge"}),
        )
        .unwrap();
        assert_eq!(metric.details.unwrap()["kind"], "gauge");
        let both = decode_as(
            EntryKind::Metric,
            "metric",
            json!({"name": "m", "value": 1, "kind": "counter", "metric_type": "gauge"}),
        )
        .unwrap();
        assert_eq!(both.details.unwrap()["kind"], "counter");

        let span = decode_as(
            EntryKind::Trace,
            "trace",
            json!({"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7",
                   "operation": "db", "description": "select", "start_time": "a",
                   "end_time": "b", "status": "ok"}),
        )
        .unwrap();
        assert_eq!(span.message, "select");
        assert_eq!(span.details.unwrap()["name"], "select");

        let audit = decode_as(
            EntryKind::Audit,
            "audit",
            json!({"action": "delete", "actor": "u", "resource": "doc", "resource_id": "7",
                   "error_message": "ignored"}),
        )
        .unwrap();
        let details = audit.details.unwrap();
        assert_eq!(details["outcome"], "success");
        assert_eq!(details.get("error_message"), None);
    }

    #[test]
    fn captured_errors_become_error() {
        let entry = decode_as(
            EntryKind::Log,
            "log",
            json!({"level": 4, "message": "boom", "error_type": "io::Error",
                   "stack_trace": [{"function": "main", "file": "a.rs", "line": 3}]}),
        )
        .unwrap();
        assert_eq!(entry.level, 4);
        assert_eq!(
            entry.error,
            Some(json!({"type": "io::Error", "message": "boom",
                        "stack_trace": [{"function": "main", "file": "a.rs", "line": 3}]}))
        );
        assert_eq!(entry.details.unwrap().get("error_type"), None);
    }

    #[test]
    fn schema_violations_are_validation_errors() {
        let long = "x".repeat(257);
        let many: Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        let cases = [
            json!({"message": "m", "level": 0}),
            json!({"message": "m", "level": 9}),
            json!({"message": "m", "level": "info"}),
            json!({"message": 5}),
            json!({"message": "m", "ts": "yesterday"}),
            json!({"message": "m", "ts": null}),
            json!({"message": "m", "source": long}),
            json!({"message": "m", "attributes": {"k": 3}}),
            json!({"message": "m", "attributes": {"k": long}}),
            json!({"message": "m", "attributes": {"k".repeat(65): "v"}}),
            json!({"message": "m", "attributes": many}),
            json!({"message": "m", "stack_trace": ["frame"]}),
            json!({"message": "m", "stack_trace": [{"function": "f", "file": "a.rs"}]}),
            json!({"message": "m", "error_chain": [{"type": "E", "message": 1}]}),
            json!({"message": "m", "breadcrumbs": [{"timestamp": "t", "message": "m", "data": {"k": 1}}]}),
        ];
        for members in cases {
            let err = decode_as(EntryKind::Log, "log", members.clone()).unwrap_err();
            assert!(err.starts_with("validation_error: "), "{members}: {err}");
        }
        let bad_readings = json!({"device_id": "d", "readings": [{"name": "t", "value": "hot"}]});
        let err = decode_as(EntryKind::Telemetry, "telemetry", bad_readings).unwrap_err();
        assert!(
            err.contains("readings item 0: value must be a number"),
            "{err}"
        );
        let bad_span = json!({"trace_id": "abc", "span_id": "00f067aa0ba902b7", "operation": "o",
                              "name": "n", "start_time": "a", "end_time": "b", "status": "ok"});
        assert!(decode_as(EntryKind::Trace, "trace", bad_span).is_err());
    }

    #[test]
    fn non_objects_are_invalid_json() {
        for json in [&b"[1]"[..], b"not json", b""] {
            let part = DecodedPart {
                json: json.to_vec(),
                ..part(EntryKind::Log, json!({}))
            };
            assert_eq!(decode(&part).unwrap_err().code, "invalid_json");
        }
    }
}
