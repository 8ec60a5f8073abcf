//! Replaying the spool: its oldest batches go out again, in order, when the endpoint is
//! answering and the pipeline has no more pressing work (a backlog, a flush, a shutdown).

use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::time::Instant;

use crate::diagnostics::Event;
use crate::pipeline::batch::Batch;
use crate::pipeline::send::Sender;
use crate::pipeline::stats::DropReason;
use crate::pipeline::Shared;

fn entries(batches: &[Batch]) -> u64 {
    batches.iter().map(|b| b.records.len() as u64).sum()
}

/// Whether a replay should give way: entries wait for a batch, a flush waits to complete, or
/// the client is shutting down.
fn should_yield(shared: &Shared) -> bool {
    let state = shared.control.lock();
    let settled = shared.counters.settled.load(SeqCst);
    let flushing =
        state.flush_deadline.is_some_and(|d| Instant::now() < d) && settled < state.flush_target;
    state.shutdown_deadline.is_some() || flushing || shared.queue.len() >= shared.batch_size
}

/// Replays segment after segment until the spool is empty, a batch cannot be delivered, or
/// the pipeline needs the worker.
pub(crate) fn replay(shared: &Shared, sender: &mut Sender) {
    let Some(spool) = &shared.spooling.spool else {
        return;
    };
    let counters = &shared.counters;
    while !should_yield(shared) {
        let Some(replay) = spool.take_oldest() else {
            return;
        };
        counters
            .spool_corrupt
            .fetch_add(replay.damaged_frames, Relaxed);
        counters.refused(DropReason::SpoolLost, replay.lost_entries);
        let mut batches = replay.batches.into_iter();
        let mut remaining = Vec::new();
        for batch in batches.by_ref() {
            if should_yield(shared) {
                remaining.push(batch);
                break;
            }
            let taken = batch.records.len() as u64;
            shared.diagnostics.debug(
                Event::Spool,
                format_args!(
                    "replaying batch {} ({taken} entries) from the spool",
                    batch.id
                ),
            );
            counters.replayed.fetch_add(taken, SeqCst);
            if let Err(undelivered) = sender.replay(shared, batch) {
                // Back where they were, ahead of everything spooled since.
                counters.spooled(entries(&undelivered));
                remaining.extend(undelivered);
                break;
            }
        }
        remaining.extend(batches);
        let stopped = !remaining.is_empty();
        if let Err(message) = spool.put_back(replay.sequence, &remaining) {
            counters.set_last_error(message);
            counters.refused(DropReason::SpoolLost, entries(&remaining));
            return;
        }
        if stopped {
            return;
        }
    }
}
