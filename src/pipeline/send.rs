//! Delivering one batch: partition it into requests, encode, send, judge, retry on the
//! schedule — never past a deadline — and settle every entry as sent or dropped with a reason.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::entry::Record;
use crate::pipeline::control::DeadlineKind;
use crate::pipeline::encoder::{Encoded, Encoder, Verdict};
use crate::pipeline::retry::RetryPolicy;
use crate::pipeline::stats::DropReason;
use crate::pipeline::Shared;
use crate::scrub::Scrubber;
use crate::transport::{Request, Transport};

pub(crate) struct Sender {
    encoder: Box<dyn Encoder>,
    transport: Transport,
    policy: RetryPolicy,
    http_timeout: Duration,
    /// Scrubs personal data from every entry; `None` in privacy mode.
    scrubber: Option<Arc<Scrubber>>,
    diagnostics: Diagnostics,
}

/// Entries that met a flush deadline while waiting to retry: they stay owed and go out later.
pub(crate) struct Kept(pub Vec<Record>);

impl Sender {
    pub fn new(
        encoder: Box<dyn Encoder>,
        transport: Transport,
        max_retries: Option<u32>,
        retry_backoff: Duration,
        http_timeout: Option<Duration>,
        scrubber: Option<Arc<Scrubber>>,
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
            scrubber,
            diagnostics,
        }
    }

    pub fn send(&mut self, shared: &Shared, batch: Vec<Record>) -> Result<(), Kept> {
        let scrubber = self.scrubber.as_deref();
        let mut batch: Vec<Record> = batch
            .into_iter()
            .map(|record| record.settled(scrubber))
            .collect();
        let before = batch.len();
        batch.retain(|record| self.encoder.accepts(record));
        if batch.len() < before {
            let invalid = (before - batch.len()) as u64;
            shared
                .counters
                .dropped(DropReason::ValidationError, invalid);
        }
        if batch.is_empty() {
            return Ok(());
        }
        let entries = batch.len() as u64;
        // Protocol and transport code run guarded: a bug there loses the entries it held,
        // counted, and the worker carries on; it never takes the host process down.
        let Some(groups) = guarded(|| self.encoder.partition(batch)) else {
            internal_error(shared, entries);
            return Ok(());
        };
        let mut groups = groups.into_iter();
        while let Some(group) = groups.next() {
            if let Err(Kept(mut kept)) = self.send_group(shared, group) {
                kept.extend(groups.flatten());
                return Err(Kept(kept));
            }
        }
        Ok(())
    }

    /// Sends one group as one request until it is settled or a flush deadline keeps it.
    fn send_group(&mut self, shared: &Shared, mut group: Vec<Record>) -> Result<(), Kept> {
        let counters = &shared.counters;
        let entries = group.len() as u64;
        let settled = || counters.settled.load(Relaxed);
        let mut request: Option<Request> = None;
        // Entries the latest encoding left out; settled as validation errors with the rest.
        let mut excluded = 0u64;
        let drop_all = |reason: DropReason, excluded: u64| {
            counters.dropped(reason, entries - excluded);
            counters.dropped(DropReason::ValidationError, excluded);
        };
        let mut reauthenticated = false;
        let mut retries = 0u32;
        // Waits that use up no attempt (a handshake that keeps failing) still back off.
        let mut free_waits = 0u32;
        let mut exhausted = DropReason::NetworkError;
        loop {
            let timeout = match shared.control.deadline(settled()) {
                Some((at, kind)) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return give_up(shared, group, kind, exhausted);
                    }
                    left.min(self.http_timeout)
                }
                None => self.http_timeout,
            };
            let verdict = match &request {
                Some(request) => self.attempt(shared, request, timeout),
                None => match self.ready(shared, &group, timeout) {
                    Some(Ok(encoded)) => {
                        excluded = encoded.excluded.min(entries);
                        request = Some(encoded.request);
                        continue;
                    }
                    Some(Err(verdict)) => Some(verdict),
                    None => None,
                },
            };
            let Some(verdict) = verdict else {
                internal_error(shared, entries);
                return Ok(());
            };
            let wait = match verdict {
                Verdict::Delivered { rejected } => {
                    let carried = entries - excluded;
                    let rejected = rejected.min(carried);
                    counters.requests.fetch_add(1, Relaxed);
                    counters.delivered(carried - rejected);
                    counters.dropped(DropReason::SendError, rejected);
                    counters.dropped(DropReason::ValidationError, excluded);
                    return Ok(());
                }
                Verdict::Drop(reason) => {
                    counters
                        .set_last_error(format!("{entries} entries dropped: {}", reason.name()));
                    drop_all(reason, excluded);
                    return Ok(());
                }
                Verdict::Reauthenticate if !reauthenticated => {
                    reauthenticated = true;
                    self.encoder.reauthenticate();
                    request = None;
                    continue;
                }
                Verdict::Reauthenticate => {
                    counters.set_last_error("credentials refused twice".into());
                    drop_all(DropReason::SendError, excluded);
                    return Ok(());
                }
                Verdict::Split if group.len() > 1 => {
                    let second = group.split_off(group.len().div_ceil(2));
                    return match self.send_group(shared, group) {
                        Ok(()) => self.send_group(shared, second),
                        Err(Kept(mut kept)) => {
                            kept.extend(second);
                            Err(Kept(kept))
                        }
                    };
                }
                Verdict::Split => {
                    counters.dropped(DropReason::ValidationError, entries);
                    return Ok(());
                }
                Verdict::Retry {
                    after,
                    counted,
                    exhausted: reason,
                } => {
                    exhausted = reason;
                    let k = if counted {
                        if retries >= self.policy.max_retries {
                            drop_all(reason, excluded);
                            return Ok(());
                        }
                        retries += 1;
                        retries - 1
                    } else {
                        free_waits += 1;
                        free_waits - 1
                    };
                    after.unwrap_or_else(|| self.policy.delay(k))
                }
            };
            counters.retried.fetch_add(1, Relaxed);
            if let Some(kind) = shared.control.pause(wait, settled) {
                return give_up(shared, group, kind, exhausted);
            }
        }
    }

    /// Prepares the encoder (a handshake, when it needs one) and encodes `group`: the request,
    /// or the verdict that stopped it; `None` when protocol code panicked.
    fn ready(
        &mut self,
        shared: &Shared,
        group: &[Record],
        timeout: Duration,
    ) -> Option<Result<Encoded, Verdict>> {
        let (encoder, transport) = (&mut self.encoder, &self.transport);
        if let Err(verdict) = guarded(|| encoder.prepare(transport, timeout))? {
            return Some(Err(verdict));
        }
        let request = guarded(|| self.encoder.encode(group));
        let counters = &shared.counters;
        let dropped = self.encoder.take_attributes_dropped();
        counters.attributes_dropped.fetch_add(dropped, Relaxed);
        let truncated = self.encoder.take_values_truncated();
        counters.values_truncated.fetch_add(truncated, Relaxed);
        request
    }

    /// One request and its judgement; `None` when protocol or transport code panicked.
    fn attempt(
        &mut self,
        shared: &Shared,
        request: &Request,
        timeout: Duration,
    ) -> Option<Verdict> {
        match guarded(|| self.transport.send(request, timeout))? {
            Ok(response) => guarded(|| self.encoder.judge(&response)),
            Err(error) => {
                self.diagnostics
                    .debug(format_args!("request failed: {error}"));
                shared.counters.set_last_error(error);
                Some(Verdict::BACKOFF)
            }
        }
    }
}

fn internal_error(shared: &Shared, entries: u64) {
    shared
        .counters
        .set_last_error("internal error: entries were lost to a caught panic".into());
    shared.counters.dropped(DropReason::InternalError, entries);
}

/// A deadline arrived before the entries could be delivered: keep them past a flush, drop
/// them at shutdown with the reason that held them back.
fn give_up(
    shared: &Shared,
    group: Vec<Record>,
    kind: DeadlineKind,
    reason: DropReason,
) -> Result<(), Kept> {
    match kind {
        DeadlineKind::Flush => Err(Kept(group)),
        DeadlineKind::Shutdown => {
            shared.counters.dropped(reason, group.len() as u64);
            Ok(())
        }
    }
}

/// Runs `f`, turning a panic into `None`.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}
