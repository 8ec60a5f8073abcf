//! How callers and workers signal each other: the doorbell the workers sleep on, the progress
//! bell that flushers and blocked producers wait on, and the deadlines every wait respects.

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Which deadline ended a wait: at a flush deadline work is kept for later, at the shutdown
/// deadline it is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeadlineKind {
    Flush,
    Shutdown,
}

#[derive(Default)]
pub(crate) struct State {
    /// Accepted-entry count that an active flush waits to see settled.
    pub flush_target: u64,
    pub flush_deadline: Option<Instant>,
    pub shutdown_deadline: Option<Instant>,
    pub workers_alive: usize,
}

#[derive(Default)]
pub(crate) struct Control {
    state: Mutex<State>,
    /// Workers sleep here.
    doorbell: Condvar,
    /// Flushers, shutdown and producers blocked on a full queue sleep here.
    progress: Condvar,
    /// A producer has rung for a full batch and the worker has not looked yet; keeps a burst
    /// from ringing once per entry.
    pub batch_rung: AtomicBool,
    /// Send what is queued now: an emergency entry is waiting, or a producer is blocked on a
    /// full queue.
    pub drain_now: AtomicBool,
    /// No entry is accepted any more.
    pub closed: AtomicBool,
}

impl Control {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a thread panicked while holding it; the state is plain
        // numbers and stays meaningful, so carry on rather than spread the panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks the workers to send what is queued without waiting for a full batch.
    pub fn ring_for_drain(&self) {
        self.drain_now.store(true, SeqCst);
        self.ring();
    }

    pub fn ring(&self) {
        let _state = self.lock();
        self.doorbell.notify_all();
    }

    /// Rings for a full batch unless a ring is already pending.
    pub fn ring_for_batch(&self) {
        if !self.batch_rung.load(SeqCst) && !self.batch_rung.swap(true, SeqCst) {
            self.ring();
        }
    }

    pub fn notify_progress(&self) {
        let _state = self.lock();
        self.progress.notify_all();
    }

    /// Sleeps on the doorbell until rung or `until`.
    pub fn sleep_worker<'a>(
        &self,
        state: MutexGuard<'a, State>,
        until: Instant,
    ) -> MutexGuard<'a, State> {
        let wait = until.saturating_duration_since(Instant::now());
        self.doorbell
            .wait_timeout(state, wait)
            .unwrap_or_else(|e| e.into_inner())
            .0
    }

    /// Sleeps on the progress bell until notified or `until`.
    pub fn sleep_caller<'a>(
        &self,
        state: MutexGuard<'a, State>,
        until: Instant,
    ) -> MutexGuard<'a, State> {
        let wait = until.saturating_duration_since(Instant::now());
        self.progress
            .wait_timeout(state, wait)
            .unwrap_or_else(|e| e.into_inner())
            .0
    }

    /// The earliest deadline in force: an unfinished flush's, or shutdown's.
    pub fn deadline(&self, settled: u64) -> Option<(Instant, DeadlineKind)> {
        self.lock().deadline(settled)
    }

    /// Waits `wait` on the doorbell, cut short only by a deadline that arrives first; returns
    /// that deadline's kind. The deadline is read under the lock the wait releases, so a
    /// shutdown that starts meanwhile is never slept through.
    pub fn pause(&self, wait: Duration, settled: impl Fn() -> u64) -> Option<DeadlineKind> {
        let end = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let deadline = state.deadline(settled()).filter(|(d, _)| *d < end);
            match deadline {
                Some((d, kind)) if now >= d => return Some(kind),
                None if now >= end => return None,
                _ => {}
            }
            state = self.sleep_worker(state, deadline.map_or(end, |(d, _)| d));
        }
    }
}

impl State {
    fn deadline(&self, settled: u64) -> Option<(Instant, DeadlineKind)> {
        let flush = self
            .flush_deadline
            .filter(|_| settled < self.flush_target)
            .map(|d| (d, DeadlineKind::Flush));
        let shutdown = self.shutdown_deadline.map(|d| (d, DeadlineKind::Shutdown));
        match (flush, shutdown) {
            (Some(f), Some(s)) => Some(if f.0 < s.0 { f } else { s }),
            (f, s) => f.or(s),
        }
    }
}
