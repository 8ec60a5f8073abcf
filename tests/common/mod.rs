//! Test harness: the real `ferrolog-collector` on an ephemeral loopback port, and a client
//! configured to send to it.

#![allow(dead_code)] // each test binary uses its own subset of the harness

#[path = "../../src/testing/collector.rs"]
mod collector;

mod spool_dir;

use std::sync::OnceLock;

pub use collector::Collector;
use ferrolog::wire::logflux::crypto::{PrivateKey, DEFAULT_RSA_BITS};
use ferrolog::{Client, Config, Stats};
#[allow(unused_imports)] // each test binary uses its own subset of the harness
pub use spool_dir::SpoolDir;

/// A configuration aimed at `collector` with test-friendly timings; `options` override.
pub fn config(collector: &Collector, options: &[(&str, &str)]) -> Config {
    let mut config = Config::new("test-key");
    config.set("endpoint", &collector.ingest_url()).unwrap();
    config.set("retry_backoff", "20ms").unwrap();
    config.set("http_timeout", "5").unwrap();
    for (key, value) in options {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    config
}

pub fn client(collector: &Collector, options: &[(&str, &str)]) -> Client {
    Client::new(config(collector, options)).expect("client starts")
}

/// Every produced entry is accounted for: sent, dropped with a reason, or still owed.
pub fn assert_accounted(client: &Client, produced: u64) {
    let stats = client.stats();
    assert_eq!(
        produced,
        stats.sent + stats.dropped_total() + stats.queued,
        "produced {produced} but {stats:?}"
    );
}

/// Every entry is accounted for: taken in (logged now or found in the spool) is sent,
/// dropped, still owed, or in the spool.
pub fn assert_accounted_spooled(stats: &Stats, produced: u64) {
    assert_eq!(
        produced + stats.spool_recovered,
        stats.sent + stats.dropped_total() + stats.queued + stats.spool_pending(),
        "produced {produced} but {stats:?}"
    );
}

/// A collector whose LogFlux key pair was made once for the whole test binary: generating
/// one per collector takes long enough to meet the tests' flush deadlines.
pub fn logflux_collector() -> Collector {
    static PEM: OnceLock<String> = OnceLock::new();
    let pem = PEM.get_or_init(|| {
        let key = PrivateKey::generate(DEFAULT_RSA_BITS).expect("RSA key");
        key.to_pkcs8_pem().to_string()
    });
    Collector::start_seeded(&[("logflux-key.pem", pem.as_bytes())], &[])
}
