//! `KeyValue` lists and `AnyValue`s back into JSON values: the inverse of the encoder's
//! mapping (spec §11).

use serde_json::{Map, Value};

use super::reader::Obj;
use super::DecodeError;

/// The `key`/`value` list under `key`; for a repeated key the last wins.
pub(super) fn attributes(owner: &Obj, key: &str) -> Result<Map<String, Value>, DecodeError> {
    let mut map = Map::new();
    for pair in owner.objects(key)? {
        let name = pair.string("key")?.unwrap_or_default().to_owned();
        let value = match pair.object("value")? {
            Some(value) => any_value(&value)?,
            None => Value::String(String::new()),
        };
        map.insert(name, value);
    }
    Ok(map)
}

/// One `AnyValue`; an empty one is `""`, and one with two members set is malformed.
pub(super) fn any_value(value: &Obj) -> Result<Value, DecodeError> {
    const MEMBERS: [&str; 7] = [
        "stringValue",
        "boolValue",
        "intValue",
        "doubleValue",
        "bytesValue",
        "arrayValue",
        "kvlistValue",
    ];
    let mut set = MEMBERS.into_iter().filter(|m| value.has(m));
    let Some(member) = set.next() else {
        return Ok(Value::String(String::new()));
    };
    if let Some(second) = set.next() {
        return Err(DecodeError::bad_request(format!(
            "{} sets both {member} and {second}",
            value.location()
        )));
    }
    let missing = || DecodeError::bad_request(format!("{} is empty", value.path(member)));
    Ok(match member {
        "boolValue" => Value::Bool(value.boolean(member)?.ok_or_else(missing)?),
        "intValue" => Value::from(value.int64(member)?.ok_or_else(missing)?),
        "doubleValue" => Value::from(value.double(member)?.ok_or_else(missing)?),
        "arrayValue" => {
            let array = value.object(member)?.ok_or_else(missing)?;
            let items = array.objects("values")?;
            Value::Array(items.iter().map(any_value).collect::<Result<_, _>>()?)
        }
        "kvlistValue" => {
            let list = value.object(member)?.ok_or_else(missing)?;
            Value::Object(attributes(&list, "values")?)
        }
        // stringValue, and bytesValue kept as its base64 text.
        _ => Value::String(value.string(member)?.ok_or_else(missing)?.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(list: Value) -> Result<Map<String, Value>, DecodeError> {
        let owner = json!({ "attributes": list });
        attributes(&Obj::root(&owner).unwrap(), "attributes")
    }

    #[test]
    fn each_member_becomes_its_json_type() {
        let map = decode(json!([
            {"key": "s", "value": {"stringValue": "v"}},
            {"key": "b", "value": {"boolValue": false}},
            {"key": "i", "value": {"intValue": "-42"}},
            {"key": "n", "value": {"intValue": 42}},
            {"key": "d", "value": {"doubleValue": 2.5}},
            {"key": "y", "value": {"bytesValue": "aGk="}},
            {"key": "a", "value": {"arrayValue": {"values": [{"intValue": "1"}, {}]}}},
            {"key": "o", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"stringValue": "x"}}]}}},
            {"key": "e", "value": {}},
            {"key": "m"},
            {"key": "dup", "value": {"stringValue": "first"}},
            {"key": "dup", "value": {"stringValue": "last"}}
        ]))
        .unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"s": "v", "b": false, "i": -42, "n": 42, "d": 2.5, "y": "aGk=",
                   "a": [1, ""], "o": {"k": "x"}, "e": "", "m": "", "dup": "last"})
        );
    }

    #[test]
    fn malformed_values_are_bad_requests() {
        let cases = [
            json!([{"key": "k", "value": {"intValue": "1.5"}}]),
            json!([{"key": "k", "value": {"intValue": true}}]),
            json!([{"key": "k", "value": {"doubleValue": "2.5"}}]),
            json!([{"key": "k", "value": {"stringValue": "a", "boolValue": true}}]),
            json!([{"key": 1, "value": {"stringValue": "a"}}]),
            json!([{"key": "k", "value": {"arrayValue": {"values": [1]}}}]),
            json!({"key": "k"}),
        ];
        for case in cases {
            let err = decode(case.clone()).unwrap_err();
            assert_eq!(err.status, 400, "{case}");
            assert!(
                err.message.starts_with("attributes"),
                "{case}: {}",
                err.message
            );
        }
    }
}
