//! The v2.0 payload JSON of one entry (spec §7), with the attribute limits of §2 and §10
//! applied while writing: never by rejecting the entry, always counted.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::entry::Record;
use crate::wire::members::{type_name, write_members, SpanIds};
use crate::wire::rfc3339_trimmed;

const MAX_ATTRIBUTES: usize = 50;
const MAX_KEY_CHARS: usize = 64;
const MAX_VALUE_CHARS: usize = 256;
const MAX_SOURCE_CHARS: usize = 256;

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

/// Serializes `record` as its v2.0 payload.
pub fn payload_json(record: &Record, common: &Common, adjustments: &mut Adjustments) -> Vec<u8> {
    let (source, source_cut) = truncate(&common.source, MAX_SOURCE_CHARS);
    let attributes = limited_attributes(record.merged_attributes(), adjustments);
    adjustments.values_truncated += u64::from(source_cut);
    let payload = Payload {
        record,
        common,
        source,
        attributes,
    };
    // Strings, numbers and maps serialize into a Vec without fail.
    serde_json::to_vec(&payload).unwrap_or_default()
}

struct Payload<'a> {
    record: &'a Record,
    common: &'a Common,
    source: &'a str,
    attributes: Map<String, Value>,
}

impl Serialize for Payload<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.record;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("v", "2.0")?;
        map.serialize_entry("type", type_name(record.kind()))?;
        map.serialize_entry("source", self.source)?;
        map.serialize_entry("level", &record.level.number())?;
        map.serialize_entry("ts", &rfc3339_trimmed(record.timestamp_ns))?;
        if !self.attributes.is_empty() {
            map.serialize_entry("attributes", &self.attributes)?;
        }
        let meta: Map<String, Value> = [
            ("environment", &self.common.environment),
            ("release", &self.common.release),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), Value::String(value.clone()?))))
        .collect();
        if !meta.is_empty() {
            map.serialize_entry("meta", &meta)?;
        }
        if record.payload().is_none() {
            map.serialize_entry("message", record.message())?;
        }
        write_members(record, SpanIds::Inline, &mut map)?;
        map.end()
    }
}

/// Attributes as LogFlux carries them: string values (others as their compact JSON text, nulls
/// left out), keys 1–64 chars, at most 50 in bytewise key order, values cut to 256 chars.
fn limited_attributes(
    attributes: Map<String, Value>,
    adjustments: &mut Adjustments,
) -> Map<String, Value> {
    let mut limited = 0;
    let mut kept = Map::new();
    // A serde_json map iterates in bytewise key order, which is the order §10 keeps.
    for (key, value) in attributes {
        let text = match value {
            // Omitted by the format (§7), not dropped by a limit.
            Value::Null => continue,
            Value::String(text) => text,
            other => other.to_string(),
        };
        let key_chars = key.chars().count();
        if key_chars == 0 || key_chars > MAX_KEY_CHARS || kept.len() == MAX_ATTRIBUTES {
            limited += 1;
            continue;
        }
        let (value, cut) = truncate(&text, MAX_VALUE_CHARS);
        adjustments.values_truncated += u64::from(cut);
        kept.insert(key, Value::String(value.to_owned()));
    }
    adjustments.attributes_dropped += limited;
    kept
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
    use crate::entry::{MetricKind, Payload as EntryPayload};
    use crate::level::Level;
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
