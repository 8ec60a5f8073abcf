//! The one thing the pipeline knows of protocols: split a batch into requests, encode them,
//! and judge the answers.

use std::time::Duration;

use crate::entry::Record;
use crate::pipeline::stats::DropReason;
use crate::transport::{Request, Response, Transport};

/// A group encoded as one request.
pub struct Encoded {
    pub request: Request,
    /// Entries of the group the request leaves out because the protocol cannot carry them
    /// (too large once serialized); they are dropped as `validation_error` when the group
    /// settles, however often it is re-encoded on the way.
    pub excluded: u64,
}

impl From<Request> for Encoded {
    fn from(request: Request) -> Encoded {
        Encoded {
            request,
            excluded: 0,
        }
    }
}

/// What to do with a request's entries after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted, except for `rejected` entries the server refused (a partial success), which
    /// are dropped as `send_error` and never retried.
    Delivered {
        rejected: u64,
    },
    /// Try again after `after` (the server's `Retry-After`) or else the backoff schedule.
    /// A `counted` retry uses up one of `max_retries`; when they run out, or a shutdown
    /// deadline ends the wait, the entries are dropped as `exhausted`.
    Retry {
        after: Option<Duration>,
        counted: bool,
        exhausted: DropReason,
    },
    /// The request was too large: send each half on its own; a single entry is dropped as
    /// `validation_error`.
    Split,
    /// The server refused the credentials (LogFlux 401/403): get new ones, re-encode and
    /// resend once; a second refusal drops the entries as `send_error`.
    Reauthenticate,
    Drop(DropReason),
}

impl Verdict {
    pub const DELIVERED: Verdict = Verdict::Delivered { rejected: 0 };

    /// A network error or a server error: retry on the backoff schedule.
    pub const BACKOFF: Verdict = Verdict::Retry {
        after: None,
        counted: true,
        exhausted: DropReason::NetworkError,
    };
}

pub trait Encoder: Send {
    /// Whether the protocol can carry `record` at all; one it cannot is dropped as
    /// `validation_error` before the batch is encoded.
    fn accepts(&self, record: &Record) -> bool;

    /// Splits a batch into groups that never share a request (a signal, a quota category)
    /// and respect the protocol's per-request limits, keeping the order within each group.
    fn partition(&self, records: Vec<Record>) -> Vec<Vec<Record>> {
        vec![records]
    }

    /// Gets ready to send, before each group is encoded: LogFlux's handshake. It runs on the
    /// worker, so client creation never waits for the network. An error is the verdict to
    /// act on, usually a retry that holds the entries until it succeeds or a deadline ends it.
    fn prepare(&mut self, _transport: &Transport, _timeout: Duration) -> Result<(), Verdict> {
        Ok(())
    }

    /// Forgets the credentials a [`Verdict::Reauthenticate`] refused, so that the next
    /// [`Encoder::prepare`] gets new ones.
    fn reauthenticate(&mut self) {}

    /// Encodes one group (never empty, all accepted) as one request, or says what to do
    /// instead of sending it: [`Verdict::Split`] for a request over the protocol's size bound.
    fn encode(&mut self, records: &[Record]) -> Result<Encoded, Verdict>;

    /// Judges a complete HTTP answer. Network errors never reach it: they are always
    /// [`Verdict::BACKOFF`].
    fn judge(&mut self, response: &Response) -> Verdict;

    /// Attributes dropped to fit the protocol's limits since the last call, for the stats.
    fn take_attributes_dropped(&mut self) -> u64 {
        0
    }

    /// Values cut to fit the protocol's limits since the last call, for the stats.
    fn take_values_truncated(&mut self) -> u64 {
        0
    }

    /// Retries after the first attempt when the configuration leaves it open.
    fn default_max_retries(&self) -> u32;

    /// The per-request limit when the configuration leaves it open.
    fn default_http_timeout(&self) -> Duration;
}
