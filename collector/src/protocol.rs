//! Which protocol a `/v1/logs` body speaks, when LuminaLog and OTLP share the path
//! (luminalog.md §8 "Routing").

use std::collections::HashMap;

use serde::de::IgnoredAny;

/// A top-level object with a `logs` member and no `resourceLogs` member is LuminaLog;
/// everything else, including a body that is not JSON at all, is OTLP's to judge and answer.
///
/// The decoders take bytes rather than a parsed document, so this parse is a second one; it
/// keeps only the top-level names, which makes it cheap next to the decoder's.
pub fn is_luminalog(body: &[u8]) -> bool {
    // A map rather than a struct: duplicate names are not an error here (the last one wins
    // in the decoders too), so they must not send a LuminaLog body to OTLP.
    serde_json::from_slice::<HashMap<String, IgnoredAny>>(body)
        .is_ok_and(|members| members.contains_key("logs") && !members.contains_key("resourceLogs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_without_resource_logs_is_luminalog() {
        for body in [
            r#"{"api_key":"k","logs":[]}"#,
            r#"{"logs":null}"#,
            r#"{"logs":[],"logs":[]}"#,
            r#"{"api_key":"k","logs":[{"message":"x","resourceLogs":[]}]}"#,
        ] {
            assert!(is_luminalog(body.as_bytes()), "{body}");
        }
    }

    #[test]
    fn everything_else_is_otlp() {
        for body in [
            r#"{"resourceLogs":[]}"#,
            r#"{"logs":[],"resourceLogs":[]}"#,
            r#"{"api_key":"k"}"#,
            "{}",
            "[]",
            r#"{"logs":[]"#,
            "not json",
            "",
        ] {
            assert!(!is_luminalog(body.as_bytes()), "{body}");
        }
    }
}
