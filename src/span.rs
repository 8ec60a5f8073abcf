//! Spans on a client: timed from start to [`ActiveSpan::end`], which sends the Trace entry
//! through the logger the span was started from.
//!
//! A root span takes the traces sampling decision; children and spans continued from another
//! process's headers inherit theirs, so a trace is kept or left out whole. A logger bound to a
//! span ([`ActiveSpan::logger`]) stamps the span's trace and span ids on every entry it sends.

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::client::{LogStatus, Logger};
use crate::trace::{self, OpenSpan, TraceContext};

/// A span being timed. Safe to share across threads; ending it a second time does nothing.
pub struct ActiveSpan {
    logger: Logger,
    context: TraceContext,
    /// `None` once ended.
    open: Mutex<Option<OpenSpan>>,
}

/// Which propagation header [`ActiveSpan::header`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderKind {
    /// W3C `traceparent`.
    TraceParent,
    /// LogFlux's `X-LogFlux-Trace`.
    LogFlux,
}

impl HeaderKind {
    pub fn name(self) -> &'static str {
        match self {
            HeaderKind::TraceParent => trace::TRACEPARENT,
            HeaderKind::LogFlux => trace::X_LOGFLUX_TRACE,
        }
    }
}

impl ActiveSpan {
    /// Starts `open` for `logger`, whose attributes the Trace entry will carry.
    pub(crate) fn start(logger: Logger, open: OpenSpan) -> ActiveSpan {
        ActiveSpan {
            logger,
            context: open.context(),
            open: Mutex::new(Some(open)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<OpenSpan>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A child span: the same trace and sampling decision, this span as its parent.
    pub fn start_child(&self, name: &str, operation: &str) -> ActiveSpan {
        let child = OpenSpan::child_of(&self.context, name, operation);
        ActiveSpan::start(self.logger.clone(), child)
    }

    pub fn context(&self) -> TraceContext {
        self.context
    }

    /// A logger with the span's logger's attributes that stamps this span's ids on every
    /// entry it sends.
    pub fn logger(&self) -> Logger {
        self.logger.bound_to(self.context)
    }

    /// The propagation header for a request this span makes: its name and value.
    pub fn header(&self, kind: HeaderKind) -> (&'static str, String) {
        let value = match kind {
            HeaderKind::TraceParent => trace::format_traceparent(&self.context),
            HeaderKind::LogFlux => trace::format_logflux_trace(&self.context),
        };
        (kind.name(), value)
    }

    /// Sets an attribute of the Trace entry; after the end, does nothing.
    pub fn set_attribute(&self, key: &str, value: impl Into<Value>) {
        if let Some(open) = self.lock().as_mut() {
            open.set_attribute(key, value);
        }
    }

    /// Marks the span failed, with `message` as its `error.message`.
    pub fn set_error(&self, message: &str) {
        if let Some(open) = self.lock().as_mut() {
            open.set_error(message);
        }
    }

    /// Ends the span now and sends its Trace entry (left out, as `sampled`, when the trace is
    /// not sampled). `None` when it had ended already.
    pub fn end(&self) -> Option<LogStatus> {
        let open = self.lock().take()?;
        Some(self.logger.send_span(open.finish_now()))
    }

    /// Whether [`ActiveSpan::end`] has run.
    pub fn ended(&self) -> bool {
        self.lock().is_none()
    }
}
