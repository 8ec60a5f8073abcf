//! Pipeline throughput: entries per second from the producer to an endpoint over loopback,
//! with the blocking overflow policy so nothing is dropped, timed from the first log call to
//! the end of the flush that settles the last entry.
//!
//! `FERROLOG_BENCH_TARGETS` lists `name=url` pairs separated by commas (scripts/bench.sh
//! points one at a storing collector and one at a collector that discards what it receives).

use std::time::{Duration, Instant};

use ferrolog::{Client, Config, Level};

const ENTRIES: usize = 200_000;

fn run(url: &str, workers: &str, gzip: bool) -> (f64, u64, u64) {
    let mut config = Config::new("bench-key");
    for (key, value) in [
        ("endpoint", url),
        ("overflow", "block"),
        ("block_timeout", "30"),
        ("batch_size", "500"),
        ("worker_count", workers),
        ("compression", if gzip { "gzip" } else { "none" }),
    ] {
        config.set(key, value).unwrap();
    }
    let client = Client::new(config).expect("client");
    let logger = client.logger();
    let started = Instant::now();
    for i in 0..ENTRIES {
        let id = i.to_string();
        logger.log(
            Level::Info,
            "GET /api/orders completed in 12ms for the storefront service",
            &[
                ("request_id", id.as_str()),
                ("route", "/api/orders"),
                ("status", "200"),
            ],
        );
    }
    let report = client.flush(Duration::from_secs(120));
    let elapsed = started.elapsed().as_secs_f64();
    assert!(report.completed, "flush did not finish: {report:?}");
    let stats = client.stats();
    client.shutdown(Duration::from_secs(5));
    (ENTRIES as f64 / elapsed, stats.sent, stats.dropped_total())
}

fn main() {
    let targets = std::env::var("FERROLOG_BENCH_TARGETS")
        .expect("FERROLOG_BENCH_TARGETS=name=url[,name=url…]");
    println!("pipeline throughput, {ENTRIES} log entries (~300 B each as JSON), blocking overflow");
    println!(
        "{:<34} {:>8} {:>6} {:>14} {:>10} {:>8}",
        "endpoint", "workers", "gzip", "entries/s", "sent", "dropped"
    );
    for target in targets.split(',') {
        let (name, url) = target.split_once('=').expect("name=url");
        for (workers, gzip) in [("1", false), ("2", false), ("2", true)] {
            let (rate, sent, dropped) = run(url, workers, gzip);
            println!(
                "{name:<34} {workers:>8} {:>6} {rate:>14.0} {sent:>10} {dropped:>8}",
                if gzip { "yes" } else { "no" }
            );
        }
    }
}
