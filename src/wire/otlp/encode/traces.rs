//! Spans as OTLP `Span`s (spec §7).

use serde::Serialize;

use super::attributes::{with_user_attributes, KeyValue};
use crate::entry::{Record, Span, SpanStatus};
use crate::wire::otlp::proto_json::{hex, Decimal};

pub(crate) const OPERATION: &str = "ferrolog.span.operation";
/// Where a span's error text lives among its attributes (logflux.md §7).
const ERROR_MESSAGE: &str = "error.message";

/// OTLP `SpanKind` values.
const KIND_INTERNAL: u8 = 1;
const KIND_SERVER: u8 = 2;
const KIND_CLIENT: u8 = 3;
/// `Status.code` ERROR; OK spans leave the status unset.
pub(crate) const STATUS_ERROR: i64 = 2;
/// W3C trace flags with the sampled bit: a span that reached the encoder passed sampling.
const SAMPLED: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OtlpSpan<'a> {
    trace_id: String,
    span_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_span_id: Option<String>,
    flags: u32,
    name: &'a str,
    kind: u8,
    start_time_unix_nano: Decimal<u64>,
    end_time_unix_nano: Decimal<u64>,
    attributes: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
}

#[derive(Serialize)]
struct Status {
    code: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

pub(super) fn span<'a>(record: &'a Record, span: &'a Span, dropped: &mut u64) -> OtlpSpan<'a> {
    let name = match record.message() {
        "" => span.operation.as_str(),
        name => name,
    };
    let kind = match span.operation.as_str() {
        "http.server" => KIND_SERVER,
        "http.client" => KIND_CLIENT,
        _ => KIND_INTERNAL,
    };
    let user = record.merged_attributes();
    let status = (span.status == SpanStatus::Error).then(|| Status {
        code: STATUS_ERROR,
        message: user
            .get(ERROR_MESSAGE)
            .and_then(|m| m.as_str())
            .map(str::to_owned),
    });
    OtlpSpan {
        trace_id: hex(&span.trace_id),
        span_id: hex(&span.span_id),
        parent_span_id: span.parent_span_id.map(|id| hex(&id)),
        flags: SAMPLED,
        name,
        kind,
        start_time_unix_nano: Decimal(span.start_unix_ns),
        end_time_unix_nano: Decimal(span.end_unix_ns),
        attributes: with_user_attributes(
            vec![KeyValue::string(OPERATION, &span.operation)],
            &[OPERATION],
            user,
            dropped,
        ),
        status,
    }
}
