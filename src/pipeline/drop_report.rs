//! Drops as debug lines: the workers compare the drop counters with what was last reported
//! and say what grew, by reason. Drops on the caller's thread (a full queue) are reported
//! this way too, so the hot path never writes a diagnostic.

use std::sync::{Mutex, PoisonError};

use crate::diagnostics::{Diagnostics, Event};
use crate::pipeline::stats::{Counters, DropReason};

#[derive(Default)]
pub(crate) struct DropReport {
    reported: Mutex<[u64; DropReason::ALL.len()]>,
}

impl DropReport {
    /// Reports the drops since the last call; nothing at all without debug.
    pub fn report(&self, counters: &Counters, diagnostics: Diagnostics) {
        if !diagnostics.debugging() {
            return;
        }
        let stats = counters.snapshot(0);
        let mut reported = self.reported.lock().unwrap_or_else(PoisonError::into_inner);
        for (reason, seen) in DropReason::ALL.into_iter().zip(reported.iter_mut()) {
            let now = stats.dropped(reason);
            if now > *seen {
                diagnostics.debug(
                    Event::Drop,
                    format_args!("dropped {} entries: {}", now - *seen, reason.name()),
                );
                *seen = now;
            }
        }
    }
}
