//! Counters: every entry the client accepted ends as sent or dropped with a reason.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

use crossbeam_utils::CachePadded;

/// Why an entry was not delivered. The numbers are part of the C ABI and never change.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// The queue was full (entries or bytes) and the overflow policy refused or evicted it.
    QueueOverflow = 0,
    /// No complete response after every attempt.
    NetworkError = 1,
    /// The endpoint refused it with a status that retrying cannot fix.
    SendError = 2,
    /// A rate limit's wait outlasted a shutdown deadline.
    RatelimitBackoff = 3,
    /// The account's quota is exhausted.
    QuotaExceeded = 4,
    /// A before-send hook dropped it.
    BeforeSend = 5,
    /// It could not be encoded under the protocol's rules.
    ValidationError = 6,
    /// Sampling left it out.
    Sampled = 7,
    /// It was still queued when the shutdown deadline passed.
    Shutdown = 8,
    /// A bug in ferrolog (a caught panic) lost the batch holding it.
    InternalError = 9,
    /// An error repeated beyond the storm limit, folded into a "repeated N times" entry.
    Folded = 10,
    /// Spooled, then deleted with the oldest segment to keep the spool within its bound.
    SpoolEvicted = 11,
    /// Spooled, then not read back: its segment was damaged after it was counted, or could
    /// not be rewritten after a replay.
    SpoolLost = 12,
}

impl DropReason {
    pub const ALL: [DropReason; 13] = [
        DropReason::QueueOverflow,
        DropReason::NetworkError,
        DropReason::SendError,
        DropReason::RatelimitBackoff,
        DropReason::QuotaExceeded,
        DropReason::BeforeSend,
        DropReason::ValidationError,
        DropReason::Sampled,
        DropReason::Shutdown,
        DropReason::InternalError,
        DropReason::Folded,
        DropReason::SpoolEvicted,
        DropReason::SpoolLost,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DropReason::QueueOverflow => "queue_overflow",
            DropReason::NetworkError => "network_error",
            DropReason::SendError => "send_error",
            DropReason::RatelimitBackoff => "ratelimit_backoff",
            DropReason::QuotaExceeded => "quota_exceeded",
            DropReason::BeforeSend => "before_send",
            DropReason::ValidationError => "validation_error",
            DropReason::Sampled => "sampled",
            DropReason::Shutdown => "shutdown",
            DropReason::InternalError => "internal_error",
            DropReason::Folded => "folded",
            DropReason::SpoolEvicted => "spool_evicted",
            DropReason::SpoolLost => "spool_lost",
        }
    }

    pub fn from_name(name: &str) -> Option<DropReason> {
        DropReason::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// The live counters, shared by the callers and the workers.
#[derive(Default)]
pub(crate) struct Counters {
    /// Entries that entered the queue. Callers bump it on every accepted entry, so it lives on
    /// a cache line of its own, away from the counters the workers write.
    pub accepted: CachePadded<AtomicU64>,
    /// Entries that have ended, sent, dropped or spooled; `accepted + replayed - settled` are
    /// still owed.
    pub settled: AtomicU64,
    pub sent: AtomicU64,
    /// Attempts beyond each batch's first.
    pub retried: AtomicU64,
    /// Requests the endpoint answered with success.
    pub requests: AtomicU64,
    /// Attributes an encoder dropped to fit its protocol's limits.
    pub attributes_dropped: AtomicU64,
    /// Attribute values (and sources) an encoder cut to fit its protocol's limits.
    pub values_truncated: AtomicU64,
    /// Entries written to the spool, a replayed batch put back included.
    pub spooled: AtomicU64,
    /// Entries taken back from the spool to be sent again; owed until they settle.
    pub replayed: AtomicU64,
    /// Entries an earlier client left in the spool, found when this one opened it.
    pub spool_recovered: AtomicU64,
    /// Spool frames skipped as damaged or cut short.
    pub spool_corrupt: AtomicU64,
    dropped: [AtomicU64; DropReason::ALL.len()],
    last_error: Mutex<Option<String>>,
}

impl Counters {
    /// Counts entries refused before they were accepted (sampling, hooks, a full queue).
    pub fn refused(&self, reason: DropReason, n: u64) {
        self.dropped[reason as usize].fetch_add(n, Relaxed);
    }

    /// Counts accepted entries that will never be sent.
    pub fn dropped(&self, reason: DropReason, n: u64) {
        if n == 0 {
            return;
        }
        self.dropped[reason as usize].fetch_add(n, Relaxed);
        self.settled.fetch_add(n, Relaxed);
    }

    /// Counts entries that leave the in-memory pipeline for the spool.
    pub fn spooled(&self, n: u64) {
        self.spooled.fetch_add(n, Relaxed);
        self.settled.fetch_add(n, Relaxed);
    }

    pub fn delivered(&self, n: u64) {
        self.sent.fetch_add(n, Relaxed);
        self.settled.fetch_add(n, Relaxed);
    }

    pub fn set_last_error(&self, error: String) {
        if let Ok(mut last) = self.last_error.lock() {
            *last = Some(error);
        }
    }

    pub fn snapshot(&self, queued: u64) -> Stats {
        let mut dropped = [0; DropReason::ALL.len()];
        for (slot, counter) in dropped.iter_mut().zip(&self.dropped) {
            *slot = counter.load(Relaxed);
        }
        Stats {
            accepted: self.accepted.load(Relaxed),
            sent: self.sent.load(Relaxed),
            retried: self.retried.load(Relaxed),
            requests: self.requests.load(Relaxed),
            attributes_dropped: self.attributes_dropped.load(Relaxed),
            values_truncated: self.values_truncated.load(Relaxed),
            queued,
            spooled: self.spooled.load(Relaxed),
            replayed: self.replayed.load(Relaxed),
            spool_recovered: self.spool_recovered.load(Relaxed),
            spool_corrupt: self.spool_corrupt.load(Relaxed),
            dropped,
            last_error: self.last_error.lock().ok().and_then(|e| e.clone()),
            spool_error: None,
        }
    }
}

/// A snapshot of a client's counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub accepted: u64,
    pub sent: u64,
    pub retried: u64,
    pub requests: u64,
    pub attributes_dropped: u64,
    pub values_truncated: u64,
    /// Entries not yet sent, dropped or spooled: queued, in flight, or replayed and in flight.
    pub queued: u64,
    pub spooled: u64,
    pub replayed: u64,
    pub spool_recovered: u64,
    /// Spool frames skipped as damaged or cut short.
    pub spool_corrupt: u64,
    dropped: [u64; DropReason::ALL.len()],
    pub last_error: Option<String>,
    /// Why spooling stopped, or never started, though a spool was configured.
    pub spool_error: Option<String>,
}

impl Stats {
    pub fn dropped(&self, reason: DropReason) -> u64 {
        self.dropped[reason as usize]
    }

    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }

    /// Entries in the spool now: what was found and written, less what was taken back out.
    /// With it every entry is accounted for:
    /// `accepted + spool_recovered = sent + dropped + queued + spool_pending`
    /// (`dropped` counting only reasons met after acceptance).
    pub fn spool_pending(&self) -> u64 {
        (self.spool_recovered + self.spooled).saturating_sub(
            self.replayed
                + self.dropped(DropReason::SpoolEvicted)
                + self.dropped(DropReason::SpoolLost),
        )
    }

    /// A counter by its name: `accepted`, `sent`, `retried`, `requests`, `queued`,
    /// `dropped` (all reasons) or a drop reason's name.
    pub fn counter(&self, name: &str) -> Option<u64> {
        match name {
            "accepted" => Some(self.accepted),
            "sent" => Some(self.sent),
            "retried" => Some(self.retried),
            "requests" => Some(self.requests),
            "attributes_dropped" => Some(self.attributes_dropped),
            "values_truncated" => Some(self.values_truncated),
            "queued" => Some(self.queued),
            "spooled" => Some(self.spooled),
            "replayed" => Some(self.replayed),
            "spool_recovered" => Some(self.spool_recovered),
            "spool_pending" => Some(self.spool_pending()),
            "spool_corrupt" => Some(self.spool_corrupt),
            "dropped" => Some(self.dropped_total()),
            _ => DropReason::from_name(name).map(|r| self.dropped(r)),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let dropped: serde_json::Map<String, serde_json::Value> = DropReason::ALL
            .iter()
            .map(|r| (r.name().to_owned(), self.dropped(*r).into()))
            .collect();
        serde_json::json!({
            "accepted": self.accepted,
            "sent": self.sent,
            "retried": self.retried,
            "requests": self.requests,
            "attributes_dropped": self.attributes_dropped,
            "values_truncated": self.values_truncated,
            "queued": self.queued,
            "spooled": self.spooled,
            "replayed": self.replayed,
            "spool_recovered": self.spool_recovered,
            "spool_pending": self.spool_pending(),
            "spool_corrupt": self.spool_corrupt,
            "dropped": dropped,
            "last_error": self.last_error,
            "spool_error": self.spool_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_have_stable_numbers_and_unique_names() {
        for (i, reason) in DropReason::ALL.iter().enumerate() {
            assert_eq!(*reason as usize, i);
            assert_eq!(DropReason::from_name(reason.name()), Some(*reason));
        }
    }

    #[test]
    fn refusals_do_not_settle_but_drops_do() {
        let counters = Counters::default();
        counters.accepted.fetch_add(3, Relaxed);
        counters.refused(DropReason::Sampled, 5);
        counters.dropped(DropReason::SendError, 1);
        counters.delivered(2);
        let stats = counters.snapshot(0);
        assert_eq!(counters.settled.load(Relaxed), 3);
        assert_eq!(stats.dropped_total(), 6);
        assert_eq!(stats.counter("sampled"), Some(5));
        assert_eq!(stats.counter("sent"), Some(2));
        assert_eq!(stats.counter("bogus"), None);
        assert_eq!(stats.to_json()["dropped"]["send_error"], 1);
    }
}
