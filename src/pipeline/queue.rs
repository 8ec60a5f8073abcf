//! The bounded queue between the callers and the workers: bounded by entries and by bytes.
//!
//! A lock-free array queue keeps the caller's cost to a few atomic operations; the byte bound is
//! one more counter, reserved before the push and released on pop.

use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_queue::ArrayQueue;
use crossbeam_utils::CachePadded;

use crate::entry::Record;

pub(crate) struct Queue {
    entries: ArrayQueue<Record>,
    /// Written by every push and pop; padded so it shares a line with nothing else.
    bytes: CachePadded<AtomicUsize>,
    max_bytes: usize,
}

impl Queue {
    pub fn new(max_entries: usize, max_bytes: usize) -> Queue {
        Queue {
            entries: ArrayQueue::new(max_entries.max(1)),
            bytes: CachePadded::new(AtomicUsize::new(0)),
            max_bytes,
        }
    }

    /// Pushes if both bounds allow it; gives the record back otherwise.
    pub fn try_push(&self, record: Record) -> Result<(), Record> {
        let weight = record.weight();
        let before = self.bytes.fetch_add(weight, Ordering::Relaxed);
        if before + weight > self.max_bytes {
            self.bytes.fetch_sub(weight, Ordering::Relaxed);
            return Err(record);
        }
        self.entries.push(record).inspect_err(|_| {
            self.bytes.fetch_sub(weight, Ordering::Relaxed);
        })
    }

    /// Pushes by evicting the oldest entries until the new one fits; returns how many were
    /// evicted, or the record itself when it could never fit on its own.
    pub fn push_evicting(&self, mut record: Record) -> Result<usize, Record> {
        if record.weight() > self.max_bytes {
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
        self.bytes.fetch_sub(record.weight(), Ordering::Relaxed);
        Some(record)
    }

    /// Pops up to `max` records into `into`.
    pub fn pop_batch(&self, max: usize, into: &mut Vec<Record>) {
        while into.len() < max {
            match self.pop() {
                Some(record) => into.push(record),
                None => break,
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
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
    }

    #[test]
    fn a_record_larger_than_the_byte_bound_never_evicts() {
        let queue = Queue::new(10, 256);
        queue.try_push(record("small")).unwrap();
        assert!(queue.push_evicting(record(&"x".repeat(1000))).is_err());
        assert_eq!(queue.len(), 1);
    }
}
