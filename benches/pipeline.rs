//! Pipeline throughput: entries per second from the producer to an endpoint over loopback,
//! with the blocking overflow policy so nothing is dropped, timed from the first log call to
//! the end of the flush that settles the last entry; then LogFlux's per-entry stages timed
//! alone, so the slowest is visible. Beside each rate, the client's own CPU time per entry
//! (producer and workers), which the other loads of a shared machine do not inflate as much.
//!
//! `FERROLOG_BENCH_TARGETS` lists `label|protocol|url` triples separated by semicolons
//! (scripts/bench.sh points them at a storing collector and at one that discards).

use std::sync::Arc;
use std::time::{Duration, Instant};

use ferrolog::context::Context;
use ferrolog::entry::Record;
use ferrolog::wire::logflux::crypto::AesKey;
use ferrolog::wire::logflux::part::{Entry, PartEncoder};
use ferrolog::wire::logflux::payload::{write_payload, Adjustments, Common};
use ferrolog::wire::logflux::{Limits, Session};
use ferrolog::wire::rfc3339_trimmed;
use ferrolog::{Client, Config, Level};

const ENTRIES: usize = 200_000;
/// Each case runs this many times and the fastest counts: the machine is shared, and the
/// other loads only ever slow a run down.
const REPEATS: usize = 3;
const MESSAGE: &str = "GET /api/orders completed in 12ms for the storefront service";
const ROUTE: (&str, &str) = ("route", "/api/orders");

/// CPU seconds this process has used, all threads (utime + stime of /proc/self/stat, in the
/// kernel's 100 Hz ticks): beside the wall-clock rate it shows what an entry costs the client
/// however busy the shared machine is.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|field| field.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// Entries per second, client CPU microseconds per entry, sent, dropped.
fn run(protocol: &str, url: &str, workers: &str, gzip: bool) -> (f64, f64, u64, u64) {
    let api_key = if protocol == "logflux" {
        "eu-lf_bench-key"
    } else {
        "bench-key"
    };
    let mut config = Config::new(api_key);
    for (key, value) in [
        ("protocol", protocol),
        ("endpoint", url),
        ("overflow", "block"),
        ("block_timeout", "30"),
        ("batch_size", "500"),
        ("worker_count", workers),
        ("compression", if gzip { "gzip" } else { "none" }),
        ("key_persistence", "false"),
    ] {
        config.set(key, value).unwrap();
    }
    let client = Client::new(config).expect("client");
    let logger = client.logger();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    for i in 0..ENTRIES {
        let id = i.to_string();
        logger.log(
            Level::Info,
            MESSAGE,
            &[("request_id", id.as_str()), ROUTE, ("status", "200")],
        );
    }
    let report = client.flush(Duration::from_secs(120));
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_us = (cpu_seconds() - cpu_before) * 1e6 / ENTRIES as f64;
    assert!(report.completed, "flush did not finish: {report:?}");
    let stats = client.stats();
    client.shutdown(Duration::from_secs(5));
    (
        ENTRIES as f64 / elapsed,
        cpu_us,
        stats.sent,
        stats.dropped_total(),
    )
}

/// Nanoseconds per entry of `stage` over `records`, the fastest of [`REPEATS`] passes.
fn per_entry(records: &[Record], mut stage: impl FnMut(&Record)) -> f64 {
    (0..REPEATS)
        .map(|_| {
            let started = Instant::now();
            for record in records {
                stage(record);
            }
            started.elapsed().as_nanos() as f64 / records.len() as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn logflux_stages() {
    let context = Arc::new(Context::default());
    let records: Vec<Record> = (0..50_000)
        .map(|i| {
            let id = i.to_string();
            let pairs = [("request_id", id.as_str()), ROUTE, ("status", "200")];
            Record::with_pairs(Level::Info, MESSAGE, pairs.into_iter(), context.clone()).unwrap()
        })
        .collect();
    // The same entries with their attributes as one JSON object, as the bindings give them.
    let json_records: Vec<Record> = (0..50_000)
        .map(|i| {
            let attributes = format!(
                r#"{{"request_id":"{i}","{}":"{}","status":200}}"#,
                ROUTE.0, ROUTE.1
            );
            Record::with_json(Level::Info, MESSAGE, &attributes, context.clone()).unwrap()
        })
        .collect();
    let common = Common {
        source: "storefront".into(),
        environment: Some("prod".into()),
        release: None,
    };
    let session = Session {
        key_id: "bench".into(),
        key: AesKey::generate(),
        limits: Limits::default(),
    };
    let mut adjustments = Adjustments::default();
    // As the LogFlux encoder does it: one timestamp text per entry, one reused JSON buffer.
    let mut buffer = Vec::new();
    let mut json = |record: &Record, adjustments: &mut Adjustments| {
        let timestamp = rfc3339_trimmed(record.timestamp_ns);
        buffer.clear();
        write_payload(record, &common, &timestamp, adjustments, &mut buffer);
        (buffer.len(), timestamp)
    };
    let size = json(&records[0], &mut adjustments).0;
    let serialize = per_entry(&records, |r| drop(json(r, &mut adjustments)));
    let serialize_json = per_entry(&json_records, |r| drop(json(r, &mut adjustments)));
    let part = |compress: bool| {
        let mut encoder = PartEncoder::new(compress);
        let mut buffer = Vec::new();
        per_entry(&records, |r| {
            let timestamp = rfc3339_trimmed(r.timestamp_ns);
            buffer.clear();
            write_payload(
                r,
                &common,
                &timestamp,
                &mut Adjustments::default(),
                &mut buffer,
            );
            let entry = Entry {
                kind: r.kind(),
                json: &buffer,
                timestamp: &timestamp,
            };
            drop(encoder.encode(&entry, &session).unwrap());
        })
    };
    let sealed = part(false);
    let sealed_gzipped = part(true);
    println!();
    println!("LogFlux per-entry stages, ns per entry ({size}-byte payload JSON, one worker)");
    println!(
        "{:<34} {:>10}",
        "serialize (v2.0 JSON)",
        format!("{serialize:.0}")
    );
    println!(
        "{:<34} {:>10}",
        "serialize, JSON attributes",
        format!("{serialize_json:.0}")
    );
    println!(
        "{:<34} {:>10}",
        "encrypt (AES-256-GCM, part)",
        format!("{:.0}", sealed - serialize)
    );
    println!(
        "{:<34} {:>10}",
        "compress (gzip level 1, reused)",
        format!("{:.0}", sealed_gzipped - sealed)
    );
    println!("{:<34} {:>10}", "all three", format!("{sealed_gzipped:.0}"));
}

fn main() {
    let targets = std::env::var("FERROLOG_BENCH_TARGETS")
        .expect("FERROLOG_BENCH_TARGETS=label|protocol|url[;…]");
    println!("pipeline throughput, {ENTRIES} log entries, 3 attributes each, blocking overflow, best of {REPEATS}");
    println!(
        "{:<38} {:>8} {:>6} {:>12} {:>14} {:>9} {:>8}",
        "protocol → endpoint", "workers", "gzip", "entries/s", "client µs/entry", "sent", "dropped"
    );
    for target in targets.split(';') {
        let mut fields = target.splitn(3, '|');
        let (Some(label), Some(protocol), Some(url)) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("expected label|protocol|url, got {target}");
        };
        for (workers, gzip) in [("1", false), ("2", false), ("2", true)] {
            let runs: Vec<_> = (0..REPEATS)
                .map(|_| run(protocol, url, workers, gzip))
                .collect();
            let (rate, cpu_us, sent, _) = runs
                .iter()
                .copied()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("at least one run");
            // A drop in any run shows, not only in the fastest.
            let dropped = runs.iter().map(|r| r.3).max().unwrap_or(0);
            let gzip = if gzip { "yes" } else { "no" };
            println!(
                "{label:<38} {workers:>8} {gzip:>6} {rate:>12.0} {cpu_us:>14.2} {sent:>9} {dropped:>8}"
            );
        }
    }
    logflux_stages();
}
