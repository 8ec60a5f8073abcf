//! Typed reads of a JSON object that name the member's full path when its type is wrong, so a
//! 400 tells the sender exactly what to fix. `null` reads as absent, as in proto3 JSON.

use serde_json::{Map, Value};

use super::DecodeError;
use crate::wire::decoded::json_type;

pub(super) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    pub fn root(value: &'a Value) -> Result<Obj<'a>, DecodeError> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path: String::new(),
            }),
            other => Err(DecodeError::bad_request(format!(
                "body must be a JSON object, not {}",
                json_type(other)
            ))),
        }
    }

    /// Where this object sits in the request, for messages.
    pub fn location(&self) -> &str {
        &self.path
    }

    /// The full path of a member of this object, for messages.
    pub fn path(&self, key: &str) -> String {
        match self.path.as_str() {
            "" => key.to_owned(),
            path => format!("{path}.{key}"),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> DecodeError {
        DecodeError::bad_request(format!(
            "{} must be {expected}, not {}",
            self.path(key),
            json_type(found)
        ))
    }

    /// Reads `key` with `convert`, which returns `None` for a value of the wrong kind.
    fn read<T>(
        &self,
        key: &str,
        expected: &str,
        convert: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, DecodeError> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => convert(value)
                .map(Some)
                .ok_or_else(|| self.wrong(key, expected, value)),
        }
    }

    pub fn object(&self, key: &str) -> Result<Option<Obj<'a>>, DecodeError> {
        let path = self.path(key);
        self.read(key, "an object", |v| v.as_object())
            .map(|map| map.map(|map| Obj { map, path }))
    }

    /// An array of objects; absent is empty.
    pub fn objects(&self, key: &str) -> Result<Vec<Obj<'a>>, DecodeError> {
        let items = self.read(key, "an array", Value::as_array)?;
        items
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, item)| {
                let path = format!("{}[{i}]", self.path(key));
                match item {
                    Value::Object(map) => Ok(Obj { map, path }),
                    other => Err(DecodeError::bad_request(format!(
                        "{path} must be an object, not {}",
                        json_type(other)
                    ))),
                }
            })
            .collect()
    }

    pub fn string(&self, key: &str) -> Result<Option<&'a str>, DecodeError> {
        self.read(key, "a string", Value::as_str)
    }

    pub fn boolean(&self, key: &str) -> Result<Option<bool>, DecodeError> {
        self.read(key, "a boolean", Value::as_bool)
    }

    pub fn double(&self, key: &str) -> Result<Option<f64>, DecodeError> {
        self.read(key, "a number", Value::as_f64)
    }

    /// A 64-bit integer: a decimal string as OTLP writes it, or a JSON integer.
    pub fn int64(&self, key: &str) -> Result<Option<i64>, DecodeError> {
        self.read(key, "an integer or a decimal string", |v| match v {
            Value::String(text) => text.parse().ok(),
            other => other.as_i64(),
        })
    }

    /// An unsigned 64-bit integer (`fixed64` times and counts), read like [`Self::int64`].
    pub fn uint64(&self, key: &str) -> Result<Option<u64>, DecodeError> {
        self.read(
            key,
            "a non-negative integer or a decimal string",
            |v| match v {
                Value::String(text) => text.parse().ok(),
                other => other.as_u64(),
            },
        )
    }

    /// An enum: its integer, or its proto name as `from_name` knows it.
    pub fn enumeration(
        &self,
        key: &str,
        from_name: fn(&str) -> Option<i64>,
    ) -> Result<Option<i64>, DecodeError> {
        self.read(key, "an integer or a known enum name", |v| match v {
            Value::String(name) => from_name(name),
            other => other.as_i64(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_name_the_full_path() {
        let value = json!({"a": [{"b": {"t": "12x", "n": 3.5, "s": 1, "e": "NOPE"}}]});
        let root = Obj::root(&value).unwrap();
        let items = root.objects("a").unwrap();
        let b = items[0].object("b").unwrap().unwrap();
        let message = |e: DecodeError| e.message;
        assert_eq!(
            message(b.uint64("t").unwrap_err()),
            "a[0].b.t must be a non-negative integer or a decimal string, not a string"
        );
        assert!(message(b.int64("n").unwrap_err()).starts_with("a[0].b.n must be"));
        assert_eq!(
            message(b.string("s").unwrap_err()),
            "a[0].b.s must be a string, not a number"
        );
        assert!(b.enumeration("e", |_| None).is_err());
        assert!(root.object("a").is_err());
        assert_eq!(Obj::root(&json!([])).err().unwrap().status, 400);
    }

    #[test]
    fn integers_come_as_strings_or_numbers_and_null_is_absent() {
        let value = json!({"s": "-7", "n": 7, "u": "18446744073709551615", "z": null});
        let root = Obj::root(&value).unwrap();
        assert_eq!(root.int64("s").unwrap(), Some(-7));
        assert_eq!(root.int64("n").unwrap(), Some(7));
        assert_eq!(root.uint64("u").unwrap(), Some(u64::MAX));
        assert!(root.uint64("s").is_err());
        assert_eq!(root.uint64("z").unwrap(), None);
        assert_eq!(root.objects("z").unwrap().len(), 0);
        assert_eq!(root.enumeration("n", |_| None).unwrap(), Some(7));
    }
}
