//! The v2.0 payload JSON of one entry (spec §7), with the attribute limits of §2 and §10
//! applied while writing: never by rejecting the entry, always counted.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use smallvec::SmallVec;

use crate::entry::{last_of_each_key, Attributes, EntryKind, PairValue, Record};
use crate::wire::members::{type_name, write_members, SpanIds};

const MAX_ATTRIBUTES: usize = 50;
const MAX_KEY_CHARS: usize = 64;
const MAX_VALUE_CHARS: usize = 256;
const MAX_SOURCE_CHARS: usize = 256;

/// The attributes naming the span an entry was logged under.
const TRACE_ID: &str = "trace_id";
const SPAN_ID: &str = "span_id";

/// What every entry of a client carries besides its own content.
pub struct Common {
    /// The configured source, else the node name, else empty (§7).
    pub source: String,
    pub environment: Option<String>,
    pub release: Option<String>,
}

/// What fitting an entry to the limits cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adjustments {
    pub attributes_dropped: u64,
    pub values_truncated: u64,
}

/// Appends `record`'s v2.0 payload to `out`, a buffer the caller reuses across entries.
/// `timestamp` is the record's `ts` text, which the caller also needs for `X-LF-Timestamp`.
pub fn write_payload(
    record: &Record,
    common: &Common,
    timestamp: &str,
    adjustments: &mut Adjustments,
    out: &mut Vec<u8>,
) {
    let (source, source_cut) = truncate(&common.source, MAX_SOURCE_CHARS);
    adjustments.values_truncated += u64::from(source_cut);
    // JSON attributes are parsed here, on the worker; the map must outlive the borrowed view.
    let parsed;
    let merged = match record.attributes() {
        Attributes::Json => {
            parsed = record.merged_attributes();
            Merged::from_map(&parsed)
        }
        _ => Merged::of_pairs(record),
    };
    let merged = match record.context.trace() {
        // The payload has no trace members but a span's own (§7): an entry logged under a
        // span names it in attributes, unless the caller set those already.
        Some(trace) if record.kind() != EntryKind::Trace => merged
            .with_default(TRACE_ID, trace.trace_id.to_string())
            .with_default(SPAN_ID, trace.span_id.to_string()),
        _ => merged,
    };
    let payload = Payload {
        record,
        common,
        source,
        timestamp,
        attributes: merged.limited(adjustments),
    };
    // Strings, numbers and maps serialize into a Vec without fail.
    let _ = payload.serialize(&mut serde_json::Serializer::new(out));
}

/// An attribute's text as LogFlux sends it: borrowed from the record or its context when it
/// is a string, the compact JSON of any other value.
type Text<'a> = Cow<'a, str>;

/// Attributes of one entry, borrowed where they sit: most entries have a handful, so they
/// stay on the stack.
struct Merged<'a>(SmallVec<[(&'a str, Option<Text<'a>>); 8]>);

impl<'a> Merged<'a> {
    /// Already merged and in bytewise key order (a serde_json map is a B-tree).
    fn from_map(map: &'a Map<String, Value>) -> Merged<'a> {
        Merged(map.iter().map(|(k, v)| (k.as_str(), text(v))).collect())
    }

    /// The logger's context attributes with the record's own pairs on top, as
    /// [`Record::merged_attributes`] has them, without building that map.
    fn of_pairs(record: &'a Record) -> Merged<'a> {
        let context = record.context.attributes();
        let all: SmallVec<[(&'a str, Option<Text<'a>>); 8]> = context
            .iter()
            .map(|(k, v)| (k.as_str(), text(v)))
            .chain(record.pairs().map(|(k, v)| (k, pair_text(v))))
            .collect();
        Merged(last_of_each_key(all))
    }

    /// Adds `key` in its place in key order, unless it is there already.
    fn with_default(mut self, key: &'a str, value: String) -> Merged<'a> {
        if let Err(at) = self.0.binary_search_by(|(k, _)| (*k).cmp(key)) {
            self.0.insert(at, (key, Some(Cow::Owned(value))));
        }
        self
    }

    /// Keys 1–64 chars, at most 50 in bytewise key order (the order they are already in,
    /// which is the order §10 keeps), values cut to 256 chars; nulls left out.
    fn limited(self, adjustments: &mut Adjustments) -> Merged<'a> {
        let mut kept = SmallVec::new();
        for (key, value) in self.0 {
            // Omitted by the format (§7), not dropped by a limit.
            let Some(value) = value else { continue };
            let key_chars = key.chars().count();
            if key_chars == 0 || key_chars > MAX_KEY_CHARS || kept.len() == MAX_ATTRIBUTES {
                adjustments.attributes_dropped += 1;
                continue;
            }
            let value = match value {
                Cow::Borrowed(text) => {
                    let (cut, was_cut) = truncate(text, MAX_VALUE_CHARS);
                    adjustments.values_truncated += u64::from(was_cut);
                    Cow::Borrowed(cut)
                }
                Cow::Owned(text) => {
                    let (cut, was_cut) = truncate(&text, MAX_VALUE_CHARS);
                    adjustments.values_truncated += u64::from(was_cut);
                    Cow::Owned(cut.to_owned())
                }
            };
            kept.push((key, Some(value)));
        }
        Merged(kept)
    }
}

impl Serialize for Merged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().filter_map(|(k, v)| Some((k, v.as_deref()?))))
    }
}

/// A value's attribute text; `None` for null.
fn text(value: &Value) -> Option<Text<'_>> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(Cow::Borrowed(text)),
        other => Some(Cow::Owned(other.to_string())),
    }
}

/// As [`text`], for a record's own pair.
fn pair_text(value: PairValue<'_>) -> Option<Text<'_>> {
    match value {
        PairValue::Literal("null") => None,
        value => Some(Cow::Borrowed(value.as_text())),
    }
}

struct Payload<'a> {
    record: &'a Record,
    common: &'a Common,
    source: &'a str,
    timestamp: &'a str,
    attributes: Merged<'a>,
}

impl Serialize for Payload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.record;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("v", "2.0")?;
        map.serialize_entry("type", type_name(record.kind()))?;
        map.serialize_entry("source", self.source)?;
        map.serialize_entry("level", &record.level.number())?;
        map.serialize_entry("ts", self.timestamp)?;
        if !self.attributes.0.is_empty() {
            map.serialize_entry("attributes", &self.attributes)?;
        }
        if self.common.environment.is_some() || self.common.release.is_some() {
            map.serialize_entry("meta", &Meta(self.common))?;
        }
        if record.payload().is_none() {
            map.serialize_entry("message", record.message())?;
        }
        write_members(record, SpanIds::Inline, &mut map)?;
        map.end()
    }
}

/// `meta`: `environment?` then `release?`.
struct Meta<'a>(&'a Common);

impl Serialize for Meta<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let members = [
            ("environment", &self.0.environment),
            ("release", &self.0.release),
        ];
        serializer.collect_map(
            members
                .into_iter()
                .filter_map(|(key, value)| Some((key, value.as_deref()?))),
        )
    }
}

/// The first `max` characters of `text`, and whether anything was cut.
fn truncate(text: &str, max: usize) -> (&str, bool) {
    match text.char_indices().nth(max) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::entry::{MetricKind, Payload as EntryPayload, Scalar};
    use crate::level::Level;
    use crate::wire::rfc3339_trimmed;
    use std::sync::Arc;

    const TS: u64 = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z

    fn common() -> Common {
        Common {
            source: "api".into(),
            environment: Some("prod".into()),
            release: None,
        }
    }

    fn record(level: Level, message: &str, json: &str) -> Record {
        let mut record =
            Record::with_json(level, message, json, Arc::new(Context::default())).unwrap();
        record.timestamp_ns = TS;
        record
    }

    fn payload_json(record: &Record, common: &Common, adjustments: &mut Adjustments) -> Vec<u8> {
        let mut out = b"kept".to_vec();
        let timestamp = rfc3339_trimmed(record.timestamp_ns);
        write_payload(record, common, &timestamp, adjustments, &mut out);
        assert!(out.starts_with(b"kept"), "appended, not overwritten");
        out.split_off(4)
    }

    fn encode(record: &Record) -> (String, Adjustments) {
        let mut adjustments = Adjustments::default();
        let json = payload_json(record, &common(), &mut adjustments);
        (String::from_utf8(json).unwrap(), adjustments)
    }

    #[test]
    fn a_log_has_the_common_members_then_its_message() {
        let (json, adjustments) = encode(&record(
            Level::Warning,
            "disk low",
            r#"{"b":2,"a":"x","n":null}"#,
        ));
        assert_eq!(
            json,
            r#"{"v":"2.0","type":"log","source":"api","level":5,"ts":"2026-01-01T00:00:00Z","attributes":{"a":"x","b":"2"},"meta":{"environment":"prod"},"message":"disk low"}"#
        );
        assert_eq!(
            adjustments,
            Adjustments::default(),
            "a null is omitted, not dropped"
        );
    }

    #[test]
    fn pairs_over_context_match_the_merged_map() {
        let context = Context::new(
            serde_json::json!({"zone": "eu", "user": "ctx", "n": 3, "gone": null, "list": [1, 2]})
                .as_object()
                .unwrap()
                .clone(),
        );
        let pairs = [
            ("user", "first"),
            ("b", "x"),
            ("user", "last"),
            ("", "no key"),
        ];
        let mut record =
            Record::with_pairs(Level::Info, "m", pairs.into_iter(), Arc::new(context)).unwrap();
        record.timestamp_ns = TS;
        let (json, adjustments) = encode(&record);
        let payload: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            payload["attributes"],
            serde_json::json!({"b": "x", "list": "[1,2]", "n": "3", "user": "last", "zone": "eu"})
        );
        let keys: Vec<&String> = payload["attributes"].as_object().unwrap().keys().collect();
        let json_order: Vec<usize> = keys
            .iter()
            .map(|k| json.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(json_order.windows(2).all(|w| w[0] < w[1]), "sorted: {json}");
        assert_eq!(adjustments.attributes_dropped, 1, "the empty key");

        let mut as_json = record_of_map(record.merged_attributes());
        as_json.timestamp_ns = TS;
        assert_eq!(encode(&as_json), (json, adjustments), "both paths agree");
    }

    #[test]
    fn scalar_pairs_travel_as_their_json_object_would() {
        let pairs = [
            (&b"n"[..], Scalar::Int(-7)),
            (b"f", Scalar::Float(1.5)),
            (b"ok", Scalar::Bool(false)),
            (b"gone", Scalar::Null),
            (b"s", Scalar::Text(b"plain")),
        ];
        let mut record =
            Record::with_utf8_scalars(Level::Info, b"m", pairs.into_iter(), Arc::default())
                .unwrap();
        record.timestamp_ns = TS;
        let (json, _) = encode(&record);
        let payload: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            payload["attributes"],
            serde_json::json!({"f": "1.5", "n": "-7", "ok": "false", "s": "plain"}),
            "numbers and bools as their JSON, null left out"
        );
        let mut as_json = record_of_map(record.merged_attributes());
        as_json.timestamp_ns = TS;
        assert_eq!(encode(&as_json).0, json, "both paths agree");
    }

    #[test]
    fn json_values_travel_in_one_spelling_whoever_wrote_them() {
        // As Go, Python, Node or a C caller might spell the same values.
        let spellings = [
            r#"{"big":1e21,"f":1.5,"list":[1,2],"esc":"a\"b","s":"plain","x":{"k":true}}"#,
            r#"{"big":1e+21,"f":1.50,"list":[ 1, 2 ],"esc":"a\u0022b","s":"plain","x":{ "k" : true }}"#,
            r#"{ "big" : 1E21 , "f" : 15e-1 , "list" : [1 ,2] , "esc" : "a\"b" , "s" : "pl\u0061in" , "x" : {"k":true} }"#,
        ];
        let encoded: Vec<String> = spellings
            .iter()
            .map(|json| encode(&record(Level::Info, "m", json)).0)
            .collect();
        let payload: Value = serde_json::from_str(&encoded[0]).unwrap();
        assert_eq!(
            payload["attributes"],
            serde_json::json!({"big": "1e+21", "esc": "a\"b", "f": "1.5", "list": "[1,2]", "s": "plain", "x": "{\"k\":true}"})
        );
        assert!(
            encoded.iter().all(|json| *json == encoded[0]),
            "{encoded:#?}"
        );
    }

    fn record_of_map(map: Map<String, Value>) -> Record {
        Record::with_json(
            Level::Info,
            "m",
            &Value::Object(map).to_string(),
            Arc::new(Context::default()),
        )
        .unwrap()
    }

    #[test]
    fn a_metric_carries_its_members_in_order() {
        let metric = record(Level::Info, "queue.depth", "").with_payload(EntryPayload::Metric {
            value: 3.5,
            unit: None,
            kind: MetricKind::Gauge,
        });
        let (json, _) = encode(&metric);
        assert!(
            json.ends_with(
                r#""meta":{"environment":"prod"},"name":"queue.depth","value":3.5,"kind":"gauge"}"#
            ),
            "{json}"
        );
        assert!(json.contains(r#""type":"metric""#));
    }

    #[test]
    fn attribute_limits_cut_and_count() {
        let mut attributes = Map::new();
        for i in 0..60 {
            attributes.insert(format!("k{i:02}"), Value::String("v".into()));
        }
        attributes.insert(String::new(), "empty key".into());
        attributes.insert("x".repeat(65), "long key".into());
        attributes.insert("long".into(), "é".repeat(300).into());
        let json = Value::Object(attributes).to_string();
        let mut adjustments = Adjustments::default();
        let payload: Value = serde_json::from_slice(&payload_json(
            &record(Level::Info, "m", &json),
            &common(),
            &mut adjustments,
        ))
        .unwrap();
        let kept = payload["attributes"].as_object().unwrap();
        assert_eq!(kept.len(), 50);
        assert_eq!(
            kept.keys().next().map(String::as_str),
            Some("k00"),
            "bytewise order"
        );
        assert!(
            !kept.contains_key("long"),
            "after the first 50 in key order"
        );
        assert_eq!(adjustments.attributes_dropped, 63 - 50);
        let long_value = "é".repeat(300);
        let (cut, was_cut) = truncate(&long_value, MAX_VALUE_CHARS);
        assert!(was_cut && cut.chars().count() == 256);
    }

    #[test]
    fn long_sources_and_values_are_truncated_by_characters() {
        let mut adjustments = Adjustments::default();
        let long = Common {
            source: "ß".repeat(300),
            environment: None,
            release: Some("1.2".into()),
        };
        let json = payload_json(
            &record(
                Level::Info,
                "m",
                &format!(r#"{{"v":"{}"}}"#, "a".repeat(257)),
            ),
            &long,
            &mut adjustments,
        );
        let payload: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(payload["source"].as_str().unwrap().chars().count(), 256);
        assert_eq!(payload["attributes"]["v"].as_str().unwrap().len(), 256);
        assert_eq!(payload["meta"], serde_json::json!({"release": "1.2"}));
        assert_eq!(adjustments.values_truncated, 2);
    }
}
