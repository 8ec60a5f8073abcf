//! How long `shutdown(deadline)` takes against an endpoint that accepts requests and never
//! answers: one batch in flight on a hanging request, 70 entries queued behind it, for each
//! protocol, with and without a spool, at three deadlines. The overshoot (time taken less
//! the deadline) is what cancelling the request and settling the entries cost.
//!
//! Starts its own collector (the release `ferrolog-collector` beside the bench, or
//! `FERROLOG_COLLECTOR`), with the hang fault on each protocol's ingest path.

#[path = "../src/testing/collector.rs"]
mod collector;

use std::time::{Duration, Instant};

use collector::Collector;
use ferrolog::{Client, Config};
use serde_json::json;

const RUNS: usize = 5;
const ENTRIES: usize = 120;

/// Protocol, API key, ingest path.
const PROTOCOLS: [(&str, &str, &str); 3] = [
    ("luminalog", "bench-key", "/v1/logs"),
    ("logflux", "eu-lf_bench-key", "/v1/ingest"),
    ("otlp", "bench-key", "/v1/logs"),
];

fn client(collector: &Collector, protocol: &str, key: &str, spool: Option<&str>) -> Client {
    let mut config = Config::new(key);
    let endpoint = if protocol == "luminalog" {
        collector.ingest_url()
    } else {
        collector.base.clone()
    };
    let options = [
        ("protocol", protocol),
        ("endpoint", endpoint.as_str()),
        ("key_persistence", "false"),
        ("http_timeout", "30"),
        ("batch_size", "50"),
        ("flush_interval", "60"),
    ];
    for (key, value) in options.iter().chain(&spool.map(|dir| ("spool_dir", dir))) {
        config.set(key, value).unwrap();
    }
    Client::new(config).expect("client")
}

/// One shutdown against the hang; how long it took, and whether every entry was settled.
fn run(
    collector: &Collector,
    protocol: (&str, &str, &str),
    spool: bool,
    deadline: Duration,
) -> (Duration, bool) {
    let (name, key, path) = protocol;
    let dir = std::env::temp_dir().join(format!("ferrolog-bench-spool-{}", fastrand::u64(..)));
    let spool_dir = spool.then(|| dir.to_string_lossy().into_owned());
    let client = client(collector, name, key, spool_dir.as_deref());
    let hanging = || {
        collector
            .requests()
            .iter()
            .filter(|r| r["path"] == path && r["fault"] == "hang")
            .count()
    };
    let before = hanging();
    let logger = client.logger();
    for i in 0..ENTRIES {
        logger.info(&format!("held-{i}"));
    }
    let waiting = Instant::now() + Duration::from_secs(10);
    while hanging() == before {
        assert!(
            Instant::now() < waiting,
            "the request never reached the collector"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    client.shutdown(deadline);
    let took = started.elapsed();
    let stats = client.stats();
    let settled = stats.queued == 0 && stats.dropped_total() + stats.spooled == ENTRIES as u64;
    drop(client);
    let _ = std::fs::remove_dir_all(dir);
    (took, settled)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let collector = Collector::start();
    println!("shutdown against a hanging endpoint: {ENTRIES} entries (one batch in flight), {RUNS} runs each");
    println!(
        "{:<10} {:>6} {:>12} {:>14} {:>14} {:>9}",
        "protocol", "spool", "deadline ms", "median took ms", "max over ms", "settled"
    );
    for protocol in PROTOCOLS {
        collector.fault(json!({"hang": true, "path": protocol.2}));
        for spool in [false, true] {
            for deadline_ms in [100, 300, 1000] {
                let deadline = Duration::from_millis(deadline_ms);
                let mut runs: Vec<(Duration, bool)> = (0..RUNS)
                    .map(|_| run(&collector, protocol, spool, deadline))
                    .collect();
                runs.sort();
                let median = runs[RUNS / 2].0;
                let worst = runs[RUNS - 1].0.saturating_sub(deadline);
                let settled = runs.iter().filter(|r| r.1).count();
                println!(
                    "{:<10} {:>6} {:>12} {:>14.1} {:>14.1} {:>6}/{RUNS}",
                    protocol.0,
                    if spool { "yes" } else { "no" },
                    deadline_ms,
                    millis(median),
                    millis(worst),
                    settled
                );
            }
        }
    }
}
