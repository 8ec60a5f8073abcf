//! Caller-side cost of a log call: an enabled call with three attributes (one thread, then two
//! at once), the same attributes given as one JSON object (as the Go, Python and Node bindings
//! pass them), and a call below the minimum level. Timed per call with the monotonic clock (its
//! own cost, measured here, is subtracted), and amortized over untimed loops.
//!
//! `FERROLOG_BENCH_ENDPOINT` names the ingest URL (scripts/bench.sh starts a collector);
//! flushes between rounds are not timed. Options come from the `FERROLOG_*` variables too, so
//! a run can vary them (`FERROLOG_MAX_BREADCRUMBS=0` leaves breadcrumbs out).

use std::hint::black_box;
use std::time::{Duration, Instant};

use ferrolog::{Client, Config, Level, Logger};

const ROUNDS: usize = 20;
const CALLS_PER_ROUND: usize = 10_000;

fn client() -> Client {
    let endpoint = std::env::var("FERROLOG_BENCH_ENDPOINT")
        .unwrap_or_else(|_| "http://127.0.0.1:9/v1/logs".to_owned());
    let mut config = Config::new("bench-key");
    config.set("endpoint", &endpoint).unwrap();
    config.apply_env().unwrap();
    Client::new(config).expect("client")
}

/// A workload: one log call, given the logger and the call's index.
type Call = fn(&Logger, usize);

fn log_three(logger: &Logger, i: usize) {
    let attributes = [
        ("user_id", "u-12345"),
        ("route", "/api/orders"),
        ("status", "200"),
    ];
    black_box(logger.log(Level::Info, black_box("request handled"), &attributes));
    black_box(i);
}

fn log_three_json(logger: &Logger, i: usize) {
    let attributes = r#"{"user_id":"u-12345","route":"/api/orders","status":200}"#;
    let status = logger.log_json(
        Level::Info,
        black_box("request handled"),
        black_box(attributes),
    );
    black_box(status.expect("valid JSON"));
    black_box(i);
}

fn clock_cost() -> u64 {
    let mut samples: Vec<u64> = (0..100_000)
        .map(|_| {
            let start = Instant::now();
            black_box(());
            start.elapsed().as_nanos() as u64
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Per-call nanoseconds, clock cost subtracted.
fn timed_calls(client: &Client, call: Call, clock: u64) -> Vec<u64> {
    let logger = client.logger();
    let mut samples = Vec::with_capacity(ROUNDS * CALLS_PER_ROUND);
    for _ in 0..ROUNDS {
        for i in 0..CALLS_PER_ROUND {
            let start = Instant::now();
            call(&logger, i);
            samples.push((start.elapsed().as_nanos() as u64).saturating_sub(clock));
        }
        client.flush(Duration::from_secs(30));
    }
    samples
}

fn amortized(client: &Client, call: Call) -> f64 {
    let logger = client.logger();
    let mut total = Duration::ZERO;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for i in 0..CALLS_PER_ROUND {
            call(&logger, i);
        }
        total += start.elapsed();
        client.flush(Duration::from_secs(30));
    }
    total.as_nanos() as f64 / (ROUNDS * CALLS_PER_ROUND) as f64
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<u64>, amortized_ns: f64) {
    samples.sort_unstable();
    println!(
        "{name:<36} {amortized_ns:>10.1} {:>8} {:>8} {:>8} {:>10}",
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        percentile(&samples, 0.999),
        samples[samples.len() - 1],
    );
}

fn disabled_call_ns(client: &Client) -> f64 {
    client.set_min_level(Level::Warning);
    let logger = client.logger();
    let n = 50_000_000;
    let start = Instant::now();
    for i in 0..n {
        log_three(&logger, i);
    }
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    client.set_min_level(Level::Debug);
    ns
}

fn main() {
    let client = client();
    let clock = clock_cost();
    // Warm the allocator, the queue and the connection before measuring.
    amortized(&client, log_three);
    amortized(&client, log_three_json);
    println!("ferrolog hot path (Rust API), ns per call; clock cost {clock} ns subtracted");
    println!(
        "{:<36} {:>10} {:>8} {:>8} {:>8} {:>10}",
        "case", "amortized", "p50", "p99", "p99.9", "max"
    );
    let one = amortized(&client, log_three);
    report(
        "enabled, 3 attributes, 1 thread",
        timed_calls(&client, log_three, clock),
        one,
    );
    let json = amortized(&client, log_three_json);
    report(
        "enabled, 3 JSON attributes, 1 thread",
        timed_calls(&client, log_three_json, clock),
        json,
    );

    let (samples, amortized_ns) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    (
                        timed_calls(&client, log_three, clock),
                        amortized(&client, log_three),
                    )
                })
            })
            .collect();
        let results: Vec<(Vec<u64>, f64)> =
            handles.into_iter().map(|h| h.join().unwrap()).collect();
        let amortized = results.iter().map(|r| r.1).sum::<f64>() / results.len() as f64;
        (
            results.into_iter().flat_map(|r| r.0).collect::<Vec<u64>>(),
            amortized,
        )
    });
    report("enabled, 3 attributes, 2 threads", samples, amortized_ns);
    println!(
        "{:<36} {:>10.2}",
        "disabled (below min_level)",
        disabled_call_ns(&client)
    );

    let stats = client.stats();
    client.shutdown(Duration::from_secs(10));
    println!(
        "accepted {} sent {} dropped {} (queue_overflow {})",
        stats.accepted,
        stats.sent,
        stats.dropped_total(),
        stats.dropped(ferrolog::DropReason::QueueOverflow)
    );
}
