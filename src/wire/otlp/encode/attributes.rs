//! Attribute values as OTLP `AnyValue`s (spec §3): each JSON type keeps its own member, and a
//! record's reserved attributes come before the user's.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::wire::otlp::proto_json::Decimal;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(super) struct KeyValue {
    pub key: String,
    pub value: AnyValue,
}

/// Serialized externally tagged: `{"stringValue":"v"}`, `{"arrayValue":{"values":[…]}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(super) enum AnyValue {
    #[serde(rename = "stringValue")]
    String(String),
    #[serde(rename = "boolValue")]
    Bool(bool),
    #[serde(rename = "intValue")]
    Int(Decimal<i64>),
    #[serde(rename = "doubleValue")]
    Double(f64),
    #[serde(rename = "arrayValue")]
    Array { values: Vec<AnyValue> },
    #[serde(rename = "kvlistValue")]
    KvList { values: Vec<KeyValue> },
}

impl KeyValue {
    pub fn string(key: &str, value: &str) -> KeyValue {
        KeyValue {
            key: key.to_owned(),
            value: AnyValue::String(value.to_owned()),
        }
    }
}

/// The OTLP form of a JSON value; `None` for null, which OTLP leaves out rather than encode.
pub(super) fn any_value(value: Value) -> Option<AnyValue> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => AnyValue::Bool(b),
        Value::String(s) => AnyValue::String(s),
        // Integers beyond i64 (u64 above i64::MAX) have no intValue and become doubles.
        Value::Number(n) => match n.as_i64() {
            Some(i) => AnyValue::Int(Decimal(i)),
            None => AnyValue::Double(n.as_f64().unwrap_or_default()),
        },
        Value::Array(items) => AnyValue::Array {
            values: items.into_iter().filter_map(any_value).collect(),
        },
        Value::Object(map) => AnyValue::KvList {
            values: key_values(map),
        },
    })
}

/// A map's entries in its (bytewise) key order, nulls left out.
fn key_values(map: Map<String, Value>) -> Vec<KeyValue> {
    map.into_iter()
        .filter_map(|(key, value)| {
            Some(KeyValue {
                key,
                value: any_value(value)?,
            })
        })
        .collect()
}

/// A record's attributes: `written` (its reserved attributes, in spec order), then the user's
/// sorted by key. A user key in `reserved` is dropped and counted in `dropped`, so a receiver
/// never mistakes a user's value for one ferrolog wrote; `reserved` also lists keys a record
/// of this type may leave unwritten (an unset `audit.actor_type`).
pub(super) fn with_user_attributes(
    mut written: Vec<KeyValue>,
    reserved: &[&str],
    mut user: Map<String, Value>,
    dropped: &mut u64,
) -> Vec<KeyValue> {
    for key in reserved {
        if user.remove(*key).is_some() {
            *dropped += 1;
        }
    }
    written.extend(key_values(user));
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_types_keep_their_members() {
        let value = any_value(json!({
            "s": "v", "i": -3, "big": 18446744073709551615u64, "d": 1.5, "b": true,
            "a": [1, null, "x"], "n": null, "o": {"k": 2}
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            json!({"kvlistValue": {"values": [
                {"key": "a", "value": {"arrayValue": {"values": [{"intValue": "1"}, {"stringValue": "x"}]}}},
                {"key": "b", "value": {"boolValue": true}},
                {"key": "big", "value": {"doubleValue": 18446744073709551615.0}},
                {"key": "d", "value": {"doubleValue": 1.5}},
                {"key": "i", "value": {"intValue": "-3"}},
                {"key": "o", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"intValue": "2"}}]}}},
                {"key": "s", "value": {"stringValue": "v"}}
            ]}})
        );
        assert_eq!(any_value(Value::Null), None);
    }

    #[test]
    fn reserved_keys_win_and_user_keys_follow_sorted() {
        let user = json!({"z": "1", "audit.actor": "spoof", "audit.actor_type": "x", "a": "2"});
        let mut dropped = 0;
        let merged = with_user_attributes(
            vec![KeyValue::string("audit.actor", "u1")],
            &["audit.actor", "audit.actor_type"],
            user.as_object().cloned().unwrap(),
            &mut dropped,
        );
        let keys: Vec<&str> = merged.iter().map(|kv| kv.key.as_str()).collect();
        assert_eq!(keys, ["audit.actor", "a", "z"]);
        assert_eq!(merged[0].value, AnyValue::String("u1".into()));
        assert_eq!(dropped, 2);
    }
}
