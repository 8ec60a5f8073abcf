//! An entry's attributes over its logger's, borrowed where they sit. An encoder serializes
//! them as [`Record::merged_attributes`] would, without building a map of owned values: JSON
//! attributes are read as raw value text, not parsed into trees.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use smallvec::{Array, SmallVec};

use super::{Attributes, PairValue, Record};

/// One attribute's value, wherever it sits.
#[derive(Clone, Copy, Debug)]
pub(crate) enum AttributeValue<'a> {
    /// A logger's, already a value.
    Value(&'a Value),
    /// The record's own, given as JSON: the value's text as it was written.
    Json(&'a RawValue),
    /// The record's own, given as a string pair.
    Text(&'a str),
    /// The record's own, given as a scalar: its JSON, as the record wrote it.
    Literal(&'a str),
}

impl Serialize for AttributeValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeValue::Value(value) => value.serialize(serializer),
            AttributeValue::Json(raw) => raw.serialize(serializer),
            AttributeValue::Text(text) => text.serialize(serializer),
            // Written by the record as one JSON scalar, so it always reads back as one.
            AttributeValue::Literal(literal) => serde_json::from_str::<&RawValue>(literal)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

type Attribute<'a> = (Cow<'a, str>, AttributeValue<'a>);

/// Attributes in bytewise key order, each key once; most entries have a handful, so they stay
/// on the stack.
#[derive(Clone, Debug)]
pub(crate) struct MergedAttributes<'a>(SmallVec<[Attribute<'a>; 8]>);

impl<'a> MergedAttributes<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Leaves `key` out; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key)) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, AttributeValue<'a>)> {
        self.0.iter().map(|(key, value)| (key.as_ref(), *value))
    }
}

impl Serialize for MergedAttributes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl Record {
    /// The logger's attributes with the record's own on top, as
    /// [`Record::merged_attributes`] has them.
    pub(crate) fn merged_view(&self) -> MergedAttributes<'_> {
        let inherited = self
            .context
            .attributes()
            .iter()
            .map(|(key, value)| (Cow::Borrowed(key.as_str()), AttributeValue::Value(value)));
        let mut all: SmallVec<[Attribute<'_>; 8]> = inherited.collect();
        match &self.attributes {
            Attributes::None => {}
            Attributes::Pairs(_) => all.extend(self.pairs().map(|(key, value)| {
                let value = match value {
                    PairValue::Text(text) => AttributeValue::Text(text),
                    PairValue::Literal(literal) => AttributeValue::Literal(literal),
                };
                (Cow::Borrowed(key), value)
            })),
            // Validated as one object when the record was built.
            Attributes::Json => {
                let mut json = serde_json::Deserializer::from_str(self.after_message());
                let _ = json.deserialize_map(Members(&mut all));
            }
        }
        MergedAttributes(last_of_each_key(all))
    }
}

/// Sorts `all` by key, keeping of equal keys the one given last: later attributes win.
pub(crate) fn last_of_each_key<K: Ord, V, A: Array<Item = (K, V)>>(
    mut all: SmallVec<A>,
) -> SmallVec<A> {
    // Stable: of equal keys the later stays last.
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kept = SmallVec::<A>::new();
    for attribute in all {
        match kept.last_mut() {
            Some(last) if last.0 == attribute.0 => *last = attribute,
            _ => kept.push(attribute),
        }
    }
    kept
}

/// Appends a JSON object's members, in the order written, to the vector it holds.
struct Members<'v, 'a>(&'v mut SmallVec<[Attribute<'a>; 8]>);

impl<'de> Visitor<'de> for Members<'_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some((Key(key), raw)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
            self.0.push((key, AttributeValue::Json(raw)));
        }
        Ok(())
    }
}

/// A member's name, borrowed from the text unless it had escapes to undo.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a member name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::context::Context;
    use crate::entry::Scalar;
    use crate::level::Level;

    fn context(attributes: Value) -> Arc<Context> {
        let Value::Object(map) = attributes else {
            panic!("an object")
        };
        Arc::new(Context::default().child(map))
    }

    fn view_json(record: &Record) -> Value {
        serde_json::to_value(record.merged_view()).unwrap()
    }

    #[test]
    fn the_view_serializes_as_the_merged_map_does() {
        let inherited = context(json!({"service": "checkout", "user": "u-1", "n": 1}));
        let records = [
            Record::with_json(
                Level::Info,
                "json",
                r#"{"user":"u-2","tags":["a","b"],"nested":{"x":null},"esc\"aped":1.5,"user":"u-3"}"#,
                Arc::clone(&inherited),
            )
            .unwrap(),
            Record::with_pairs(
                Level::Info,
                "pairs",
                [("user", "u-4"), ("z", "last"), ("user", "u-5")].into_iter(),
                Arc::clone(&inherited),
            )
            .unwrap(),
            Record::with_json(Level::Info, "none", "", Arc::clone(&inherited)).unwrap(),
            Record::with_utf8_scalars(
                Level::Info,
                b"scalars",
                [
                    (&b"user"[..], Scalar::Text(b"u-6")),
                    (b"n", Scalar::Float(0.25)),
                    (b"big", Scalar::Uint(u64::MAX)),
                    (b"neg", Scalar::Int(i64::MIN)),
                    (b"on", Scalar::Bool(true)),
                    (b"nothing", Scalar::Null),
                ]
                .into_iter(),
                Arc::clone(&inherited),
            )
            .unwrap(),
        ];
        for record in &records {
            assert_eq!(
                view_json(record),
                Value::Object(record.merged_attributes()),
                "{}",
                record.message()
            );
        }
        let text = serde_json::to_string(&records[0].merged_view()).unwrap();
        assert_eq!(
            text,
            r#"{"esc\"aped":1.5,"n":1,"nested":{"x":null},"service":"checkout","tags":["a","b"],"user":"u-3"}"#,
            "bytewise key order, the last of a repeated key"
        );
    }

    #[test]
    fn a_removed_key_is_left_out() {
        let record = Record::with_pairs(
            Level::Info,
            "m",
            [("ferrolog", "x"), ("a", "1")].into_iter(),
            context(json!({})),
        )
        .unwrap();
        let mut view = record.merged_view();
        assert!(view.remove("ferrolog"));
        assert!(!view.remove("ferrolog"));
        assert_eq!(serde_json::to_value(&view).unwrap(), json!({"a": "1"}));
    }
}
