//! What every request handler shares.

use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::faults::Faults;
use crate::logflux::LogFlux;
use crate::requests::RequestLog;
use crate::store::Store;

pub struct State {
    pub started: Instant,
    pub max_body_bytes: usize,
    /// Answer ingest requests without decoding or storing them.
    pub discard: bool,
    /// Accepted API keys; empty accepts any non-empty key.
    pub api_keys: Vec<String>,
    pub store: Mutex<Store>,
    pub requests: Mutex<RequestLog>,
    pub faults: Mutex<Faults>,
    pub logflux: LogFlux,
    /// Requests currently held open by the hang fault.
    pub hanging: AtomicUsize,
}

impl State {
    pub fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub fn accepts_key(&self, key: &str) -> bool {
        self.api_keys.is_empty() || self.api_keys.iter().any(|k| k == key)
    }
}

/// Locks a mutex even if a panicking thread poisoned it: every critical section leaves its data
/// consistent, and the collector must keep answering.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
