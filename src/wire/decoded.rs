//! The one entry view that every protocol decodes into, so the collector stores and queries
//! entries the same way whichever wire they came over.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::entry::EntryKind;

/// An entry as a decoder read it off the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecodedEntry {
    /// The protocol it arrived over: `luminalog`, `logflux` or `otlp`.
    pub protocol: String,
    pub kind: EntryKind,
    /// The ferrolog (syslog) level number, 1 most severe … 8 debug.
    pub level: u8,
    /// UTC, RFC 3339 with microseconds.
    pub timestamp: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_mode: Option<bool>,
    /// Captured-error details (type, message, stack trace, context, fingerprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_span_id: Option<String>,
    /// Type-specific members of non-log entries (metric name and value, audit actor, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
}

/// A request a collector must refuse as a whole, with the HTTP status to answer: 400 for a
/// malformed request, 401 for a refused API key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub status: u16,
    pub message: String,
}

impl DecodeError {
    pub(crate) fn bad_request(message: impl Into<String>) -> DecodeError {
        DecodeError {
            status: 400,
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> DecodeError {
        DecodeError {
            status: 401,
            message: message.into(),
        }
    }

    /// The `{"message": …}` body to answer with.
    pub fn response_body(&self) -> String {
        serde_json::json!({ "message": self.message }).to_string()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {})", self.message, self.status)
    }
}

impl std::error::Error for DecodeError {}

/// How a decoder names a JSON value's type in its error messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
