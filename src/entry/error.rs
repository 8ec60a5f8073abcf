//! What a captured error entry carries: the error with its chain, frames and fingerprint, the
//! breadcrumb trail at the moment of capture, and, for callers that brought no frames, the
//! native stack still to be resolved on the worker.

use serde::{Deserialize, Serialize};

use crate::breadcrumbs::Breadcrumb;
use crate::capture::{CapturedError, Cause, NativeBacktrace};
use crate::scrub::{Scrubber, REDACTED};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorReport {
    pub error: CapturedError,
    /// Oldest first.
    pub breadcrumbs: Vec<Breadcrumb>,
    /// A fingerprint the caller chose, sent where a protocol has a place for one (LuminaLog
    /// sends no other).
    pub supplied_fingerprint: Option<String>,
    /// The caller's stack, captured on its thread and resolved on the worker, where reading
    /// debug info costs the caller nothing. Never serialized: a record is settled, and its
    /// stack resolved, before it is spooled.
    #[serde(skip)]
    native: Option<NativeBacktrace>,
}

/// Reports are equal when what they send is: an unresolved stack is not compared.
impl PartialEq for ErrorReport {
    fn eq(&self, other: &ErrorReport) -> bool {
        self.error == other.error
            && self.breadcrumbs == other.breadcrumbs
            && self.supplied_fingerprint == other.supplied_fingerprint
    }
}

impl ErrorReport {
    pub fn new(error: CapturedError, breadcrumbs: Vec<Breadcrumb>) -> ErrorReport {
        ErrorReport {
            error,
            breadcrumbs,
            supplied_fingerprint: None,
            native: None,
        }
    }

    /// A report whose frames are the calling thread's, resolved later by [`ErrorReport::settle`].
    /// `error` should have no frames of its own.
    pub fn with_native_stack(mut self) -> ErrorReport {
        self.native = Some(NativeBacktrace::capture());
        self
    }

    /// Resolves a native stack into the error's frames, and its fingerprint with them.
    pub(crate) fn settle(&mut self) {
        if let Some(native) = self.native.take() {
            let error = &self.error;
            let causes = error.chain().iter().skip(1).cloned();
            self.error = CapturedError::new(
                error.error_type(),
                error.message(),
                causes.collect::<Vec<_>>(),
                native.resolve(),
            );
        }
    }

    /// Scrubs the error's text, its causes' and the breadcrumbs' messages and data; the
    /// fingerprint, computed before, stays.
    pub(crate) fn scrub(&mut self, scrubber: &Scrubber) {
        let error = &self.error;
        let text = |s: &str| scrubber.scrub_text(s).into_owned();
        let causes: Vec<Cause> = error
            .chain()
            .iter()
            .skip(1)
            .map(|cause| Cause {
                error_type: cause.error_type.clone(),
                message: text(&cause.message),
            })
            .collect();
        self.error = CapturedError::new(
            error.error_type(),
            text(error.message()),
            causes,
            error.frames().to_vec(),
        )
        .with_fingerprint(error.fingerprint());
        for crumb in &mut self.breadcrumbs {
            crumb.message = text(&crumb.message);
            for (key, value) in &mut crumb.data {
                *value = if scrubber.is_sensitive_key(key) {
                    REDACTED.to_owned()
                } else {
                    text(value)
                };
            }
        }
    }

    /// Heap bytes held, roughly, for the queue's byte bound.
    pub fn weight(&self) -> usize {
        let error = &self.error;
        let causes: usize = error
            .chain()
            .iter()
            .map(|c| c.error_type.len() + c.message.len())
            .sum();
        let frames: usize = error
            .frames()
            .iter()
            .map(|f| f.function.len() + f.module.len() + 16)
            .sum();
        let crumbs: usize = self.breadcrumbs.iter().map(|b| b.message.len() + 48).sum();
        // An unresolved stack holds a few dozen return addresses.
        let native = self.native.as_ref().map_or(0, |_| 64 * 16);
        causes + frames + crumbs + native + error.fingerprint().len()
    }
}
