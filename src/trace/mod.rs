//! Trace ids, spans and propagation across process boundaries.
//!
//! - [`TraceId`]/[`SpanId`]: random, never zero, lowercase hex.
//! - [`extract`]/[`inject`]: W3C `traceparent` and LogFlux's `X-LogFlux-Trace`.
//! - [`trace_id_from_headers`]: LuminaLog's request-id extraction.
//! - [`OpenSpan`]: a span being timed, finished into what a Trace entry carries.

mod context;
mod headers;
mod ids;
mod logflux_header;
mod span;
mod traceparent;

pub use crate::random::reseed_after_fork;
pub use context::TraceContext;
pub use headers::{extract, inject, trace_id_from_headers};
pub use ids::{generate_trace_id_uuid, IdError, SpanId, TraceId};
pub use logflux_header::{format_logflux_trace, parse_logflux_trace, X_LOGFLUX_TRACE};
pub use span::{FinishedSpan, OpenSpan, ERROR_MESSAGE_ATTRIBUTE};
pub use traceparent::{format_traceparent, parse_traceparent, TRACEPARENT};
