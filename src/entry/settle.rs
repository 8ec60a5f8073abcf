//! What the worker does to a record before any encoder sees it: resolve a captured error's
//! native stack, stamp its fingerprint, and scrub personal data (unless privacy mode leaves
//! that to the user). A clean record is left as it is, allocating nothing.

use std::borrow::Cow;

use serde_json::Value;

use super::{Attributes, PairValue, Payload, Record};
use crate::scrub::Scrubber;

/// The attribute a captured error's fingerprint travels in, so a receiver can group by it.
pub const FINGERPRINT_ATTRIBUTE: &str = "error.fingerprint";

impl Record {
    pub(crate) fn settled(mut self, scrubber: Option<&Scrubber>) -> Record {
        let fingerprint = match self.payload.as_deref_mut() {
            Some(Payload::Error(report)) => {
                report.settle();
                if let Some(scrubber) = scrubber {
                    report.scrub(scrubber);
                }
                let supplied = report.supplied_fingerprint.clone();
                Some(supplied.unwrap_or_else(|| report.error.fingerprint().to_owned()))
            }
            _ => None,
        };
        let dirty = scrubber.filter(|scrubber| !self.is_clean(scrubber));
        if fingerprint.is_none() && dirty.is_none() {
            return self;
        }
        let mut attributes = self.merged_attributes();
        let mut message = Cow::Borrowed(self.message());
        if let Some(scrubber) = dirty {
            scrubber.scrub_attributes(&mut attributes);
            message = scrubber.scrub_text(self.message());
        }
        if let Some(fingerprint) = fingerprint {
            attributes.insert(FINGERPRINT_ATTRIBUTE.to_owned(), Value::String(fingerprint));
        }
        let (level, message) = (self.level, message.into_owned());
        // Nothing grew beyond what the record held, so rebuilding cannot fail; if it ever did,
        // the original is the safer record to keep than none.
        match self.rebuild(level, &message, attributes) {
            Ok(record) | Err((record, _)) => record,
        }
    }

    /// Whether scrubbing would leave message and attributes (own and inherited) unchanged.
    fn is_clean(&self, scrubber: &Scrubber) -> bool {
        let message_clean = matches!(scrubber.scrub_text(self.message()), Cow::Borrowed(_));
        let own_clean = match &self.attributes {
            Attributes::None => true,
            // A scalar's JSON is clean unless a sensitive key redacts it whole, as for JSON.
            Attributes::Pairs(_) => self.pairs().all(|(key, value)| {
                !scrubber.is_sensitive_key(key)
                    && match value {
                        PairValue::Text(text) => {
                            matches!(scrubber.scrub_text(text), Cow::Borrowed(_))
                        }
                        PairValue::Literal(_) => true,
                    }
            }),
            Attributes::Json => scrubber.json_is_clean(self.after_message()),
        };
        let inherited_clean = self
            .context
            .attributes()
            .iter()
            .all(|(key, value)| scrubber.is_clean(key, value));
        message_clean && own_clean && inherited_clean
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::entry::Scalar;
    use crate::level::Level;
    use crate::scrub::ScrubOptions;

    fn scalars(pairs: &[(&str, Scalar)]) -> Record {
        let pairs = pairs.iter().map(|&(key, value)| (key.as_bytes(), value));
        Record::with_utf8_scalars(Level::Info, b"m", pairs, Arc::default()).unwrap()
    }

    #[test]
    fn a_scalar_under_a_sensitive_key_is_redacted_whole_and_text_is_scrubbed() {
        let scrubber = Scrubber::new(ScrubOptions::default());
        let record = scalars(&[
            ("password", Scalar::Int(1234)),
            ("count", Scalar::Uint(5)),
            ("note", Scalar::Text(b"mail a@example.com")),
        ]);
        let settled = record.settled(Some(&scrubber));
        assert_eq!(
            Value::Object(settled.merged_attributes()),
            json!({"password": "[REDACTED]", "count": 5, "note": "mail [REDACTED:email]"})
        );
    }

    #[test]
    fn clean_scalars_are_left_as_they_were_given() {
        let scrubber = Scrubber::new(ScrubOptions::default());
        let record = scalars(&[("status", Scalar::Int(200)), ("ok", Scalar::Bool(true))]);
        let settled = record.settled(Some(&scrubber));
        assert!(matches!(settled.attributes(), Attributes::Pairs(_)));
        assert_eq!(
            settled.pairs().collect::<Vec<_>>(),
            [
                ("status", PairValue::Literal("200")),
                ("ok", PairValue::Literal("true"))
            ]
        );
    }
}
