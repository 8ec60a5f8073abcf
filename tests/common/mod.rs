//! Test harness: the real `ferrolog-collector` on an ephemeral loopback port, and a client
//! configured to send to it.

#![allow(dead_code)] // each test binary uses its own subset of the harness

#[path = "../../src/testing/collector.rs"]
mod collector;

pub use collector::Collector;
use ferrolog::{Client, Config};

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
