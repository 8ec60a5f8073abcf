//! The one thing the pipeline knows of protocols: turn a batch into a request, and judge the
//! answer.

use std::time::Duration;

use crate::entry::Record;
use crate::pipeline::stats::DropReason;
use crate::transport::{Request, Response};

/// What to do with a batch after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Try again: after the protocol's backoff, or after the server's `Retry-After`.
    Retry {
        after: Option<Duration>,
    },
    Drop(DropReason),
}

pub trait Encoder: Send {
    /// Whether the protocol can carry `record` at all; one it cannot is dropped as
    /// `validation_error` before the batch is encoded.
    fn accepts(&self, record: &Record) -> bool;

    /// Encodes `records` (never empty, all accepted) as one request.
    fn encode(&mut self, records: &[Record]) -> Request;

    /// Judges a complete HTTP answer. Network errors never reach it: they are always retried.
    fn judge(&mut self, response: &Response) -> Verdict;

    /// Retries after the first attempt when the configuration leaves it open.
    fn default_max_retries(&self) -> u32;

    /// The per-request limit when the configuration leaves it open.
    fn default_http_timeout(&self) -> Duration;
}
