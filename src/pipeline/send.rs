//! Delivering one batch: encode, send, judge, retry on the schedule — never past a deadline —
//! and settle every entry as sent or dropped with a reason.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::entry::Record;
use crate::pipeline::control::DeadlineKind;
use crate::pipeline::encoder::{Encoder, Verdict};
use crate::pipeline::retry::RetryPolicy;
use crate::pipeline::stats::DropReason;
use crate::pipeline::Shared;
use crate::transport::Transport;

pub(crate) struct Sender {
    encoder: Box<dyn Encoder>,
    transport: Transport,
    policy: RetryPolicy,
    http_timeout: Duration,
    diagnostics: Diagnostics,
}

/// A batch that met a flush deadline while waiting to retry: it stays owed and goes out later.
pub(crate) struct Kept(pub Vec<Record>);

impl Sender {
    pub fn new(
        encoder: Box<dyn Encoder>,
        transport: Transport,
        max_retries: Option<u32>,
        retry_backoff: Duration,
        http_timeout: Option<Duration>,
        diagnostics: Diagnostics,
    ) -> Sender {
        let policy = RetryPolicy {
            max_retries: max_retries.unwrap_or_else(|| encoder.default_max_retries()),
            base: retry_backoff,
        };
        let http_timeout = http_timeout.unwrap_or_else(|| encoder.default_http_timeout());
        Sender {
            encoder,
            transport,
            policy,
            http_timeout,
            diagnostics,
        }
    }

    pub fn send(&mut self, shared: &Shared, mut batch: Vec<Record>) -> Result<(), Kept> {
        let counters = &shared.counters;
        let before = batch.len();
        batch.retain(|record| self.encoder.accepts(record));
        if batch.len() < before {
            counters.dropped(DropReason::ValidationError, (before - batch.len()) as u64);
        }
        if batch.is_empty() {
            return Ok(());
        }
        let entries = batch.len() as u64;
        // Protocol and transport code run guarded: a bug there loses this batch, counted,
        // and the worker carries on; it never takes the host process down.
        let request = match guarded(|| self.encoder.encode(&batch)) {
            Some(request) => request,
            None => {
                self.internal_error(shared, entries);
                return Ok(());
            }
        };
        let settled = || counters.settled.load(Relaxed);
        let mut retries = 0u32;
        loop {
            let deadline = shared.control.deadline(settled());
            let timeout = match deadline {
                Some((at, kind)) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return self.give_up(shared, batch, entries, kind, false);
                    }
                    left.min(self.http_timeout)
                }
                None => self.http_timeout,
            };
            let answer = guarded(|| self.transport.send(&request, timeout));
            let verdict = match answer.map(|a| a.map(|r| guarded(|| self.encoder.judge(&r)))) {
                None | Some(Ok(None)) => {
                    self.internal_error(shared, entries);
                    return Ok(());
                }
                Some(Ok(Some(verdict))) => verdict,
                Some(Err(error)) => {
                    self.diagnostics
                        .debug(format_args!("request failed: {error}"));
                    counters.set_last_error(error);
                    Verdict::Retry { after: None }
                }
            };
            let wait = match verdict {
                Verdict::Delivered => {
                    counters.requests.fetch_add(1, Relaxed);
                    counters.delivered(entries);
                    return Ok(());
                }
                Verdict::Drop(reason) => {
                    counters
                        .set_last_error(format!("batch of {entries} dropped: {}", reason.name()));
                    counters.dropped(reason, entries);
                    return Ok(());
                }
                // A server-directed wait does not use up an attempt.
                Verdict::Retry { after: Some(after) } => after,
                Verdict::Retry { after: None } => {
                    if retries >= self.policy.max_retries {
                        counters.dropped(DropReason::NetworkError, entries);
                        return Ok(());
                    }
                    retries += 1;
                    self.policy.delay(retries - 1)
                }
            };
            counters.retried.fetch_add(1, Relaxed);
            if let Some(kind) = shared.control.pause(wait, settled) {
                let rate_limited = matches!(verdict, Verdict::Retry { after: Some(_) });
                return self.give_up(shared, batch, entries, kind, rate_limited);
            }
        }
    }

    fn internal_error(&self, shared: &Shared, entries: u64) {
        shared
            .counters
            .set_last_error("internal error: a batch was lost to a caught panic".into());
        shared.counters.dropped(DropReason::InternalError, entries);
    }

    /// A deadline arrived before the batch could be delivered: keep it past a flush, drop it
    /// at shutdown with the reason that held it back.
    fn give_up(
        &self,
        shared: &Shared,
        batch: Vec<Record>,
        entries: u64,
        kind: DeadlineKind,
        rate_limited: bool,
    ) -> Result<(), Kept> {
        match kind {
            DeadlineKind::Flush => Err(Kept(batch)),
            DeadlineKind::Shutdown => {
                let reason = if rate_limited {
                    DropReason::RatelimitBackoff
                } else {
                    DropReason::NetworkError
                };
                shared.counters.dropped(reason, entries);
                Ok(())
            }
        }
    }
}

/// Runs `f`, turning a panic into `None`.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}
