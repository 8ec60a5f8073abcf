//! The LuminaLog encoder: one JSON object `{"api_key","logs":[…]}` per batch (spec §3–§7).

use std::cell::Cell;
use std::io::Write;
use std::time::Duration;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::config::DEFAULT_COMPRESSION_LEVEL;
use crate::diagnostics::Diagnostics;
use crate::entry::{ErrorReport, MergedAttributes, Payload, Record};
use crate::pipeline::encoder::{Encoded, Encoder, Verdict};
use crate::pipeline::stats::DropReason;
use crate::transport::{Request, Response};
use crate::wire::members::{type_name, write_members, SpanIds};
use crate::wire::rfc3339_micros;

/// The SDK's default; the only published URL, so production users should set their own.
pub const DEFAULT_ENDPOINT: &str = "https://api-dev.luminalog.cloud/v1/logs";

/// The metadata member reserved for ferrolog's non-log entry details (spec §5).
const RESERVED_KEY: &str = "ferrolog";

pub struct LuminaLogEncoder {
    url: String,
    api_key: String,
    environment: String,
    project_id: Option<String>,
    privacy_mode: bool,
    gzip: bool,
    gzip_level: Compression,
    /// Armed until the first 429 warning; re-armed by a success (spec §7).
    quota_warning_armed: bool,
    /// User attributes named like the reserved `ferrolog` member, dropped (spec §4).
    attributes_dropped: Cell<u64>,
    diagnostics: Diagnostics,
}

#[derive(Serialize)]
struct Body<'a> {
    api_key: &'a str,
    logs: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    timestamp: String,
    level: &'static str,
    message: &'a str,
    environment: &'a str,
    privacy_mode: bool,
    metadata: Option<Metadata<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorMember<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_span_id: Option<String>,
}

/// The user's attributes, then — for a non-log entry — the reserved `ferrolog` member with
/// the entry's type and its members in LogFlux §7 order (spec §5).
struct Metadata<'a> {
    attributes: MergedAttributes<'a>,
    carried: Option<&'a Record>,
}

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in self.attributes.iter() {
            map.serialize_entry(key, &value)?;
        }
        if let Some(record) = self.carried {
            map.serialize_entry(RESERVED_KEY, &Carried(record))?;
        }
        map.end()
    }
}

/// A captured error (spec §4.1): its frames outermost first, rendered as Python renders them,
/// and as context the same attributes the entry's metadata holds.
#[derive(Serialize)]
struct ErrorMember<'a> {
    #[serde(rename = "type")]
    error_type: &'a str,
    message: &'a str,
    stack_trace: Vec<String>,
    context: Option<MergedAttributes<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<&'a str>,
}

impl<'a> ErrorMember<'a> {
    fn new(report: &'a ErrorReport, context: &MergedAttributes<'a>) -> ErrorMember<'a> {
        let error = &report.error;
        let stack_trace = error
            .frames()
            .iter()
            .rev()
            .map(|frame| {
                format!(
                    "  File \"{}\", line {}, in {}\n",
                    frame.module,
                    frame.line.unwrap_or(0),
                    frame.function
                )
            })
            .collect();
        ErrorMember {
            error_type: error.error_type(),
            message: error.message(),
            stack_trace,
            context: (!context.is_empty()).then(|| context.clone()),
            fingerprint: report.supplied_fingerprint.as_deref(),
        }
    }
}

struct Carried<'a>(&'a Record);

impl Serialize for Carried<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", type_name(self.0.kind()))?;
        write_members(self.0, SpanIds::Elsewhere, &mut map)?;
        map.end()
    }
}

pub(crate) struct Options {
    pub endpoint: Option<String>,
    pub api_key: String,
    pub environment: Option<String>,
    pub project_id: Option<String>,
    pub privacy_mode: bool,
    pub gzip: bool,
    pub diagnostics: Diagnostics,
}

impl LuminaLogEncoder {
    pub(crate) fn new(options: Options) -> LuminaLogEncoder {
        LuminaLogEncoder {
            url: options
                .endpoint
                .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()),
            api_key: options.api_key,
            environment: options.environment.unwrap_or_else(|| "default".to_owned()),
            project_id: options.project_id,
            privacy_mode: options.privacy_mode,
            gzip: options.gzip,
            gzip_level: Compression::new(DEFAULT_COMPRESSION_LEVEL),
            quota_warning_armed: true,
            attributes_dropped: Cell::new(0),
            diagnostics: options.diagnostics,
        }
    }

    /// The level request bodies are gzipped at, when compression is on.
    pub(crate) fn with_gzip_level(self, gzip_level: Compression) -> LuminaLogEncoder {
        LuminaLogEncoder { gzip_level, ..self }
    }

    fn entry<'a>(&'a self, record: &'a Record) -> Entry<'a> {
        let mut attributes = record.merged_view();
        if attributes.remove(RESERVED_KEY) {
            self.attributes_dropped
                .set(self.attributes_dropped.get() + 1);
        }
        let report = record.error_report();
        let error = report.map(|report| ErrorMember::new(report, &attributes));
        // A captured error has a member of its own, not the reserved metadata.
        let carried = record
            .payload()
            .filter(|_| report.is_none())
            .map(|_| record);
        let span = match record.payload() {
            Some(Payload::Span(span)) => Some(span),
            _ => None,
        };
        // Entries logged under a span carry its ids; a span's own entry carries its own.
        let trace = record.context.trace();
        // A span is shown by its name, or by its operation when it has no name.
        let message = match span {
            Some(span) if record.message().is_empty() => span.operation.as_str(),
            _ => record.message(),
        };
        Entry {
            timestamp: rfc3339_micros(record.timestamp_ns),
            level: record.level.luminalog_name(),
            message,
            environment: &self.environment,
            privacy_mode: self.privacy_mode,
            metadata: (!attributes.is_empty() || carried.is_some()).then_some(Metadata {
                attributes,
                carried,
            }),
            project_id: self.project_id.as_deref(),
            error,
            trace_id: span.map_or_else(
                || trace.map(|t| t.trace_id.to_string()),
                |s| Some(hex::encode(s.trace_id)),
            ),
            span_id: span.map_or_else(
                || trace.map(|t| t.span_id.to_string()),
                |s| Some(hex::encode(s.span_id)),
            ),
            parent_span_id: span.and_then(|s| s.parent_span_id.map(hex::encode)),
        }
    }

    /// The JSON body of one request, before any compression.
    pub fn body(&self, records: &[Record]) -> Vec<u8> {
        let body = Body {
            api_key: &self.api_key,
            logs: records.iter().map(|r| self.entry(r)).collect(),
        };
        // Serializing plain strings, numbers and maps into a Vec cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl Encoder for LuminaLogEncoder {
    /// Metric and telemetry values must be finite (spec §5).
    fn accepts(&self, record: &Record) -> bool {
        record.payload().is_none_or(Payload::is_finite)
    }

    fn encode(&mut self, records: &[Record]) -> Result<Encoded, Verdict> {
        let json = self.body(records);
        let mut headers = Vec::new();
        let body = if self.gzip {
            headers.push(("Content-Encoding", "gzip".to_owned()));
            let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4), self.gzip_level);
            // Writing into a Vec cannot fail.
            let _ = gz.write_all(&json);
            gz.finish().unwrap_or_default()
        } else {
            json
        };
        Ok(Request {
            url: self.url.clone(),
            content_type: "application/json".into(),
            headers,
            body,
        }
        .into())
    }

    fn judge(&mut self, response: &Response) -> Verdict {
        match response.status {
            200..=299 => {
                self.quota_warning_armed = true;
                Verdict::DELIVERED
            }
            429 => {
                if std::mem::take(&mut self.quota_warning_armed) {
                    self.diagnostics.warn(format_args!(
                        "LuminaLog quota exceeded (HTTP 429): plan limit reached, logs are \
                         dropped until the quota resets or the plan is upgraded"
                    ));
                }
                Verdict::Drop(DropReason::QuotaExceeded)
            }
            500..=599 => Verdict::BACKOFF,
            _ => Verdict::Drop(DropReason::SendError),
        }
    }

    fn take_attributes_dropped(&mut self) -> u64 {
        self.attributes_dropped.take()
    }

    /// Three attempts in all: at once, after 1 s, after 2 s (spec §7).
    fn default_max_retries(&self) -> u32 {
        2
    }

    fn default_http_timeout(&self) -> Duration {
        Duration::from_secs(10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::level::Level;
    use serde_json::Value;
    use std::sync::Arc;

    fn encoder(project_id: Option<&str>) -> LuminaLogEncoder {
        LuminaLogEncoder::new(Options {
            endpoint: Some("http://127.0.0.1:9/v1/logs".into()),
            api_key: "key-1".into(),
            environment: None,
            project_id: project_id.map(Into::into),
            privacy_mode: false,
            gzip: false,
            diagnostics: Diagnostics::new(false),
        })
    }

    fn record(level: Level, message: &str, pairs: &[(&str, &str)]) -> Record {
        let mut record = Record::with_pairs(
            level,
            message,
            pairs.iter().copied(),
            Arc::new(Context::default()),
        )
        .unwrap();
        record.timestamp_ns = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z
        record
    }

    #[test]
    fn an_info_log_serializes_exactly_as_the_checklist_says() {
        let body = encoder(None).body(&[record(Level::Info, "hello", &[])]);
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"api_key":"key-1","logs":[{"timestamp":"2026-01-01T00:00:00.000000Z","level":"info","message":"hello","environment":"default","privacy_mode":false,"metadata":null}]}"#
        );
    }

    #[test]
    fn project_id_and_metadata_appear_only_when_set() {
        let mut enc = encoder(Some("p1"));
        let body = enc.body(&[record(
            Level::Warning,
            "m",
            &[("user", "7"), ("ferrolog", "x")],
        )]);
        let value: Value = serde_json::from_slice(&body).unwrap();
        let entry = &value["logs"][0];
        assert_eq!(entry["project_id"], "p1");
        assert_eq!(entry["level"], "warn");
        assert_eq!(
            entry["metadata"],
            serde_json::json!({"user": "7"}),
            "the reserved key is not the user's"
        );
        assert_eq!(enc.take_attributes_dropped(), 1);
        assert_eq!(enc.take_attributes_dropped(), 0, "taking resets the count");
    }

    #[test]
    fn gzip_is_labelled_and_decodes_to_the_json() {
        let mut enc = encoder(None);
        let plain = enc.body(&[record(Level::Info, "z", &[])]);
        enc.gzip = true;
        let request = enc
            .encode(&[record(Level::Info, "z", &[])])
            .unwrap()
            .request;
        assert_eq!(request.headers, [("Content-Encoding", "gzip".to_owned())]);
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&request.body[..]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, plain);
        enc.gzip = false;
        assert!(enc
            .encode(&[record(Level::Info, "z", &[])])
            .unwrap()
            .request
            .headers
            .is_empty());
    }

    #[test]
    fn statuses_are_judged_as_the_spec_says() {
        let mut enc = encoder(None);
        let answer = |status| Response {
            status,
            retry_after: None,
            body: Vec::new(),
        };
        assert_eq!(enc.judge(&answer(200)), Verdict::DELIVERED);
        assert_eq!(enc.judge(&answer(204)), Verdict::DELIVERED);
        assert_eq!(enc.judge(&answer(503)), Verdict::BACKOFF);
        assert_eq!(
            enc.judge(&answer(400)),
            Verdict::Drop(DropReason::SendError)
        );
        assert_eq!(
            enc.judge(&answer(302)),
            Verdict::Drop(DropReason::SendError)
        );
        assert_eq!(
            enc.judge(&answer(429)),
            Verdict::Drop(DropReason::QuotaExceeded)
        );
        assert!(!enc.quota_warning_armed, "one warning, then silence");
        enc.judge(&answer(429));
        assert!(!enc.quota_warning_armed);
        enc.judge(&answer(200));
        assert!(enc.quota_warning_armed, "a success re-arms the warning");
    }
}
