//! Validating attribute JSON on the caller's thread: one object, bounded nesting, nothing built.

use std::marker::PhantomData;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::{Map, Value};

use super::RecordError;

/// How deeply attribute values may nest. Deeper input is refused on the caller's thread: the
/// protocols wrap attributes in a few more levels, and decoders stop at 128.
pub const MAX_ATTRIBUTE_DEPTH: u32 = 64;

/// Checks that `json` is exactly one JSON object nested at most [`MAX_ATTRIBUTE_DEPTH`] levels,
/// without building it, which keeps bad input an error on the caller's thread at little cost.
pub(crate) fn validate_json_object(json: &str) -> Result<(), RecordError> {
    if !json.trim_start().starts_with('{') {
        return Err(RecordError::InvalidJson);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    // serde_json's own skipping is about twice as fast as a visitor that counts levels, and
    // it is bounded too (at 128 levels), so the counting visitor runs only when the text
    // could nest beyond our bound.
    let checked = if surely_within_depth(json.as_bytes()) {
        IgnoredAny::deserialize(&mut deserializer).map(|_| ())
    } else {
        Bounded(MAX_ATTRIBUTE_DEPTH).deserialize(&mut deserializer)
    };
    checked
        .and_then(|()| deserializer.end())
        .map_err(|_| RecordError::InvalidJson)
}

/// Whether `json`, if it is well-formed, cannot nest beyond [`MAX_ATTRIBUTE_DEPTH`]: each level
/// takes an opening and a closing bracket, so short text cannot, nor text with few openings.
fn surely_within_depth(json: &[u8]) -> bool {
    let max = MAX_ATTRIBUTE_DEPTH as usize;
    json.len() <= 2 * max + 1 || memchr::memchr2_iter(b'{', b'[', json).count() <= max
}

/// Parses attribute JSON: empty text is none, anything else one object within the depth limit.
pub(crate) fn parse_json_object(json: &str) -> Result<Map<String, Value>, RecordError> {
    if json.trim().is_empty() {
        return Ok(Map::new());
    }
    validate_json_object(json)?;
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(RecordError::InvalidJson),
    }
}

/// A visitor that accepts any JSON value with at most `.0` levels of arrays and objects.
struct Bounded(u32);

impl Bounded {
    fn inner<E: serde::de::Error>(&self) -> Result<Bounded, E> {
        self.0
            .checked_sub(1)
            .map(Bounded)
            .ok_or_else(|| E::custom("attributes nest too deeply"))
    }
}

impl<'de> DeserializeSeed<'de> for Bounded {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a JSON value nested at most {} levels", self.0)
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.inner()?;
        while seq.next_element_seed(Bounded(inner.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.inner()?;
        while map
            .next_entry_seed(PhantomData::<IgnoredAny>, Bounded(inner.0))?
            .is_some()
        {}
        Ok(())
    }
}
