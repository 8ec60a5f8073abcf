//! A span being timed: ids, name, attributes and outcome until it is finished.
//!
//! Independent of the client: whoever owns an [`OpenSpan`] turns the [`FinishedSpan`] into a
//! Trace entry (its name is the entry's message).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::context::TraceContext;
use super::ids::{SpanId, TraceId};
use crate::entry::{Span, SpanStatus};

/// The attribute a failed span's error message travels in (logflux.md §7, otlp.md §7).
pub const ERROR_MESSAGE_ATTRIBUTE: &str = "error.message";

#[derive(Clone, Debug, PartialEq)]
pub struct OpenSpan {
    context: TraceContext,
    parent_span_id: Option<SpanId>,
    name: String,
    operation: String,
    start_unix_ns: u64,
    attributes: Map<String, Value>,
    /// `Some` once the span recorded an error, even one with an empty message.
    error: Option<String>,
}

/// What the pipeline needs to emit a finished span as a Trace entry.
#[derive(Clone, Debug, PartialEq)]
pub struct FinishedSpan {
    /// The entry's message.
    pub name: String,
    pub span: Span,
    /// The span's attributes, with `error.message` when the span failed with a message.
    pub attributes: Map<String, Value>,
    /// Whether the trace is sampled (OTLP `flags`); entry [`Span`] has no place for it.
    pub sampled: bool,
}

impl OpenSpan {
    /// The first span of a new trace, sampled, starting now.
    pub fn root(name: impl Into<String>, operation: impl Into<String>) -> OpenSpan {
        let context = TraceContext {
            trace_id: TraceId::random(),
            span_id: SpanId::random(),
            sampled: true,
        };
        OpenSpan::start(context, None, name.into(), operation.into())
    }

    /// A span inside `parent`'s trace: a new span id, `parent`'s span id as its parent, and
    /// `parent`'s sampling decision.
    pub fn child_of(
        parent: &TraceContext,
        name: impl Into<String>,
        operation: impl Into<String>,
    ) -> OpenSpan {
        let context = TraceContext {
            span_id: SpanId::random(),
            ..*parent
        };
        OpenSpan::start(context, Some(parent.span_id), name.into(), operation.into())
    }

    /// The receiving side of propagation: a span continuing the trace of a context extracted
    /// from another process's headers. A remote parent is a parent like any other, so this is
    /// [`OpenSpan::child_of`] under the name callers look for.
    pub fn continue_from(
        remote: &TraceContext,
        name: impl Into<String>,
        operation: impl Into<String>,
    ) -> OpenSpan {
        OpenSpan::child_of(remote, name, operation)
    }

    fn start(
        context: TraceContext,
        parent_span_id: Option<SpanId>,
        name: String,
        operation: String,
    ) -> OpenSpan {
        OpenSpan {
            context,
            parent_span_id,
            name,
            operation,
            start_unix_ns: now_unix_ns(),
            attributes: Map::new(),
            error: None,
        }
    }

    /// The context to propagate, and to stamp on entries logged inside this span.
    pub fn context(&self) -> TraceContext {
        self.context
    }

    pub fn parent_span_id(&self) -> Option<SpanId> {
        self.parent_span_id
    }

    pub fn start_unix_ns(&self) -> u64 {
        self.start_unix_ns
    }

    /// Overrides the start time, for spans whose start was measured elsewhere.
    pub fn set_start_unix_ns(&mut self, start_unix_ns: u64) {
        self.start_unix_ns = start_unix_ns;
    }

    /// Overrides the sampling decision, for a root span the client's sampler rejected.
    pub fn set_sampled(&mut self, sampled: bool) {
        self.context.sampled = sampled;
    }

    pub fn set_attribute(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.attributes.insert(key.into(), value.into());
    }

    /// Marks the span failed; the last message given wins.
    pub fn set_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    /// Ends the span at `end_unix_ns`; an end before the start becomes the start, so a clock
    /// stepping back never yields a negative duration.
    pub fn finish(self, end_unix_ns: u64) -> FinishedSpan {
        let mut attributes = self.attributes;
        let status = match self.error {
            Some(message) => {
                if !message.is_empty() {
                    attributes.insert(ERROR_MESSAGE_ATTRIBUTE.to_owned(), Value::String(message));
                }
                SpanStatus::Error
            }
            None => SpanStatus::Ok,
        };
        FinishedSpan {
            name: self.name,
            span: Span {
                trace_id: self.context.trace_id.to_bytes(),
                span_id: self.context.span_id.to_bytes(),
                parent_span_id: self.parent_span_id.map(SpanId::to_bytes),
                operation: self.operation,
                start_unix_ns: self.start_unix_ns,
                end_unix_ns: end_unix_ns.max(self.start_unix_ns),
                status,
            },
            attributes,
            sampled: self.context.sampled,
        }
    }

    /// Ends the span now.
    pub fn finish_now(self) -> FinishedSpan {
        self.finish(now_unix_ns())
    }
}

fn now_unix_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::extract;
    use serde_json::json;

    #[test]
    fn a_root_starts_a_sampled_trace_without_parent() {
        let before = now_unix_ns();
        let root = OpenSpan::root("GET /users", "http.server");
        assert!(root.context().sampled);
        assert_eq!(root.parent_span_id(), None);
        assert!(root.start_unix_ns() >= before);
        let finished = root.finish_now();
        assert_eq!(finished.name, "GET /users");
        assert_eq!(finished.span.operation, "http.server");
        assert_eq!(finished.span.parent_span_id, None);
        assert_eq!(finished.span.status, SpanStatus::Ok);
        assert!(finished.span.end_unix_ns >= finished.span.start_unix_ns);
        assert_ne!(OpenSpan::root("a", "b").context().trace_id, {
            OpenSpan::root("a", "b").context().trace_id
        });
    }

    #[test]
    fn a_child_shares_the_trace_and_points_at_its_parent() {
        let mut parent = OpenSpan::root("request", "http.server");
        parent.set_sampled(false);
        let child = OpenSpan::child_of(&parent.context(), "query", "db");
        assert_eq!(child.context().trace_id, parent.context().trace_id);
        assert_ne!(child.context().span_id, parent.context().span_id);
        assert_eq!(child.parent_span_id(), Some(parent.context().span_id));
        assert!(!child.context().sampled);
        let finished = child.finish(u64::MAX);
        assert_eq!(finished.span.trace_id, parent.context().trace_id.to_bytes());
        assert_eq!(
            finished.span.parent_span_id,
            Some(parent.context().span_id.to_bytes())
        );
        assert!(!finished.sampled);
    }

    #[test]
    fn continuing_a_remote_trace_keeps_its_id_and_sampling() {
        let headers = [(
            "X-LogFlux-Trace",
            "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",
        )];
        let remote = extract(&headers).unwrap();
        let span = OpenSpan::continue_from(&remote, "handle", "http.server");
        assert_eq!(
            span.context().trace_id.to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(
            span.parent_span_id().unwrap().to_string(),
            "00f067aa0ba902b7"
        );
        assert_ne!(span.context().span_id, remote.span_id);
        assert!(!span.context().sampled);
    }

    #[test]
    fn attributes_and_error_reach_the_finished_span() {
        let mut span = OpenSpan::root("charge", "payment");
        span.set_start_unix_ns(1_000);
        span.set_attribute("amount", 42);
        span.set_attribute("currency", "EUR");
        span.set_error("first");
        span.set_error("card declined");
        let finished = span.finish(3_500);
        assert_eq!(finished.span.status, SpanStatus::Error);
        assert_eq!(
            (finished.span.start_unix_ns, finished.span.end_unix_ns),
            (1_000, 3_500)
        );
        assert_eq!(
            Value::Object(finished.attributes),
            json!({"amount": 42, "currency": "EUR", "error.message": "card declined"})
        );
    }

    #[test]
    fn an_error_without_message_fails_the_span_without_an_attribute() {
        let mut span = OpenSpan::root("job", "task");
        span.set_error("");
        let finished = span.finish_now();
        assert_eq!(finished.span.status, SpanStatus::Error);
        assert!(finished.attributes.is_empty());
    }

    #[test]
    fn an_end_before_the_start_clamps_to_a_zero_duration() {
        let mut span = OpenSpan::root("late", "clock");
        span.set_start_unix_ns(5_000);
        let finished = span.finish(4_000);
        assert_eq!(
            (finished.span.start_unix_ns, finished.span.end_unix_ns),
            (5_000, 5_000)
        );
    }
}
