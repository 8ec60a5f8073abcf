//! What a spool frame holds: one batch as its id and its records, in JSON.
//!
//! Records are spooled rather than encoded request bodies: a LogFlux body is sealed with a
//! session key that may be gone when the batch is replayed (a new process does a new
//! handshake), and any body is tied to the protocol of the run that wrote it. A record, once
//! settled (stack resolved, fingerprint stamped, personal data scrubbed — so nothing unscrubbed
//! reaches the disk), is what every encoder starts from; replaying one is sending it again.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::context::Context;
use crate::entry::{Payload, Record};
use crate::level::Level;
use crate::pipeline::batch::{Batch, BatchId};
use crate::trace::{SpanId, TraceContext, TraceId};

#[derive(Serialize, Deserialize)]
struct SpooledBatch<'a> {
    id: BatchId,
    records: Vec<SpooledRecord<'a>>,
}

/// A record with its context's attributes merged into its own: the context is not shared
/// with anything once on disk.
#[derive(Serialize, Deserialize)]
struct SpooledRecord<'a> {
    timestamp_ns: u64,
    level: Level,
    message: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    trace: Option<SpooledTrace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<Cow<'a, Payload>>,
}

#[derive(Serialize, Deserialize)]
struct SpooledTrace {
    trace_id: String,
    span_id: String,
    sampled: bool,
}

pub fn to_json(batch: &Batch) -> Vec<u8> {
    let records = batch
        .records
        .iter()
        .map(|record| SpooledRecord {
            timestamp_ns: record.timestamp_ns,
            level: record.level,
            message: Cow::Borrowed(record.message()),
            attributes: record.merged_attributes(),
            trace: record.context.trace().map(|trace| SpooledTrace {
                trace_id: trace.trace_id.to_string(),
                span_id: trace.span_id.to_string(),
                sampled: trace.sampled,
            }),
            payload: record.payload().map(Cow::Borrowed),
        })
        .collect();
    let spooled = SpooledBatch {
        id: batch.id,
        records,
    };
    // Only strings, numbers and maps with string keys: serializing cannot fail.
    serde_json::to_vec(&spooled).unwrap_or_default()
}

/// The batch a frame holds; `None` when the frame's JSON is not one (written by a build that
/// spooled another shape, or damaged in a way the checksum missed).
pub fn from_json(bytes: &[u8]) -> Option<Batch> {
    let spooled: SpooledBatch = serde_json::from_slice(bytes).ok()?;
    let records = spooled
        .records
        .into_iter()
        .map(rebuild)
        .collect::<Option<Vec<Record>>>()?;
    Some(Batch {
        id: spooled.id,
        records,
    })
}

fn rebuild(spooled: SpooledRecord) -> Option<Record> {
    let context = match spooled.trace {
        Some(trace) => Context::default().with_trace(TraceContext {
            trace_id: TraceId::parse(&trace.trace_id).ok()?,
            span_id: SpanId::parse(&trace.span_id).ok()?,
            sampled: trace.sampled,
        }),
        None => Context::default(),
    };
    let mut record = Record::with_attributes(
        spooled.level,
        &spooled.message,
        spooled.attributes,
        Arc::new(context),
    )
    .ok()?;
    record.timestamp_ns = spooled.timestamp_ns;
    Some(match spooled.payload {
        Some(payload) => record.with_payload(payload.into_owned()),
        None => record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breadcrumbs::Breadcrumb;
    use crate::capture::{CapturedError, Cause, Frame};
    use crate::entry::{Audit, ErrorReport, MetricKind, Reading, Span, SpanStatus};
    use serde_json::json;

    fn context() -> Arc<Context> {
        let attributes = json!({"service": "api", "n": 3})
            .as_object()
            .cloned()
            .unwrap();
        let trace = TraceContext {
            trace_id: TraceId::random(),
            span_id: SpanId::random(),
            sampled: true,
        };
        Arc::new(Context::new(attributes).with_trace(trace))
    }

    fn records() -> Vec<Record> {
        let log = |message: &str| {
            Record::with_pairs(Level::Warning, message, [("k", "v")].into_iter(), context())
                .unwrap()
        };
        let error = ErrorReport::new(
            CapturedError::new(
                "ValueError",
                "bad",
                [Cause {
                    error_type: "IOError".into(),
                    message: "disk".into(),
                }],
                [Frame::new("f", "m.py", Some(3))],
            ),
            vec![Breadcrumb::new(
                5,
                Some("http"),
                "GET /",
                Some(Level::Info),
                vec![("a".into(), "b".into())],
            )],
        );
        let payloads = [
            Payload::Metric {
                value: 1.5,
                unit: Some("ms".into()),
                kind: MetricKind::Distribution,
            },
            Payload::Span(Span {
                trace_id: [7; 16],
                span_id: [8; 8],
                parent_span_id: None,
                operation: "db".into(),
                start_unix_ns: 1,
                end_unix_ns: 2,
                status: SpanStatus::Error,
            }),
            Payload::Event,
            Payload::Audit(Audit::new("u".into(), None, "doc".into(), "7".into(), None)),
            Payload::Telemetry {
                readings: vec![Reading {
                    name: "t".into(),
                    value: 21.5,
                    unit: None,
                }],
                managed: true,
            },
            Payload::Error(Box::new(error)),
        ];
        std::iter::once(log("plain"))
            .chain(payloads.into_iter().map(|p| log("typed").with_payload(p)))
            .collect()
    }

    #[test]
    fn every_kind_of_record_survives_the_round_trip() {
        let batch = Batch::new(records());
        let back = from_json(&to_json(&batch)).expect("a batch");
        assert_eq!(back.id, batch.id);
        assert_eq!(back.records.len(), batch.records.len());
        for (before, after) in batch.records.iter().zip(&back.records) {
            assert_eq!(after.timestamp_ns, before.timestamp_ns);
            assert_eq!(after.level, before.level);
            assert_eq!(after.message(), before.message());
            assert_eq!(after.merged_attributes(), before.merged_attributes());
            assert_eq!(after.context.trace(), before.context.trace());
            assert_eq!(after.payload(), before.payload());
        }
    }

    #[test]
    fn a_frame_of_another_shape_is_refused() {
        assert!(from_json(b"{\"id\":\"nope\",\"records\":[]}").is_none());
        assert!(from_json(b"[1,2]").is_none());
        assert!(from_json(b"").is_none());
    }
}
