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
