//! The type-specific members of non-log entries, named, ordered and omitted as LogFlux §7
//! has them. LogFlux writes them into its payload object; LuminaLog carries the same members
//! under `metadata.ferrolog`. One writer keeps the two identical.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::breadcrumbs::Breadcrumb;
use crate::capture::{Cause, Frame};
use crate::entry::{EntryKind, ErrorReport, Payload, Reading, Record, Span};
use crate::wire::rfc3339_trimmed;

/// The payload `type` of an entry kind (LogFlux §7): spans are `trace`, both telemetry kinds
/// `telemetry`.
pub(crate) fn type_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Log => "log",
        EntryKind::Metric => "metric",
        EntryKind::Trace => "trace",
        EntryKind::Event => "event",
        EntryKind::Audit => "audit",
        EntryKind::Telemetry | EntryKind::TelemetryManaged => "telemetry",
    }
}

/// Where a span's ids go: inside the members (LogFlux) or elsewhere (LuminaLog's top level).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpanIds {
    Inline,
    Elsewhere,
}

/// Writes the members of `record`'s payload into `map`; a log has none.
pub(crate) fn write_members<M: SerializeMap>(
    record: &Record,
    span_ids: SpanIds,
    map: &mut M,
) -> Result<(), M::Error> {
    let name = record.message();
    match record.payload() {
        None => Ok(()),
        Some(Payload::Metric { value, unit, kind }) => {
            map.serialize_entry("name", name)?;
            map.serialize_entry("value", value)?;
            if let Some(unit) = unit {
                map.serialize_entry("unit", unit)?;
            }
            map.serialize_entry("kind", kind.name())
        }
        Some(Payload::Span(span)) => write_span(span, name, span_ids, map),
        Some(Payload::Event) => map.serialize_entry("event", name),
        Some(Payload::Audit(audit)) => {
            map.serialize_entry("action", name)?;
            map.serialize_entry("actor", &audit.actor)?;
            if let Some(actor_type) = &audit.actor_type {
                map.serialize_entry("actor_type", actor_type)?;
            }
            map.serialize_entry("resource", &audit.resource)?;
            map.serialize_entry("resource_id", &audit.resource_id)?;
            map.serialize_entry("outcome", &audit.outcome)
        }
        Some(Payload::Telemetry { readings, .. }) => {
            map.serialize_entry("device_id", name)?;
            map.serialize_entry("readings", &Readings(readings))
        }
        Some(Payload::Error(report)) => write_error(report, name, map),
    }
}

/// The stack frames LogFlux carries, innermost first (§7).
const MAX_SENT_FRAMES: usize = 20;

/// A captured error's members (LogFlux §7): the message, then the type, the chain when it has
/// causes, the frames and the breadcrumbs when there are any.
fn write_error<M: SerializeMap>(
    report: &ErrorReport,
    message: &str,
    map: &mut M,
) -> Result<(), M::Error> {
    let error = &report.error;
    map.serialize_entry("message", message)?;
    if !error.error_type().is_empty() {
        map.serialize_entry("error_type", error.error_type())?;
    }
    if let Some(chain) = error.error_chain() {
        map.serialize_entry("error_chain", &Causes(chain))?;
    }
    let frames = error.innermost_frames(MAX_SENT_FRAMES);
    if !frames.is_empty() {
        map.serialize_entry("stack_trace", &Frames(frames))?;
    }
    if !report.breadcrumbs.is_empty() {
        map.serialize_entry("breadcrumbs", &Crumbs(&report.breadcrumbs))?;
    }
    Ok(())
}

struct Causes<'a>(&'a [Cause]);

impl Serialize for Causes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0.iter().map(
                |cause| serde_json::json!({"type": cause.error_type, "message": cause.message}),
            ),
        )
    }
}

struct Frames<'a>(&'a [Frame]);

impl Serialize for Frames<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|frame| {
            serde_json::json!({"function": frame.function, "file": frame.module,
                               "line": frame.line.unwrap_or(0)})
        }))
    }
}

struct Crumbs<'a>(&'a [Breadcrumb]);

impl Serialize for Crumbs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(CrumbMembers))
    }
}

struct CrumbMembers<'a>(&'a Breadcrumb);

impl Serialize for CrumbMembers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let crumb = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("timestamp", &rfc3339_trimmed(crumb.timestamp_ns))?;
        if let Some(category) = &crumb.category {
            map.serialize_entry("category", category)?;
        }
        map.serialize_entry("message", &crumb.message)?;
        if let Some(level) = crumb.level {
            map.serialize_entry("level", level.name())?;
        }
        if !crumb.data.is_empty() {
            let data: serde_json::Map<String, serde_json::Value> = crumb
                .data
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            map.serialize_entry("data", &data)?;
        }
        map.end()
    }
}

fn write_span<M: SerializeMap>(
    span: &Span,
    name: &str,
    span_ids: SpanIds,
    map: &mut M,
) -> Result<(), M::Error> {
    if span_ids == SpanIds::Inline {
        map.serialize_entry("trace_id", &hex::encode(span.trace_id))?;
        map.serialize_entry("span_id", &hex::encode(span.span_id))?;
        if let Some(parent) = span.parent_span_id {
            map.serialize_entry("parent_span_id", &hex::encode(parent))?;
        }
    }
    map.serialize_entry("operation", &span.operation)?;
    map.serialize_entry("name", name)?;
    map.serialize_entry("start_time", &rfc3339_trimmed(span.start_unix_ns))?;
    map.serialize_entry("end_time", &rfc3339_trimmed(span.end_unix_ns))?;
    let duration_ms = span.end_unix_ns.saturating_sub(span.start_unix_ns) / 1_000_000;
    if duration_ms > 0 {
        map.serialize_entry("duration_ms", &duration_ms)?;
    }
    map.serialize_entry("status", span.status.name())
}

struct Readings<'a>(&'a [Reading]);

impl Serialize for Readings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(ReadingMembers))
    }
}

struct ReadingMembers<'a>(&'a Reading);

impl Serialize for ReadingMembers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let reading = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", &reading.name)?;
        map.serialize_entry("value", &reading.value)?;
        if let Some(unit) = &reading.unit {
            map.serialize_entry("unit", unit)?;
        }
        map.end()
    }
}
