//! What crosses a process boundary: the trace, the span to continue from, the sampling flag.

use super::ids::{SpanId, TraceId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceContext {
    pub trace_id: TraceId,
    /// The span the receiver's new span becomes a child of.
    pub span_id: SpanId,
    pub sampled: bool,
}
