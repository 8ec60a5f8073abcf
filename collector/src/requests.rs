//! The log of ingest requests received, so tests can count attempts and measure their timing.

use std::collections::{BTreeMap, VecDeque};

use hyper::header::{
    HeaderMap, HeaderName, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, USER_AGENT,
};
use serde::Serialize;

/// Rejection reasons kept per request: enough to debug a client, bounded for a 500-entry batch.
const MAX_REASONS: usize = 20;

#[derive(Clone, Debug, Serialize)]
pub struct RequestRecord {
    pub id: u64,
    /// Milliseconds from collector start to the request's arrival.
    pub at_ms: u64,
    pub method: String,
    pub path: String,
    /// The status answered; `null` while in progress and for dropped or held requests.
    pub status: Option<u16>,
    pub processed: usize,
    pub rejected: usize,
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub user_agent: Option<String>,
    /// Whether an `Authorization` header was sent (LuminaLog clients must not send one).
    pub authorization: bool,
    /// The injected fault: `status`, `close`, `hang`, `cut`, or `delay` when only delayed.
    pub fault: Option<&'static str>,
    /// The message of a non-200 answer.
    pub error: Option<String>,
    /// The first rejection reasons, as `{"index","reason"}`.
    pub rejections: Vec<RejectionView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RejectionView {
    /// The entry's position in a LuminaLog `logs` array; OTLP answers name no position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    pub reason: String,
}

/// How a request ended, written into its record.
#[derive(Debug, Default)]
pub struct Completion {
    pub status: Option<u16>,
    pub processed: usize,
    pub rejected: usize,
    /// Why items were rejected, as far as the protocol tells.
    pub rejections: Vec<RejectionView>,
    pub fault: Option<&'static str>,
    pub error: Option<String>,
}

impl RequestRecord {
    pub fn new(method: &str, path: &str, headers: &HeaderMap, at_ms: u64) -> RequestRecord {
        RequestRecord {
            id: 0,
            at_ms,
            method: method.to_owned(),
            path: path.to_owned(),
            status: None,
            processed: 0,
            rejected: 0,
            content_type: header(headers, CONTENT_TYPE),
            content_encoding: header(headers, CONTENT_ENCODING),
            user_agent: header(headers, USER_AGENT),
            authorization: headers.contains_key(AUTHORIZATION),
            fault: None,
            error: None,
            rejections: Vec::new(),
        }
    }

    fn complete(&mut self, completion: Completion) {
        self.status = completion.status;
        self.processed = completion.processed;
        self.rejected = completion.rejected;
        self.fault = completion.fault;
        self.error = completion.error;
        self.rejections = completion.rejections;
        self.rejections.truncate(MAX_REASONS);
    }
}

fn header(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The most recent requests, in arrival order, plus counts over all of them.
pub struct RequestLog {
    records: VecDeque<RequestRecord>,
    capacity: usize,
    next_id: u64,
    by_status: BTreeMap<u16, u64>,
}

impl RequestLog {
    pub fn new(capacity: usize) -> RequestLog {
        RequestLog {
            records: VecDeque::new(),
            capacity: capacity.max(1),
            next_id: 1,
            by_status: BTreeMap::new(),
        }
    }

    /// Records a request on arrival, so one that never completes is still listed.
    pub fn begin(&mut self, mut record: RequestRecord) -> u64 {
        record.id = self.next_id;
        self.next_id += 1;
        if self.records.len() == self.capacity {
            self.records.pop_front();
        }
        let id = record.id;
        self.records.push_back(record);
        id
    }

    pub fn complete(&mut self, id: u64, completion: Completion) {
        if let Some(status) = completion.status {
            *self.by_status.entry(status).or_default() += 1;
        }
        // Ids are consecutive, so a record's position follows from the oldest one kept.
        let Some(front) = self.records.front().map(|r| r.id) else {
            return;
        };
        let position = id.checked_sub(front).and_then(|p| usize::try_from(p).ok());
        if let Some(record) = position.and_then(|p| self.records.get_mut(p)) {
            record.complete(completion);
        }
    }

    pub fn records(&self) -> &VecDeque<RequestRecord> {
        &self.records
    }

    pub fn clear(&mut self) -> usize {
        let cleared = self.records.len();
        self.records.clear();
        cleared
    }

    /// Requests received since start, including those no longer kept.
    pub fn total(&self) -> u64 {
        self.next_id - 1
    }

    pub fn by_status(&self) -> &BTreeMap<u16, u64> {
        &self.by_status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> RequestRecord {
        RequestRecord::new("POST", path, &HeaderMap::new(), 0)
    }

    #[test]
    fn completes_the_right_record_after_eviction() {
        let mut log = RequestLog::new(2);
        let first = log.begin(record("/a"));
        let second = log.begin(record("/b"));
        let third = log.begin(record("/c"));
        log.complete(
            second,
            Completion {
                status: Some(503),
                fault: Some("status"),
                ..Completion::default()
            },
        );
        log.complete(
            first,
            Completion {
                status: Some(200),
                ..Completion::default()
            },
        );
        let kept: Vec<(u64, &str, Option<u16>)> = log
            .records()
            .iter()
            .map(|r| (r.id, r.path.as_str(), r.status))
            .collect();
        assert_eq!(kept, [(second, "/b", Some(503)), (third, "/c", None)]);
        assert_eq!(log.total(), 3);
        assert_eq!(log.by_status().get(&200), Some(&1));
    }
}
