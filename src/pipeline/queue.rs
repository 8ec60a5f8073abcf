//! The bounded queue between the callers and the workers: bounded by entries and by bytes.
//!
//! A lock-free segmented queue keeps the caller's cost to a few atomic operations and its
//! memory in proportion to what it holds: an array queue sized for the entry bound would hold
//! `queue_size` slots resident however empty it is (7 MiB at the default 65 536), outside the
//! byte bound. A fixed ring in front of it, to spare callers the block allocations, was tried
//! and not kept: a worker finding the ring empty and then taking from the segmented queue
//! could take a thread's later entry before the ones it had meanwhile put in the ring, and
//! under a flood every entry goes past the ring anyway.
//!
//! Both bounds live in one counter, reserved before the push and released on pop, so a push
//! costs one atomic add for the two of them.

use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_queue::SegQueue;
use crossbeam_utils::CachePadded;

use crate::entry::Record;

/// The counter's low bits hold bytes, its high bits entries.
const BYTES_BITS: u32 = 38;
const BYTES_MASK: u64 = (1 << BYTES_BITS) - 1;
const ONE_ENTRY: u64 = 1 << BYTES_BITS;
/// Byte bounds above this are clamped to it (128 GiB), leaving the bytes field headroom for
/// the brief overshoot of concurrent reservations.
const MAX_BYTES: u64 = 1 << (BYTES_BITS - 1);
/// Entry bounds above this are clamped to it; the entries field has room for twice as many.
const MAX_ENTRIES: u64 = 1 << (64 - BYTES_BITS - 1);

pub(crate) struct Queue {
    entries: SegQueue<Record>,
    /// Entries and bytes reserved, packed; written by every push and pop, padded so it shares
    /// a line with nothing else.
    reserved: CachePadded<AtomicU64>,
    max_entries: u64,
    max_bytes: u64,
}

impl Queue {
    pub fn new(max_entries: usize, max_bytes: usize) -> Queue {
        Queue {
            entries: SegQueue::new(),
            reserved: CachePadded::new(AtomicU64::new(0)),
            max_entries: (max_entries.max(1) as u64).min(MAX_ENTRIES),
            max_bytes: (max_bytes as u64).min(MAX_BYTES),
        }
    }

    /// Pushes if both bounds allow it; gives the record back otherwise.
    pub fn try_push(&self, record: Record) -> Result<(), Record> {
        let reservation = ONE_ENTRY + record.weight() as u64;
        let after = self.reserved.fetch_add(reservation, Ordering::Relaxed) + reservation;
        if after >> BYTES_BITS > self.max_entries || after & BYTES_MASK > self.max_bytes {
            self.reserved.fetch_sub(reservation, Ordering::Relaxed);
            return Err(record);
        }
        self.entries.push(record);
        Ok(())
    }

    /// Pushes by evicting the oldest entries until the new one fits; returns how many were
    /// evicted, or the record itself when it could never fit on its own.
    pub fn push_evicting(&self, mut record: Record) -> Result<usize, Record> {
        if record.weight() as u64 > self.max_bytes {
            return Err(record);
        }
        let mut evicted = 0;
        loop {
            match self.try_push(record) {
                Ok(()) => return Ok(evicted),
                Err(back) => {
                    record = back;
                    if self.pop().is_some() {
                        evicted += 1;
                    }
                }
            }
        }
    }

    pub fn pop(&self) -> Option<Record> {
        let record = self.entries.pop()?;
        let reservation = ONE_ENTRY + record.weight() as u64;
        self.reserved.fetch_sub(reservation, Ordering::Relaxed);
        Some(record)
    }

    /// Pops up to `max` records into `into`, releasing their reservation at once: the callers
    /// write the counter on every push, and one write per batch from here, rather than one
    /// per record, keeps its cache line with them.
    pub fn pop_batch(&self, max: usize, into: &mut Vec<Record>) {
        let mut released = 0;
        while into.len() < max {
            match self.entries.pop() {
                Some(record) => {
                    released += ONE_ENTRY + record.weight() as u64;
                    into.push(record);
                }
                None => break,
            }
        }
        if released > 0 {
            self.reserved.fetch_sub(released, Ordering::Relaxed);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn bytes(&self) -> usize {
        (self.reserved.load(Ordering::Relaxed) & BYTES_MASK) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Context;
    use crate::level::Level;
    use std::sync::Arc;

    fn record(message: &str) -> Record {
        Record::with_pairs(
            Level::Info,
            message,
            std::iter::empty(),
            Arc::new(Context::default()),
        )
        .unwrap()
    }

    #[test]
    fn entry_bound_refuses_and_hands_back() {
        let queue = Queue::new(2, usize::MAX);
        assert!(queue.try_push(record("a")).is_ok());
        assert!(queue.try_push(record("b")).is_ok());
        let refused = queue.try_push(record("c")).unwrap_err();
        assert_eq!(refused.message(), "c");
        assert_eq!(queue.len(), 2);
    }

    #[test]
    fn byte_bound_is_reserved_and_released() {
        let one = record("x").weight();
        let queue = Queue::new(100, one * 2);
        queue.try_push(record("x")).unwrap();
        queue.try_push(record("y")).unwrap();
        assert!(queue.try_push(record("z")).is_err());
        assert_eq!(queue.bytes(), one * 2);
        assert_eq!(queue.pop().unwrap().message(), "x");
        assert_eq!(queue.bytes(), one);
        queue.try_push(record("z")).unwrap();
    }

    #[test]
    fn eviction_drops_the_oldest() {
        let queue = Queue::new(2, usize::MAX);
        queue.try_push(record("1")).unwrap();
        queue.try_push(record("2")).unwrap();
        assert_eq!(queue.push_evicting(record("3")).unwrap(), 1);
        let mut batch = Vec::new();
        queue.pop_batch(10, &mut batch);
        let messages: Vec<&str> = batch.iter().map(Record::message).collect();
        assert_eq!(messages, ["2", "3"]);
        // The batch released its entries: two fit again.
        queue.try_push(record("4")).unwrap();
        queue.try_push(record("5")).unwrap();
        assert!(queue.try_push(record("6")).is_err());
    }

    #[test]
    fn a_record_larger_than_the_byte_bound_never_evicts() {
        let queue = Queue::new(10, 256);
        queue.try_push(record("small")).unwrap();
        assert!(queue.push_evicting(record(&"x".repeat(1000))).is_err());
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn concurrent_pushers_never_pass_either_bound() {
        let one = record("entry").weight();
        for (max_entries, max_bytes) in [(50, usize::MAX), (10_000, one * 50)] {
            let queue = Queue::new(max_entries, max_bytes);
            std::thread::scope(|scope| {
                for _ in 0..4 {
                    scope.spawn(|| {
                        for _ in 0..200 {
                            let _ = queue.try_push(record("entry"));
                        }
                    });
                }
            });
            assert_eq!(queue.len(), 50);
            assert_eq!(queue.bytes(), one * 50);
            let mut drained = Vec::new();
            queue.pop_batch(usize::MAX, &mut drained);
            assert_eq!((drained.len(), queue.len(), queue.bytes()), (50, 0, 0));
        }
    }

    #[test]
    fn each_thread_entries_leave_in_the_order_it_queued_them() {
        const THREADS: usize = 4;
        let per_thread = 3_000;
        let queue = Queue::new(usize::MAX, usize::MAX);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let mut taken: Vec<String> = Vec::new();
        std::thread::scope(|scope| {
            for thread in 0..THREADS {
                let (queue, done) = (&queue, &done);
                scope.spawn(move || {
                    for n in 0..per_thread {
                        queue.try_push(record(&format!("{thread} {n}"))).unwrap();
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            // The worker's side, taking small batches while the callers push.
            while done.load(Ordering::SeqCst) < THREADS || queue.len() > 0 {
                let mut batch = Vec::new();
                queue.pop_batch(37, &mut batch);
                taken.extend(batch.iter().map(|r| r.message().to_owned()));
            }
        });
        assert_eq!(taken.len(), THREADS * per_thread);
        for thread in 0..THREADS {
            let prefix = format!("{thread} ");
            let sequence: Vec<usize> = taken
                .iter()
                .filter_map(|m| m.strip_prefix(&prefix))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(
                sequence,
                (0..per_thread).collect::<Vec<_>>(),
                "thread {thread}"
            );
        }
    }
}
