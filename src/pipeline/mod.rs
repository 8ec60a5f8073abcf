//! The pipeline of DESIGN.md §2: a bounded queue in front of background workers.
//!
//! The caller's side ([`Pipeline::push`]) is a few atomic operations: no serialization, no I/O,
//! and no wake-up of a worker except when a batch fills, on flush and shutdown, and for
//! emergency entries. Everything else happens on the workers.

pub mod batch;
mod control;
mod drop_report;
pub mod encoder;
mod queue;
pub mod refused;
mod replay;
mod retry;
mod send;
mod spooling;
pub mod stats;
#[cfg(test)]
mod tests;
mod worker;

use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::config::Overflow;
use crate::diagnostics::{Diagnostics, Event};
use crate::entry::Record;
use crate::level::Level;
use crate::scrub::Scrubber;
use crate::transport::Transport;
use batch::Batch;
use control::Control;
use drop_report::DropReport;
use queue::Queue;
use stats::{Counters, DropReason, Stats};

pub(crate) use encoder::Encoder;
pub(crate) use spooling::SpoolSettings;
use spooling::Spooling;

/// How long workers may take to leave once their in-flight requests are cancelled.
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// What happened to one entry handed to the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    Accepted,
    /// Refused by the overflow policy; counted as `queue_overflow`.
    Dropped,
    ShutDown,
}

/// What a flush or shutdown achieved by the time it returned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Everything accepted before the call was settled in time.
    pub completed: bool,
    /// Entries delivered while the call waited.
    pub sent: u64,
    /// Entries dropped while the call waited.
    pub dropped: u64,
    /// Entries still owed when the call returned: queued, in flight, or kept for a retry.
    pub left: u64,
}

/// Pipeline settings, already validated and clamped by the client.
pub(crate) struct Settings {
    pub batch_size: usize,
    pub flush_interval: Duration,
    pub queue_size: usize,
    pub queue_max_bytes: usize,
    pub overflow: Overflow,
    pub block_timeout: Duration,
    pub worker_count: usize,
    pub max_retries: Option<u32>,
    pub retry_backoff: Duration,
    pub http_timeout: Option<Duration>,
    /// Scrubs personal data from every entry on the workers; `None` in privacy mode.
    pub scrubber: Option<Arc<Scrubber>>,
    pub diagnostics: Diagnostics,
    /// Where undeliverable batches are kept; `None`: they are dropped.
    pub spool: Option<SpoolSettings>,
}

/// What the callers and the workers share.
pub(crate) struct Shared {
    queue: Queue,
    control: Control,
    counters: Counters,
    batch_size: usize,
    flush_interval: Duration,
    spooling: Spooling,
    diagnostics: Diagnostics,
    drops: DropReport,
}

impl Shared {
    /// Says, in debug, which drops happened since the last report.
    fn report_drops(&self) {
        self.drops.report(&self.counters, self.diagnostics);
    }

    /// Entries taken in (accepted, or replayed from the spool) and not yet settled.
    fn taken(&self) -> u64 {
        self.counters.accepted.load(SeqCst) + self.counters.replayed.load(SeqCst)
    }

    fn owed(&self) -> u64 {
        // Settling can briefly run ahead of the accepted count, which is bumped after the push.
        let settled = self.counters.settled.load(SeqCst);
        self.taken().saturating_sub(settled)
    }

    /// Settles what is still queued as undeliverable: spooled, or dropped as `reason`.
    fn drop_queued(&self, reason: DropReason) {
        loop {
            let mut records = Vec::new();
            self.queue.pop_batch(self.batch_size, &mut records);
            if records.is_empty() {
                return;
            }
            self.keep_or_drop(Batch::new(records), reason);
        }
    }
}

pub(crate) struct Pipeline {
    shared: Arc<Shared>,
    /// Shared with every worker's sender, so shutdown can cancel what is still in flight.
    transport: Transport,
    overflow: Overflow,
    block_timeout: Duration,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Pipeline {
    /// Starts `settings.worker_count` workers, each with its own encoder.
    pub fn start(
        settings: Settings,
        mut make_encoder: impl FnMut() -> Box<dyn Encoder>,
    ) -> std::io::Result<Pipeline> {
        let counters = Counters::default();
        let spooling = Spooling::open(
            settings.spool,
            settings.scrubber.clone(),
            settings.diagnostics,
            &counters,
        );
        let shared = Arc::new(Shared {
            queue: Queue::new(settings.queue_size, settings.queue_max_bytes),
            control: Control::default(),
            counters,
            spooling,
            // A queue smaller than a batch could otherwise never fill one.
            batch_size: settings.batch_size.min(settings.queue_size).max(1),
            flush_interval: settings.flush_interval,
            diagnostics: settings.diagnostics,
            drops: DropReport::default(),
        });
        let pipeline = Pipeline {
            shared: Arc::clone(&shared),
            transport: Transport::new(),
            overflow: settings.overflow,
            block_timeout: settings.block_timeout,
            workers: Mutex::new(Vec::new()),
        };
        for index in 0..settings.worker_count {
            let sender = send::Sender::new(
                make_encoder(),
                pipeline.transport.clone(),
                settings.max_retries,
                settings.retry_backoff,
                settings.http_timeout,
                settings.scrubber.clone(),
                settings.diagnostics,
            );
            let worker_shared = Arc::clone(&shared);
            shared.control.lock().workers_alive += 1;
            let spawned = std::thread::Builder::new()
                .name(format!("ferrolog-worker-{index}"))
                .spawn(move || worker::run(worker_shared, sender));
            match spawned {
                Ok(handle) => pipeline.lock_workers().push(handle),
                Err(error) => {
                    shared.control.lock().workers_alive -= 1;
                    pipeline.shutdown(Duration::ZERO);
                    return Err(error);
                }
            }
        }
        Ok(pipeline)
    }

    fn lock_workers(&self) -> std::sync::MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.workers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The hot path: hand one record to the workers.
    pub fn push(&self, record: Record) -> Pushed {
        let shared = &*self.shared;
        if shared.control.closed.load(Relaxed) {
            return Pushed::ShutDown;
        }
        let urgent = record.level == Level::Emergency;
        let pushed = match self.overflow {
            Overflow::DropNewest => shared.queue.try_push(record).is_ok(),
            Overflow::DropOldest => match shared.queue.push_evicting(record) {
                Ok(evicted) => {
                    if evicted > 0 {
                        shared
                            .counters
                            .dropped(DropReason::QueueOverflow, evicted as u64);
                    }
                    true
                }
                Err(_) => false,
            },
            Overflow::Block => self.push_blocking(record),
        };
        if !pushed {
            shared.counters.refused(DropReason::QueueOverflow, 1);
            return Pushed::Dropped;
        }
        let accepted = shared.counters.accepted.fetch_add(1, SeqCst) + 1;
        if urgent {
            shared.control.ring_for_drain();
        } else if accepted % shared.batch_size as u64 == 0 {
            // Counting accepted entries, rather than reading the queue's length, keeps the
            // caller off the cache lines the workers write. A worker that finds less than a
            // batch waiting (it took a partial one on its interval) is rung again one batch
            // later, so the queue never holds more than two batches before a wake.
            shared.control.ring_for_batch();
        }
        Pushed::Accepted
    }

    /// Waits for room up to the block timeout, waking the workers to make it.
    fn push_blocking(&self, record: Record) -> bool {
        let shared = &*self.shared;
        let mut record = match shared.queue.try_push(record) {
            Ok(()) => return true,
            Err(record) => record,
        };
        let deadline = Instant::now() + self.block_timeout;
        loop {
            shared.control.ring_for_drain();
            let state = shared.control.lock();
            // Re-tried under the lock the workers take to announce room, so no notice is missed.
            record = match shared.queue.try_push(record) {
                Ok(()) => return true,
                Err(record) => record,
            };
            if Instant::now() >= deadline || shared.control.closed.load(Relaxed) {
                return false;
            }
            drop(shared.control.sleep_caller(state, deadline));
        }
    }

    /// Sends everything accepted before the call, waiting at most `timeout`.
    pub fn flush(&self, timeout: Duration) -> FlushReport {
        let shared = &*self.shared;
        let deadline = Instant::now() + timeout;
        let target = shared.taken();
        {
            let mut state = shared.control.lock();
            // Flushes still waiting keep the latest deadline among them; one that has finished
            // leaves nothing behind, or its deadline would hide this one from the workers.
            let earlier_pending = shared.counters.settled.load(SeqCst) < state.flush_target;
            state.flush_deadline = match state.flush_deadline {
                Some(earlier) if earlier_pending => Some(earlier.max(deadline)),
                _ => Some(deadline),
            };
            state.flush_target = state.flush_target.max(target);
        }
        shared.control.ring();
        self.wait_settled(target, deadline)
    }

    fn wait_settled(&self, target: u64, deadline: Instant) -> FlushReport {
        let counters = &self.shared.counters;
        let before = counters.snapshot(0);
        let mut state = self.shared.control.lock();
        while counters.settled.load(SeqCst) < target && Instant::now() < deadline {
            state = self.shared.control.sleep_caller(state, deadline);
        }
        drop(state);
        self.report(&before, counters.settled.load(SeqCst) >= target)
    }

    fn report(&self, before: &Stats, completed: bool) -> FlushReport {
        let after = self.shared.counters.snapshot(0);
        FlushReport {
            completed,
            sent: after.sent - before.sent,
            dropped: after.dropped_total() - before.dropped_total(),
            left: self.shared.owed(),
        }
    }

    /// Stops accepting entries, delivers what is owed until `timeout`, spools (when there is a
    /// spool) or drops the rest, and
    /// stops the workers. The report is complete only if everything went out before the
    /// deadline. A second call does nothing and reports what is left.
    pub fn shutdown(&self, timeout: Duration) -> FlushReport {
        let shared = &*self.shared;
        let before = shared.counters.snapshot(0);
        if shared.control.closed.swap(true, SeqCst) {
            return self.report(&before, shared.owed() == 0);
        }
        let deadline = Instant::now() + timeout;
        shared.control.lock().shutdown_deadline = Some(deadline);
        shared.control.ring();
        let mut exited = self.wait_for_workers(deadline);
        // Entries dropped at the deadline are settled too; success means it never came to that.
        let in_time = exited && Instant::now() < deadline;
        if !exited {
            // A request begun before the shutdown may still be waiting on a silent endpoint:
            // end it, so its batch settles and its worker leaves now, not at its own timeout.
            self.transport.cancel();
            exited = self.wait_for_workers(Instant::now() + EXIT_GRACE);
        }
        shared.drop_queued(DropReason::Shutdown);
        let handles = std::mem::take(&mut *self.lock_workers());
        if exited {
            for handle in handles {
                let _ = handle.join();
            }
        }
        let report = self.report(&before, in_time && shared.owed() == 0);
        shared.report_drops();
        shared.diagnostics.debug(
            Event::Shutdown,
            format_args!(
                "shutdown {}: sent {}, dropped {}, left {}",
                if report.completed {
                    "complete"
                } else {
                    "incomplete"
                },
                report.sent,
                report.dropped,
                report.left
            ),
        );
        report
    }

    /// Whether shutdown has begun: nothing is accepted any more.
    pub fn is_closed(&self) -> bool {
        self.shared.control.closed.load(Relaxed)
    }

    /// Counts an entry refused before it reached the queue.
    pub fn refuse(&self, reason: DropReason) {
        self.shared.counters.refused(reason, 1);
    }

    /// Waits until every worker has left or `until`; says whether they all left.
    fn wait_for_workers(&self, until: Instant) -> bool {
        let control = &self.shared.control;
        let mut state = control.lock();
        while state.workers_alive > 0 && Instant::now() < until {
            state = control.sleep_caller(state, until);
        }
        state.workers_alive == 0
    }

    pub fn stats(&self) -> Stats {
        let mut stats = self.shared.counters.snapshot(self.shared.owed());
        stats.spool_error = self.shared.spooling.error();
        stats
    }

    pub fn queued_bytes(&self) -> usize {
        self.shared.queue.bytes()
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        self.shutdown(Duration::ZERO);
    }
}
