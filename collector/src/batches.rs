//! Batch ids (`X-Ferrolog-Batch`): a client sends a batch again after a lost answer or from
//! its spool, under the same id; the ids of recent batches are remembered so that a batch
//! is stored once however often it arrives.

use std::collections::{HashSet, VecDeque};

use ferrolog::pipeline::batch::{BatchId, BATCH_HEADER};
use hyper::header::HeaderMap;

/// Enough for any client's retries and spool, and at most a few MiB.
pub const REMEMBERED: usize = 100_000;

/// The request's batch id; `Err` names what is wrong with a malformed one.
pub fn batch_id(headers: &HeaderMap) -> Result<Option<BatchId>, String> {
    let Some(value) = headers.get(BATCH_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(BatchId::parse)
        .map(Some)
        .ok_or_else(|| format!("{BATCH_HEADER} must be 32 hex digits"))
}

/// The most recent batch ids, forgetting the oldest beyond a bound.
pub struct RecentBatches {
    seen: HashSet<BatchId>,
    order: VecDeque<BatchId>,
    capacity: usize,
}

impl RecentBatches {
    pub fn new(capacity: usize) -> RecentBatches {
        RecentBatches {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn contains(&self, id: &BatchId) -> bool {
        self.seen.contains(id)
    }

    pub fn remember(&mut self, id: BatchId) {
        if !self.seen.insert(id) {
            return;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn the_oldest_ids_are_forgotten_beyond_the_bound() {
        let mut recent = RecentBatches::new(2);
        let ids: Vec<BatchId> = (0..3).map(|_| BatchId::random()).collect();
        for id in &ids {
            recent.remember(*id);
        }
        recent.remember(ids[2]);
        assert!(!recent.contains(&ids[0]));
        assert!(recent.contains(&ids[1]) && recent.contains(&ids[2]));
    }

    #[test]
    fn a_malformed_header_is_named() {
        let mut headers = HeaderMap::new();
        assert_eq!(batch_id(&headers), Ok(None));
        let id = BatchId::random();
        headers.insert(
            BATCH_HEADER,
            HeaderValue::from_str(&id.to_string()).unwrap(),
        );
        assert_eq!(batch_id(&headers), Ok(Some(id)));
        headers.insert(BATCH_HEADER, HeaderValue::from_static("not-an-id"));
        assert!(batch_id(&headers).unwrap_err().contains("32 hex digits"));
    }
}
