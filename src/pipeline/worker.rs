//! The worker loop: sleep until a batch is full, the interval passes, or someone asks; then
//! deliver, and settle everything before leaving at shutdown.

use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::Arc;
use std::time::Instant;

use crate::pipeline::batch::Batch;
use crate::pipeline::replay::replay;
use crate::pipeline::send::{Kept, Sender};
use crate::pipeline::stats::DropReason;
use crate::pipeline::Shared;

/// Why the worker woke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wake {
    /// At least one full batch is queued: send full batches only.
    Batch,
    /// The interval passed, or a flush, emergency entry or shutdown asked: send what is queued.
    Drain,
    /// The shutdown deadline has passed: settle what is left and stop.
    Stop,
}

pub(crate) fn run(shared: Arc<Shared>, mut sender: Sender) {
    let mut next_tick = Instant::now() + shared.flush_interval;
    let mut kept: Option<Vec<Batch>> = None;
    // What an earlier client spooled goes first.
    replay(&shared, &mut sender);
    loop {
        let wake = wait(&shared, next_tick, kept.is_some());
        if wake == Wake::Stop {
            settle_at_deadline(&shared, kept.take());
            break;
        }
        let ticked = Instant::now() >= next_tick;
        if ticked {
            next_tick = Instant::now() + shared.flush_interval;
        }
        kept = deliver(&shared, &mut sender, wake, kept.take());
        // The endpoint answers again, or it may by now: once per interval a failing endpoint
        // is tried with the oldest spooled batch.
        if kept.is_none() && (ticked || !sender.failing()) {
            replay(&shared, &mut sender);
        }
        shared.control.notify_progress();
        shared.report_drops();
        if kept.is_none() && shutting_down(&shared) && shared.queue.len() == 0 {
            break;
        }
    }
    shared.control.lock().workers_alive -= 1;
    shared.control.notify_progress();
}

fn shutting_down(shared: &Shared) -> bool {
    shared.control.lock().shutdown_deadline.is_some()
}

fn wait(shared: &Shared, next_tick: Instant, holding: bool) -> Wake {
    let control = &shared.control;
    let mut state = control.lock();
    loop {
        // Cleared before looking at the queue, so a producer that fills a batch after this
        // point rings again rather than trusting a ring that was already consumed.
        control.batch_rung.store(false, SeqCst);
        let now = Instant::now();
        if let Some(deadline) = state.shutdown_deadline {
            return if now >= deadline {
                Wake::Stop
            } else {
                Wake::Drain
            };
        }
        let settled = shared.counters.settled.load(Relaxed);
        let flushing =
            state.flush_deadline.is_some_and(|d| now < d) && settled < state.flush_target;
        if flushing || control.drain_now.swap(false, SeqCst) || now >= next_tick {
            return Wake::Drain;
        }
        // A kept batch waits for the next tick, or a flush, rather than spinning on full queues.
        if !holding && shared.queue.len() >= shared.batch_size {
            return Wake::Batch;
        }
        state = control.sleep_worker(state, next_tick);
    }
}

/// Sends the kept batch first, then queued ones. Returns a batch a flush deadline cut short.
fn deliver(
    shared: &Shared,
    sender: &mut Sender,
    wake: Wake,
    kept: Option<Vec<Batch>>,
) -> Option<Vec<Batch>> {
    if let Some(batches) = kept {
        if let Err(Kept(batches)) = sender.resend(shared, batches) {
            return Some(batches);
        }
    }
    // A drain takes what is queued now, not what producers keep adding, so it ends.
    let mut budget = if wake == Wake::Drain {
        shared.queue.len()
    } else {
        0
    };
    loop {
        let take = if budget > 0 {
            budget.min(shared.batch_size)
        } else if shared.queue.len() >= shared.batch_size {
            shared.batch_size
        } else {
            return None;
        };
        let mut batch = Vec::with_capacity(take);
        shared.queue.pop_batch(take, &mut batch);
        if batch.is_empty() {
            return None;
        }
        budget = budget.saturating_sub(batch.len());
        // Room was made: producers blocked on a full queue may go on.
        shared.control.notify_progress();
        if let Err(Kept(batch)) = sender.send(shared, batch) {
            return Some(batch);
        }
    }
}

/// The shutdown deadline has passed: what is still owed will not be sent now.
fn settle_at_deadline(shared: &Shared, kept: Option<Vec<Batch>>) {
    for batch in kept.into_iter().flatten() {
        shared.keep_or_drop(batch, DropReason::NetworkError);
    }
    shared.drop_queued(DropReason::Shutdown);
}
