//! What a capture call takes beyond the error itself.

use crate::level::Level;

/// Options of [`crate::Logger::capture_error`]; the defaults suit most calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaptureOptions<'a> {
    /// The entry's message instead of the error's text, which then travels as the attribute
    /// `error` (LogFlux §7).
    pub message: Option<&'a str>,
    /// One JSON object of attributes, or empty for none.
    pub attributes: &'a str,
    /// The entry's level; `error` when unset.
    pub level: Option<Level>,
    /// A grouping fingerprint of the caller's, sent where a protocol has a place for one.
    pub fingerprint: Option<&'a str>,
    /// Take the calling thread's stack as the frames (for C and Rust callers, who bring none).
    pub native_stack: bool,
}

/// The attribute a custom message moves the error's text to.
pub const ERROR_TEXT_ATTRIBUTE: &str = "error";

/// [`CaptureOptions`] read from one JSON object, the form the C ABI and the bindings pass:
/// `{"message": "…", "level": 3 or "critical", "fingerprint": "…"}`, every member optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureSettings {
    pub message: Option<String>,
    pub level: Option<Level>,
    pub fingerprint: Option<String>,
}

impl CaptureSettings {
    /// Parses `json` (empty for none); an unknown member or a wrong type is an error naming it.
    pub fn from_json(json: &str) -> Result<CaptureSettings, String> {
        let mut settings = CaptureSettings::default();
        if json.trim().is_empty() {
            return Ok(settings);
        }
        let Ok(serde_json::Value::Object(members)) = serde_json::from_str(json) else {
            return Err("capture options must be one JSON object".into());
        };
        for (name, value) in members {
            match (name.as_str(), value) {
                ("message", serde_json::Value::String(text)) => settings.message = Some(text),
                ("fingerprint", serde_json::Value::String(text)) => {
                    settings.fingerprint = Some(text)
                }
                ("level", value) => {
                    let level =
                        Level::from_json(&value).ok_or("level must be 1..8 or a level name")?;
                    settings.level = Some(level);
                }
                ("message" | "fingerprint", _) => return Err(format!("{name} must be a string")),
                _ => return Err(format!("unknown capture option `{name}`")),
            }
        }
        Ok(settings)
    }

    /// The options these settings give, with `attributes` and the stack choice.
    pub fn options<'a>(&'a self, attributes: &'a str, native_stack: bool) -> CaptureOptions<'a> {
        CaptureOptions {
            message: self.message.as_deref(),
            attributes,
            level: self.level,
            fingerprint: self.fingerprint.as_deref(),
            native_stack,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_every_member_and_refuse_the_rest() {
        let settings =
            CaptureSettings::from_json(r#"{"message":"m","level":"fatal","fingerprint":"fp"}"#)
                .unwrap();
        assert_eq!(
            settings,
            CaptureSettings {
                message: Some("m".into()),
                level: Some(Level::Critical),
                fingerprint: Some("fp".into()),
            }
        );
        assert_eq!(
            CaptureSettings::from_json(" ").unwrap(),
            CaptureSettings::default()
        );
        assert_eq!(
            CaptureSettings::from_json(r#"{"level":2}"#).unwrap().level,
            Some(Level::Alert)
        );
        for bad in [
            "[1]",
            "{",
            r#"{"level":0}"#,
            r#"{"level":"loud"}"#,
            r#"{"message":1}"#,
            r#"{"extra":1}"#,
        ] {
            assert!(CaptureSettings::from_json(bad).is_err(), "{bad}");
        }
        let options = settings.options("{}", true);
        assert_eq!((options.message, options.native_stack), (Some("m"), true));
    }
}
