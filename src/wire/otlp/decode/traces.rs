//! Spans back into span entries (spec §11, spans).

use serde_json::{Map, Value};

use super::attributes::attributes;
use super::reader::Obj;
use super::resource::Resource;
use super::{entry, Failure};
use crate::entry::{EntryKind, SpanStatus};
use crate::level::Level;
use crate::wire::decoded::DecodedEntry;
use crate::wire::otlp::encode::{OPERATION, STATUS_ERROR};
use crate::wire::otlp::proto_json::parse_id;
use crate::wire::rfc3339_trimmed;

pub(super) fn decode(span: &Obj, resource: &Resource) -> Result<DecodedEntry, Failure> {
    let trace_id = required_id::<16>(span, "traceId")?;
    let span_id = required_id::<8>(span, "spanId")?;
    let parent_span_id = match span.string("parentSpanId")?.filter(|id| !id.is_empty()) {
        Some(id) => Some(parse_id::<8>(id).ok_or_else(|| bad_id(span, "parentSpanId", 8))?),
        None => None,
    };
    let name = span.string("name")?.unwrap_or_default();
    let start = span.uint64("startTimeUnixNano")?.unwrap_or(0);
    let end = span.uint64("endTimeUnixNano")?.unwrap_or(0);
    let status = match span.object("status")? {
        Some(status) if status.enumeration("code", status_code)? == Some(STATUS_ERROR) => {
            SpanStatus::Error
        }
        _ => SpanStatus::Ok,
    };
    let mut attributes = attributes(span, "attributes")?;
    let operation = match attributes.remove(OPERATION) {
        Some(Value::String(operation)) => operation,
        _ => name.to_owned(),
    };

    let mut details = Map::new();
    details.insert("operation".into(), operation.into());
    details.insert("name".into(), name.into());
    details.insert("start_time".into(), rfc3339_trimmed(start).into());
    details.insert("end_time".into(), rfc3339_trimmed(end).into());
    // Whole milliseconds, and absent when 0, as LogFlux's `duration_ms?` is.
    let duration_ms = end.saturating_sub(start) / 1_000_000;
    if duration_ms > 0 {
        details.insert("duration_ms".into(), duration_ms.into());
    }
    details.insert("status".into(), status.name().into());

    // Spans carry no level; the entry's time is its end, when ferrolog creates the entry.
    let mut decoded = entry(resource, EntryKind::Trace, Level::Info.number(), end);
    decoded.message = name.to_owned();
    decoded.attributes = attributes;
    decoded.trace_id = Some(trace_id);
    decoded.span_id = Some(span_id);
    decoded.parent_span_id = parent_span_id;
    decoded.details = Some(Value::Object(details));
    Ok(decoded)
}

/// A span without valid ids cannot be stored: it is rejected, not the request.
fn required_id<const N: usize>(span: &Obj, key: &str) -> Result<String, Failure> {
    let id = span.string(key)?.unwrap_or_default();
    parse_id::<N>(id).ok_or_else(|| bad_id(span, key, N))
}

fn bad_id(span: &Obj, key: &str, bytes: usize) -> Failure {
    Failure::Reject(format!(
        "{} must be {} hex digits, not all zero",
        span.path(key),
        2 * bytes
    ))
}

fn status_code(name: &str) -> Option<i64> {
    ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]
        .iter()
        .position(|n| *n == name)
        .map(|code| code as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_give_codes() {
        assert_eq!(status_code("STATUS_CODE_ERROR"), Some(2));
        assert_eq!(status_code("STATUS_CODE_UNSET"), Some(0));
        assert_eq!(status_code("ERROR"), None);
    }
}
