//! Delivering one batch: partition it into requests, encode, send, judge, retry on the
//! schedule — never past a deadline — and settle every entry as sent, dropped with a reason,
//! or spooled. Each request carries its batch's id, the same on every retry and replay.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostics, Event};
use crate::entry::Record;
use crate::pipeline::batch::{Batch, BATCH_HEADER};
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
    /// The latest batch could not be delivered: the spool is replayed only once one is.
    failing: bool,
    /// Why the latest attempt failed (a status, an error class), for the retry diagnostic.
    cause: String,
}

/// Batches that met a flush deadline while waiting to retry: they stay owed and go out later,
/// under the same ids.
pub(crate) struct Kept(pub Vec<Batch>);

/// Why a batch stopped short of settling.
enum Stopped {
    Kept(Vec<Batch>),
    /// Retries ran out, or the shutdown deadline came: for the spool, or dropped as the reason.
    Undelivered(Vec<Batch>, DropReason),
}

impl Stopped {
    fn with(mut self, more: impl IntoIterator<Item = Batch>) -> Stopped {
        match &mut self {
            Stopped::Kept(batches) | Stopped::Undelivered(batches, _) => batches.extend(more),
        }
        self
    }

    fn into_batches(self) -> Vec<Batch> {
        match self {
            Stopped::Kept(batches) | Stopped::Undelivered(batches, _) => batches,
        }
    }
}

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
            failing: false,
            cause: String::new(),
        }
    }

    /// Whether the latest batch could not be delivered.
    pub fn failing(&self) -> bool {
        self.failing
    }

    /// Sends entries taken from the queue, each request as a new batch.
    pub fn send(&mut self, shared: &Shared, records: Vec<Record>) -> Result<(), Kept> {
        let groups = self.groups(shared, records);
        self.send_batches(shared, groups.into_iter().map(Batch::new).collect())
    }

    /// Sends batches a flush deadline kept.
    pub fn resend(&mut self, shared: &Shared, batches: Vec<Batch>) -> Result<(), Kept> {
        self.send_batches(shared, batches)
    }

    /// Sends a batch replayed from the spool under its own id; gives back what could not be
    /// delivered, for the spool to keep in its place.
    pub fn replay(&mut self, shared: &Shared, batch: Batch) -> Result<(), Vec<Batch>> {
        let Batch { id, records } = batch;
        let groups = self.groups(shared, records);
        let mut batches = groups
            .into_iter()
            .enumerate()
            .map(|(index, records)| Batch {
                id: id.part(index),
                records,
            });
        while let Some(batch) = batches.next() {
            if let Err(stopped) = self.send_group(shared, batch) {
                return Err(stopped.with(batches).into_batches());
            }
        }
        Ok(())
    }

    fn send_batches(&mut self, shared: &Shared, batches: Vec<Batch>) -> Result<(), Kept> {
        let mut batches = batches.into_iter();
        while let Some(batch) = batches.next() {
            match self.send_group(shared, batch) {
                Ok(()) => {}
                Err(Stopped::Undelivered(undelivered, reason)) => {
                    for batch in undelivered {
                        shared.keep_or_drop(batch, reason);
                    }
                }
                Err(Stopped::Kept(mut kept)) => {
                    kept.extend(batches);
                    return Err(Kept(kept));
                }
            }
        }
        Ok(())
    }

    /// Settles the records, drops those the protocol cannot carry, and partitions the rest
    /// into the groups that travel as one request each.
    fn groups(&mut self, shared: &Shared, records: Vec<Record>) -> Vec<Vec<Record>> {
        let scrubber = self.scrubber.as_deref();
        let mut records: Vec<Record> = records
            .into_iter()
            .map(|record| record.settled(scrubber))
            .collect();
        let before = records.len();
        records.retain(|record| self.encoder.accepts(record));
        if records.len() < before {
            let invalid = (before - records.len()) as u64;
            shared
                .counters
                .dropped(DropReason::ValidationError, invalid);
        }
        if records.is_empty() {
            return Vec::new();
        }
        let entries = records.len() as u64;
        // Protocol and transport code run guarded: a bug there loses the entries it held,
        // counted, and the worker carries on; it never takes the host process down.
        guarded(|| self.encoder.partition(records)).unwrap_or_else(|| {
            internal_error(shared, entries);
            Vec::new()
        })
    }

    /// Sends one batch as one request until it is settled, or stops short of that.
    fn send_group(&mut self, shared: &Shared, batch: Batch) -> Result<(), Stopped> {
        let Batch {
            id,
            records: mut group,
        } = batch;
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
        // Until an attempt fails, a batch that a shutdown deadline stops was never sent: it
        // is dropped as still queued, not as a network error nothing has yet met.
        let mut exhausted = DropReason::Shutdown;
        loop {
            let timeout = match shared.control.deadline(settled()) {
                Some((at, kind)) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(self.give_up(Batch { id, records: group }, kind, exhausted));
                    }
                    left.min(self.http_timeout)
                }
                None => self.http_timeout,
            };
            let verdict = match &request {
                Some(request) => self.attempt(shared, request, timeout),
                None => match self.ready(shared, &group, timeout) {
                    Some(Ok(mut encoded)) => {
                        excluded = encoded.excluded.min(entries);
                        encoded.request.headers.push((BATCH_HEADER, id.to_string()));
                        request = Some(encoded.request);
                        continue;
                    }
                    Some(Err(verdict)) => {
                        self.cause = "not ready (handshake or rate limit)".into();
                        Some(verdict)
                    }
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
                    self.failing = false;
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
                // Each half is a new batch: the whole was refused, so no receiver holds it.
                Verdict::Split if group.len() > 1 => {
                    let second = Batch::new(group.split_off(group.len().div_ceil(2)));
                    return match self.send_group(shared, Batch::new(group)) {
                        Ok(()) => self.send_group(shared, second),
                        Err(stopped) => Err(stopped.with([second])),
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
                            counters.set_last_error(format!(
                                "{entries} entries undelivered: {}",
                                reason.name()
                            ));
                            self.failing = true;
                            let batch = Batch { id, records: group };
                            return Err(Stopped::Undelivered(vec![batch], reason));
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
            self.diagnostics.debug(
                Event::Retry,
                format_args!(
                    "retry: batch {id} ({entries} entries), attempt {} after {}, in {wait:?}",
                    retries + free_waits + 1,
                    self.cause
                ),
            );
            if let Some(kind) = shared.control.pause(wait, settled) {
                return Err(self.give_up(Batch { id, records: group }, kind, exhausted));
            }
        }
    }

    /// A deadline arrived before the batch could be delivered: keep it past a flush; at
    /// shutdown it is undelivered, for the reason that held it back.
    fn give_up(&mut self, batch: Batch, kind: DeadlineKind, reason: DropReason) -> Stopped {
        match kind {
            DeadlineKind::Flush => Stopped::Kept(vec![batch]),
            DeadlineKind::Shutdown => {
                self.failing = true;
                Stopped::Undelivered(vec![batch], reason)
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
            Ok(response) => {
                if self.diagnostics.debugging() {
                    self.cause = format!("status {}", response.status);
                }
                guarded(|| self.encoder.judge(&response))
            }
            Err(error) => {
                if self.diagnostics.debugging() {
                    self.cause = format!("request error: {error}");
                }
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

/// Runs `f`, turning a panic into `None`.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}
