//! Whether scrubbing a JSON object's text would change it, read as a stream of tokens: the
//! worker asks this of every entry's attributes, and most are clean, so building their values
//! only to learn that would be the larger part of its work on them.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::detectors::REDACTED;
use super::Scrubber;

impl Scrubber {
    /// As [`Scrubber::is_clean`] of the value `json` holds, without building it. Text that is
    /// not JSON counts as clean: the record was checked when it was built, and a check that
    /// fails here has nothing it could scrub.
    pub fn json_is_clean(&self, json: &str) -> bool {
        let mut reader = serde_json::Deserializer::from_str(json);
        Clean {
            scrubber: self,
            under_sensitive_key: false,
        }
        .deserialize(&mut reader)
        .unwrap_or(true)
    }
}

/// One value's check: under a sensitive key only `null` and the redaction marker are clean,
/// anywhere else every string must hold nothing to redact.
#[derive(Clone, Copy)]
struct Clean<'s> {
    scrubber: &'s Scrubber,
    under_sensitive_key: bool,
}

impl<'de> DeserializeSeed<'de> for Clean<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Clean<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_str<E>(self, text: &str) -> Result<bool, E> {
        Ok(if self.under_sensitive_key {
            text == REDACTED
        } else {
            self.scrubber.redact(text).is_none()
        })
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(!self.under_sensitive_key)
    }

    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(!self.under_sensitive_key)
    }

    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(!self.under_sensitive_key)
    }

    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(!self.under_sensitive_key)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<bool, A::Error> {
        // Read to the end even once the answer is known: the reader must stay in step.
        if self.under_sensitive_key {
            while items.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(false);
        }
        let mut clean = true;
        while let Some(item_clean) = items.next_element_seed(self)? {
            clean &= item_clean;
        }
        Ok(clean)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<bool, A::Error> {
        if self.under_sensitive_key {
            while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(false);
        }
        let mut clean = true;
        while let Some(sensitive) = members.next_key_seed(SensitiveKey(self.scrubber))? {
            clean &= members.next_value_seed(Clean {
                under_sensitive_key: sensitive,
                ..self
            })?;
        }
        Ok(clean)
    }
}

/// Reads an object key as whether it is a sensitive one, escaped or not.
struct SensitiveKey<'s>(&'s Scrubber);

impl<'de> DeserializeSeed<'de> for SensitiveKey<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for SensitiveKey<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(self.0.is_sensitive_key(key))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::scrub::{ScrubOptions, Scrubber};

    /// The stream check must answer as the check of the built value does, on every shape.
    #[test]
    fn agrees_with_the_check_of_built_values() {
        let scrubber = Scrubber::new(ScrubOptions::default());
        let cases = [
            json!({}),
            json!({"route": "/api/orders", "status": 200, "ok": true, "none": null, "ratio": 0.5}),
            json!({"contact": "ada@example.com"}),
            json!({"password": null}),
            json!({"password": "[REDACTED]"}),
            json!({"password": "hunter2"}),
            json!({"apiKey": 7}),
            json!({"token": false}),
            json!({"token": ["a"]}),
            json!({"token": {"inner": "plain"}}),
            json!({"list": ["plain", {"secret": null}, [1, 2]]}),
            json!({"list": ["plain", {"nested": {"cookie": "c"}}]}),
            json!({"deep": {"deeper": {"ip": "10.1.2.3"}}}),
            json!({"escaped \"key\"": "line\nbreak", "pass\u{77}ord": "x"}),
            json!({"after": {"secret": "s"}, "plain": "text"}),
        ];
        for case in cases {
            let text = case.to_string();
            assert_eq!(
                scrubber.json_is_clean(&text),
                scrubber.is_clean("", &case),
                "{text}"
            );
        }
    }

    #[test]
    fn text_that_is_not_json_counts_as_clean() {
        let scrubber = Scrubber::new(ScrubOptions::default());
        assert!(scrubber.json_is_clean("{\"unterminated"));
        assert!(!scrubber.json_is_clean(&Value::from("ada@example.com").to_string()));
    }
}
