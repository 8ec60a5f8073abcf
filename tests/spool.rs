//! The disk spool end to end against the real collector: batches an endpoint could not take
//! are kept on disk and replayed when it answers again or the next client starts, stored once
//! thanks to their batch ids, with every entry accounted for.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{assert_accounted_spooled as assert_accounted, Collector, SpoolDir};
use ferrolog::{Client, Config, DropReason, Stats};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

/// An endpoint nobody listens on: every request fails at once.
fn down_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v1/logs")
}

fn client_to(endpoint: &str, spool: &SpoolDir, options: &[(&str, &str)]) -> Client {
    let mut config = Config::new("test-key");
    for (key, value) in [
        ("endpoint", endpoint),
        ("spool_dir", spool.path()),
        ("max_retries", "0"),
        ("retry_backoff", "20ms"),
        ("http_timeout", "5"),
        ("flush_interval", "60"),
    ]
    .iter()
    .chain(options)
    {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    Client::new(config).expect("client starts")
}

fn log_n(client: &Client, prefix: &str, n: usize) {
    let logger = client.logger();
    for i in 0..n {
        logger.info(&format!("{prefix}-{i}"));
    }
}

/// Each of `prefix-0 … prefix-(n-1)` was stored exactly once.
fn assert_stored_once(collector: &Collector, prefix: &str, n: usize) {
    let entries = collector.wait_for_entries(&format!("?text={prefix}-"), n, WAIT);
    let mut messages: Vec<String> = entries
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    messages.sort();
    let mut expected: Vec<String> = (0..n).map(|i| format!("{prefix}-{i}")).collect();
    expected.sort();
    assert_eq!(messages, expected);
}

fn wait_for(what: &str, client: &Client, mut done: impl FnMut(&Stats) -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done(&client.stats()) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {:?}",
            client.stats()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn batches_refused_while_the_endpoint_fails_are_replayed_once_it_answers() {
    let collector = Collector::start();
    let spool = SpoolDir::new();
    collector.fault(json!({"status": 503, "count": 3}));
    let client = client_to(&collector.ingest_url(), &spool, &[("batch_size", "50")]);
    log_n(&client, "down", 120);
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(
        (stats.spooled, stats.sent, stats.spool_pending()),
        (120, 0, 120)
    );
    assert_accounted(&stats, 120);

    log_n(&client, "up", 10);
    assert!(client.flush(WAIT).completed);
    wait_for("the replay", &client, |stats| stats.spool_pending() == 0);
    assert_stored_once(&collector, "down", 120);
    assert_stored_once(&collector, "up", 10);
    let stats = client.stats();
    assert_eq!(
        (stats.sent, stats.replayed, stats.dropped_total()),
        (130, 120, 0)
    );
    assert_accounted(&stats, 130);
    assert!(spool.segments().is_empty(), "a replayed segment is deleted");
}

#[test]
fn a_segment_replayed_again_after_a_crash_is_stored_once() {
    let spool = SpoolDir::new();
    let first = client_to(&down_endpoint(), &spool, &[]);
    log_n(&first, "again", 5);
    assert!(first.flush(WAIT).completed);
    drop(first);
    let segment = spool.segments()[0].clone();
    let copy = std::fs::read(&segment).unwrap();

    let collector = Collector::start();
    let second = client_to(&collector.ingest_url(), &spool, &[]);
    wait_for("the replay", &second, |stats| stats.sent == 5);
    drop(second);
    // As if the replaying client had died before deleting the segment it had sent.
    std::fs::write(&segment, copy).unwrap();

    let third = client_to(&collector.ingest_url(), &spool, &[]);
    wait_for("the second replay", &third, |stats| stats.sent == 5);
    assert_stored_once(&collector, "again", 5);
    assert_eq!(collector.stats()["duplicate_batches"], 1);
    assert_accounted(&third.stats(), 0);
}

#[test]
fn the_next_client_on_the_spool_replays_what_the_last_one_left() {
    let spool = SpoolDir::new();
    let first = client_to(&down_endpoint(), &spool, &[]);
    log_n(&first, "restart", 30);
    let report = first.shutdown(WAIT);
    assert_eq!(report.left, 0);
    let stats = first.stats();
    assert_eq!((stats.spooled, stats.dropped_total()), (30, 0));
    assert_accounted(&stats, 30);
    drop(first);
    for file in spool.segments() {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }

    let collector = Collector::start();
    let second = client_to(&collector.ingest_url(), &spool, &[]);
    assert_eq!(second.stats().spool_recovered, 30);
    assert_stored_once(&collector, "restart", 30);
    wait_for("the replay", &second, |stats| stats.sent == 30);
    let stats = second.stats();
    assert_eq!((stats.replayed, stats.spool_pending()), (30, 0));
    assert_accounted(&stats, 0);
}

#[test]
fn what_is_in_flight_or_queued_at_the_shutdown_deadline_is_spooled_not_dropped() {
    let collector = Collector::start();
    let spool = SpoolDir::new();
    collector.fault(json!({"hang": true, "count": 1}));
    let options = [("batch_size", "50"), ("max_retries", "5")];
    let client = client_to(&collector.ingest_url(), &spool, &options);
    // One batch in flight on a request that never ends, ten entries queued behind it.
    log_n(&client, "held", 60);
    client.shutdown(Duration::from_millis(300));
    let stats = client.stats();
    assert_eq!((stats.spooled, stats.dropped_total()), (60, 0), "{stats:?}");
    assert_accounted(&stats, 60);
    drop(client);

    let second = client_to(&collector.ingest_url(), &spool, &[]);
    assert_stored_once(&collector, "held", 60);
    wait_for("the replay", &second, |stats| stats.sent == 60);
}

#[test]
fn a_damaged_frame_is_skipped_and_counted_and_the_rest_replayed() {
    let spool = SpoolDir::new();
    let first = client_to(&down_endpoint(), &spool, &[]);
    for round in 0..3 {
        log_n(&first, &format!("frame{round}"), 2);
        assert!(first.flush(WAIT).completed);
    }
    assert_eq!(first.stats().spooled, 6);
    drop(first);

    let file = &spool.segments()[0];
    let mut bytes = std::fs::read(file).unwrap();
    let first_frame = 8 + u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
    bytes[first_frame + 8 + 5] ^= 0x01;
    std::fs::write(file, bytes).unwrap();

    let collector = Collector::start();
    let second = client_to(&collector.ingest_url(), &spool, &[]);
    let stats = second.stats();
    assert_eq!((stats.spool_corrupt, stats.spool_recovered), (1, 4));
    assert_stored_once(&collector, "frame0", 2);
    assert_stored_once(&collector, "frame2", 2);
    wait_for("the replay", &second, |stats| stats.sent == 4);
    assert!(collector.entries("?text=frame1-").is_empty());
    assert_accounted(&second.stats(), 0);
}

#[test]
fn the_oldest_batches_are_evicted_at_the_bound_and_counted() {
    let spool = SpoolDir::new();
    let client = client_to(&down_endpoint(), &spool, &[("spool_max_bytes", "16384")]);
    let text = "x".repeat(400);
    let logger = client.logger();
    for i in 0..100 {
        logger.info(&format!("big-{i}-{text}"));
        if i % 2 == 1 {
            assert!(client.flush(WAIT).completed);
        }
    }
    let stats = client.stats();
    let evicted = stats.dropped(DropReason::SpoolEvicted);
    assert!(evicted > 0, "{stats:?}");
    assert_eq!(stats.spooled, 100);
    assert_eq!(stats.spool_pending(), 100 - evicted);
    let held: u64 = spool
        .segments()
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(held <= 16384, "{held} bytes on disk");
    assert_accounted(&stats, 100);
    drop(logger);
    drop(client);

    let collector = Collector::start();
    let second = client_to(&collector.ingest_url(), &spool, &[]);
    let kept = second.stats().spool_recovered;
    assert_eq!(kept, 100 - evicted);
    wait_for("the replay", &second, |stats| stats.sent == kept);
    let newest = collector.entries("?text=big-99-");
    assert_eq!(newest.len(), 1, "the newest batches are the ones kept");
}

#[test]
fn a_full_disk_stops_spooling_with_a_diagnostic_and_entries_drop_as_before() {
    let spool = SpoolDir::new();
    let client = client_to(&down_endpoint(), &spool, &[]);
    assert_eq!(client.stats().spool_error, None);
    // The segment the spool opens next is a device that is always full.
    std::os::unix::fs::symlink("/dev/full", spool.0.join(segment_name(1))).unwrap();
    log_n(&client, "full", 4);
    assert!(client.flush(WAIT).completed);
    log_n(&client, "after", 3);
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(stats.spooled, 0);
    assert_eq!(stats.dropped(DropReason::NetworkError), 7);
    let error = stats
        .spool_error
        .clone()
        .expect("the spool's error is reported");
    assert!(error.contains("spooling stopped"), "{error}");
    assert!(stats.to_json()["spool_error"].is_string());
    assert_accounted(&stats, 7);
}

fn segment_name(sequence: u64) -> String {
    format!("{sequence:020}.seg")
}

#[test]
fn two_clients_never_share_a_spool() {
    let spool = SpoolDir::new();
    let endpoint = down_endpoint();
    let first = client_to(&endpoint, &spool, &[]);
    let second = client_to(&endpoint, &spool, &[]);
    assert_eq!(first.stats().spool_error, None);
    let error = second.stats().spool_error.expect("no spool for the second");
    assert!(error.contains("another client"), "{error}");
    log_n(&second, "unspooled", 2);
    assert!(second.flush(WAIT).completed);
    assert_eq!(second.stats().dropped(DropReason::NetworkError), 2);
    log_n(&first, "spooled", 2);
    assert!(first.flush(WAIT).completed);
    assert_eq!(first.stats().spooled, 2);
}

#[test]
fn the_stats_json_reports_the_spool() {
    let spool = SpoolDir::new();
    let client = client_to(&down_endpoint(), &spool, &[]);
    log_n(&client, "json", 3);
    assert!(client.flush(WAIT).completed);
    let json = client.stats().to_json();
    assert_eq!(json["spooled"], 3);
    assert_eq!(json["spool_pending"], 3);
    assert_eq!(json["replayed"], 0);
    assert_eq!(json["spool_corrupt"], 0);
    assert_eq!(json["dropped"]["spool_evicted"], 0);
    assert!(Path::new(spool.path()).join("spool.lock").exists());
}
