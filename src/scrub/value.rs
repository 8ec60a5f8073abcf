//! Scrubbing JSON values: attributes, error objects, breadcrumb data.

use serde_json::{Map, Value};

use super::detectors::REDACTED;
use super::Scrubber;

impl Scrubber {
    /// Scrubs every string inside `value`, and replaces whole whatever sits under a sensitive
    /// key of any object inside it. Returns the number of replacements.
    pub fn scrub_value(&self, value: &mut Value) -> usize {
        match value {
            Value::String(text) => self.scrub_string(text),
            Value::Array(items) => items.iter_mut().map(|item| self.scrub_value(item)).sum(),
            Value::Object(attributes) => self.scrub_attributes(attributes),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        }
    }

    /// Replaces the values under sensitive keys with `[REDACTED]` and scrubs the others.
    /// Returns the number of replacements.
    pub fn scrub_attributes(&self, attributes: &mut Map<String, Value>) -> usize {
        attributes
            .iter_mut()
            .map(|(key, value)| {
                if self.is_sensitive_key(key) {
                    redact_whole(value)
                } else {
                    self.scrub_value(value)
                }
            })
            .sum()
    }

    /// Whether scrubbing `value`, found under `key`, would change nothing; allocates nothing,
    /// so the worker can leave clean entries as they are.
    pub fn is_clean(&self, key: &str, value: &Value) -> bool {
        if self.is_sensitive_key(key) {
            return matches!(value, Value::Null) || value.as_str() == Some(REDACTED);
        }
        self.value_is_clean(value)
    }

    fn value_is_clean(&self, value: &Value) -> bool {
        match value {
            Value::String(text) => self.redact(text).is_none(),
            Value::Array(items) => items.iter().all(|item| self.value_is_clean(item)),
            Value::Object(attributes) => attributes.iter().all(|(k, v)| self.is_clean(k, v)),
            Value::Null | Value::Bool(_) | Value::Number(_) => true,
        }
    }

    fn scrub_string(&self, text: &mut String) -> usize {
        match self.redact(text) {
            Some((scrubbed, replacements)) => {
                *text = scrubbed;
                replacements
            }
            None => 0,
        }
    }
}

fn redact_whole(value: &mut Value) -> usize {
    match value {
        Value::Null => 0,
        Value::String(text) if text == REDACTED => 0,
        _ => {
            *value = Value::String(REDACTED.to_owned());
            1
        }
    }
}
