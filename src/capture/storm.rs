//! Storm protection: an error raised in a loop is sent a few times per window, then folded
//! into one "repeated N times" summary when its window closes.
//!
//! Windows are per fingerprint and start at its first occurrence. Memory is bounded: at most
//! `max_fingerprints` are tracked, and a new one evicts the one whose window is oldest (its
//! folded count, if any, becomes a summary rather than being lost). Summaries waiting to be
//! taken are bounded the same way.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::CapturedError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StormConfig {
    /// Occurrences sent per fingerprint and window; later ones are folded.
    pub max_per_window: u32,
    pub window: Duration,
    /// Fingerprints tracked at once.
    pub max_fingerprints: usize,
}

impl Default for StormConfig {
    fn default() -> StormConfig {
        StormConfig {
            max_per_window: 10,
            window: Duration::from_secs(60),
            max_fingerprints: 1024,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Send,
    /// Counted towards the fingerprint's summary instead of being sent.
    Fold,
}

/// One folded fingerprint of a closed window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldSummary {
    pub fingerprint: String,
    /// Type and message of the first folded occurrence.
    pub error_type: String,
    pub message: String,
    /// Occurrences folded (not sent) in the window.
    pub folded: u64,
    pub window_start: Instant,
}

impl fmt::Display for FoldSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (repeated {} times)",
            self.error_type, self.message, self.folded
        )
    }
}

pub struct StormGuard {
    config: StormConfig,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    windows: HashMap<String, Window>,
    closed: VecDeque<FoldSummary>,
}

struct Window {
    start: Instant,
    seen: u64,
    /// Type and message of the first folded occurrence; `None` while nothing was folded.
    sample: Option<(String, String)>,
}

impl StormGuard {
    pub fn new(config: StormConfig) -> StormGuard {
        StormGuard {
            config: StormConfig {
                max_fingerprints: config.max_fingerprints.max(1),
                ..config
            },
            state: Mutex::new(State::default()),
        }
    }

    /// Whether this occurrence of `error` is sent or folded.
    pub fn admit(&self, error: &CapturedError, now: Instant) -> Admission {
        let mut state = self.lock();
        let fingerprint = error.fingerprint();
        let expired = state
            .windows
            .get(fingerprint)
            .is_some_and(|window| self.has_closed(window, now));
        if expired {
            if let Some((key, window)) = state.windows.remove_entry(fingerprint) {
                self.close(&mut state, key, window);
            }
        }
        if !state.windows.contains_key(fingerprint) {
            if state.windows.len() >= self.config.max_fingerprints {
                self.evict_oldest(&mut state);
            }
            let window = Window {
                start: now,
                seen: 0,
                sample: None,
            };
            state.windows.insert(fingerprint.to_owned(), window);
        }
        let Some(window) = state.windows.get_mut(fingerprint) else {
            return Admission::Send;
        };
        window.seen += 1;
        if window.seen <= u64::from(self.config.max_per_window) {
            return Admission::Send;
        }
        window
            .sample
            .get_or_insert_with(|| (error.error_type().to_owned(), error.message().to_owned()));
        Admission::Fold
    }

    /// Summaries of every window closed by `now` that folded something, oldest window first.
    pub fn take_summaries(&self, now: Instant) -> Vec<FoldSummary> {
        let mut state = self.lock();
        let closed: Vec<String> = state
            .windows
            .iter()
            .filter(|(_, window)| self.has_closed(window, now))
            .map(|(key, _)| key.clone())
            .collect();
        for key in closed {
            if let Some((key, window)) = state.windows.remove_entry(&key) {
                self.close(&mut state, key, window);
            }
        }
        let mut summaries: Vec<FoldSummary> = state.closed.drain(..).collect();
        summaries.sort_by_key(|summary| summary.window_start);
        summaries
    }

    /// Fingerprints tracked now, for tests and stats.
    pub fn tracked(&self) -> usize {
        self.lock().windows.len()
    }

    fn has_closed(&self, window: &Window, now: Instant) -> bool {
        now.saturating_duration_since(window.start) >= self.config.window
    }

    /// Keeps a summary of a window that folded something.
    fn close(&self, state: &mut State, fingerprint: String, window: Window) {
        let Some((error_type, message)) = window.sample else {
            return;
        };
        if state.closed.len() >= self.config.max_fingerprints {
            state.closed.pop_front();
        }
        state.closed.push_back(FoldSummary {
            fingerprint,
            error_type,
            message,
            folded: window.seen - u64::from(self.config.max_per_window),
            window_start: window.start,
        });
    }

    fn evict_oldest(&self, state: &mut State) {
        let oldest = state
            .windows
            .iter()
            .min_by_key(|(_, window)| window.start)
            .map(|(key, _)| key.clone());
        if let Some((key, window)) = oldest.and_then(|key| state.windows.remove_entry(&key)) {
            self.close(state, key, window);
        }
    }

    /// The state stays consistent between statements, so a panic elsewhere while the lock
    /// was held leaves nothing half-done: a poisoned lock is simply taken over.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for StormGuard {
    fn default() -> StormGuard {
        StormGuard::new(StormConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Frame;

    fn error(function: &str) -> CapturedError {
        CapturedError::new(
            "IOError",
            format!("{function} failed"),
            vec![],
            vec![Frame::new(function, "io.py", Some(1))],
        )
    }

    fn config(max_per_window: u32, window_secs: u64, max_fingerprints: usize) -> StormConfig {
        StormConfig {
            max_per_window,
            window: Duration::from_secs(window_secs),
            max_fingerprints,
        }
    }

    fn admit_times(
        guard: &StormGuard,
        error: &CapturedError,
        now: Instant,
        times: usize,
    ) -> (usize, usize) {
        (0..times).fold((0, 0), |(sent, folded), _| match guard.admit(error, now) {
            Admission::Send => (sent + 1, folded),
            Admission::Fold => (sent, folded + 1),
        })
    }

    #[test]
    fn the_defaults_send_ten_per_minute() {
        let guard = StormGuard::default();
        let start = Instant::now();
        let read = error("read");
        assert_eq!(admit_times(&guard, &read, start, 25), (10, 15));
        let later = start + Duration::from_secs(59);
        assert_eq!(guard.admit(&read, later), Admission::Fold);
        assert!(
            guard.take_summaries(later).is_empty(),
            "the window is still open"
        );
        let next_window = start + Duration::from_secs(60);
        let summaries = guard.take_summaries(next_window);
        assert_eq!(summaries.len(), 1);
        assert_eq!(summaries[0].fingerprint, read.fingerprint());
        assert_eq!(summaries[0].folded, 16);
        assert_eq!(
            summaries[0].to_string(),
            "IOError: read failed (repeated 16 times)"
        );
        assert!(guard.take_summaries(next_window).is_empty(), "taken once");
        assert_eq!(admit_times(&guard, &read, next_window, 10), (10, 0));
    }

    #[test]
    fn a_new_window_on_admit_keeps_the_old_windows_summary() {
        let guard = StormGuard::new(config(2, 10, 16));
        let start = Instant::now();
        let write = error("write");
        assert_eq!(admit_times(&guard, &write, start, 5), (2, 3));
        let reopened = start + Duration::from_secs(11);
        assert_eq!(guard.admit(&write, reopened), Admission::Send);
        let summaries = guard.take_summaries(reopened);
        assert_eq!(summaries.iter().map(|s| s.folded).collect::<Vec<_>>(), [3]);
        assert_eq!(summaries[0].window_start, start);
    }

    #[test]
    fn fingerprints_are_counted_apart() {
        let guard = StormGuard::new(config(1, 60, 16));
        let now = Instant::now();
        assert_eq!(admit_times(&guard, &error("a"), now, 3), (1, 2));
        assert_eq!(admit_times(&guard, &error("b"), now, 3), (1, 2));
        let summaries = guard.take_summaries(now + Duration::from_secs(60));
        assert_eq!(summaries.len(), 2);
        assert!(summaries.iter().all(|s| s.folded == 2));
    }

    #[test]
    fn windows_without_folds_leave_no_summary_and_are_forgotten() {
        let guard = StormGuard::new(config(5, 60, 16));
        let now = Instant::now();
        admit_times(&guard, &error("quiet"), now, 5);
        assert!(guard
            .take_summaries(now + Duration::from_secs(61))
            .is_empty());
        assert_eq!(guard.tracked(), 0);
    }

    #[test]
    fn memory_is_bounded_and_the_oldest_is_evicted_with_its_summary() {
        let guard = StormGuard::new(config(1, 60, 3));
        let start = Instant::now();
        assert_eq!(admit_times(&guard, &error("first"), start, 4), (1, 3));
        for (i, name) in ["b", "c", "d", "e"].iter().enumerate() {
            guard.admit(&error(name), start + Duration::from_secs(i as u64 + 1));
        }
        assert_eq!(guard.tracked(), 3);
        // `first` was evicted, but its three folds are still reported.
        let summaries = guard.take_summaries(start + Duration::from_secs(5));
        assert_eq!(summaries.len(), 1);
        assert_eq!(
            (summaries[0].message.as_str(), summaries[0].folded),
            ("first failed", 3)
        );
        // An evicted fingerprint starts afresh.
        assert_eq!(
            guard.admit(&error("first"), start + Duration::from_secs(6)),
            Admission::Send
        );
    }

    #[test]
    fn waiting_summaries_are_bounded_too() {
        let guard = StormGuard::new(config(0, 1, 2));
        let start = Instant::now();
        for i in 0..10 {
            guard.admit(&error(&format!("f{i}")), start + Duration::from_secs(i));
        }
        let summaries = guard.take_summaries(start + Duration::from_secs(100));
        assert_eq!(summaries.len(), 2);
        assert_eq!(summaries[1].message, "f9 failed");
    }

    #[test]
    fn the_guard_is_shared_across_threads() {
        let guard = std::sync::Arc::new(StormGuard::new(config(10, 60, 16)));
        let now = Instant::now();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let guard = guard.clone();
                std::thread::spawn(move || admit_times(&guard, &error("shared"), now, 50).0)
            })
            .collect();
        let sent: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(sent, 10);
        let summaries = guard.take_summaries(now + Duration::from_secs(60));
        assert_eq!(summaries[0].folded, 190);
    }
}
