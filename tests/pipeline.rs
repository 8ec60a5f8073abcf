//! The pipeline end to end against the real collector: batching, context, levels, retry,
//! drops, deadlines and overflow, each with exact accounting.

mod common;

use std::time::{Duration, Instant};

use common::{assert_accounted, client, Collector};
use ferrolog::{DropReason, Level, LogStatus};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

fn log_n(logger: &ferrolog::Logger, prefix: &str, n: usize) {
    for i in 0..n {
        assert_eq!(logger.info(&format!("{prefix}-{i}")), LogStatus::Accepted);
    }
}

fn entry_counts(collector: &Collector) -> Vec<u64> {
    collector
        .requests()
        .iter()
        .map(|r| r["processed"].as_u64().expect("processed count"))
        .collect()
}

#[test]
fn a_full_batch_is_sent_without_waiting_for_the_interval() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[("batch_size", "50"), ("flush_interval", "60")],
    );
    log_n(&client.logger(), "size", 120);
    collector.wait_for_entries("?text=size-", 100, WAIT);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        entry_counts(&collector),
        [50, 50],
        "two full batches, the rest waits"
    );
    assert!(client.flush(WAIT).completed);
    assert_eq!(entry_counts(&collector), [50, 50, 20]);
    assert_accounted(&client, 120);
}

#[test]
fn a_partial_batch_is_sent_when_the_interval_passes() {
    let collector = Collector::start();
    let client = client(&collector, &[("flush_interval", "200ms")]);
    log_n(&client.logger(), "tick", 3);
    let started = Instant::now();
    let entries = collector.wait_for_entries("?text=tick-", 3, WAIT);
    assert_eq!(entries.len(), 3);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(entry_counts(&collector), [3]);
}

#[test]
fn batch_size_outside_the_luminalog_range_is_clamped() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[("batch_size", "10"), ("flush_interval", "60")],
    );
    log_n(&client.logger(), "clamp", 60);
    collector.wait_for_entries("?text=clamp-", 50, WAIT);
    assert_eq!(entry_counts(&collector), [50], "batch_size 10 became 50");
    client.shutdown(WAIT);
    assert_eq!(entry_counts(&collector), [50, 10]);
}

#[test]
fn children_merge_attributes_and_leave_parents_alone() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let root = client.logger();
    let parent = root.child(
        json!({"service": "api", "region": "eu"})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let child = parent.child(
        json!({"region": "us", "request": 7})
            .as_object()
            .cloned()
            .unwrap(),
    );
    parent.info("from-parent");
    child.log(Level::Warning, "from-child", &[("request", "explicit")]);
    root.log_json(Level::Info, "from-root", r#"{"n":[1,2]}"#)
        .unwrap();
    assert!(client.flush(WAIT).completed);
    let by_message = |m: &str| collector.entries(&format!("?text={m}")).remove(0);
    assert_eq!(
        by_message("from-parent")["attributes"],
        json!({"service": "api", "region": "eu"})
    );
    let child_entry = by_message("from-child");
    assert_eq!(
        child_entry["attributes"],
        json!({"service": "api", "region": "us", "request": "explicit"})
    );
    assert_eq!(child_entry["level"], 5);
    assert_eq!(by_message("from-root")["attributes"], json!({"n": [1, 2]}));
}

#[test]
fn entries_below_the_minimum_level_are_filtered() {
    let collector = Collector::start();
    let client = client(&collector, &[("min_level", "warn")]);
    let logger = client.logger();
    assert_eq!(logger.debug("quiet-debug"), LogStatus::Filtered);
    assert_eq!(logger.info("quiet-info"), LogStatus::Filtered);
    assert_eq!(logger.warn("loud-warn"), LogStatus::Accepted);
    assert_eq!(logger.error("loud-error"), LogStatus::Accepted);
    client.set_min_level(Level::Debug);
    assert_eq!(logger.debug("loud-debug"), LogStatus::Accepted);
    assert!(client.flush(WAIT).completed);
    assert!(collector.entries("?text=quiet").is_empty());
    assert_eq!(collector.entries("?text=loud").len(), 3);
    assert_eq!(client.stats().accepted, 3);
}

#[test]
fn an_emergency_entry_goes_out_at_once() {
    let collector = Collector::start();
    let client = client(&collector, &[("flush_interval", "60")]);
    let logger = client.logger();
    log_n(&logger, "before-panic", 3);
    let started = Instant::now();
    logger.log::<&str, &str>(Level::Emergency, "the-panic", &[]);
    let entries = collector.wait_for_entries("", 4, WAIT);
    assert_eq!(
        entries.len(),
        4,
        "the panic carried the queued entries with it"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(collector.entries("?text=the-panic")[0]["level"], 1);
}

#[test]
fn server_errors_are_retried_until_they_succeed() {
    let collector = Collector::start();
    collector.fault(json!({"status": 503, "count": 2}));
    let client = client(&collector, &[]);
    client.logger().info("retried");
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(
        (stats.sent, stats.retried, stats.dropped_total()),
        (1, 2, 0)
    );
    let statuses: Vec<u64> = collector
        .requests()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(collector.entries("?text=retried").len(), 1);
}

#[test]
fn retries_follow_the_luminalog_schedule_then_give_up() {
    let collector = Collector::start();
    collector.fault(json!({"status": 503, "count": 10}));
    let client = client(&collector, &[("retry_backoff", "1")]);
    client.logger().info("doomed");
    assert!(client.flush(Duration::from_secs(15)).completed);
    let stats = client.stats();
    assert_eq!(stats.dropped(DropReason::NetworkError), 1);
    let times: Vec<u64> = collector
        .requests()
        .iter()
        .map(|r| r["at_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(times.len(), 3, "three attempts in all");
    assert!(times[1] - times[0] >= 1000, "{times:?}");
    assert!(times[2] - times[1] >= 2000, "{times:?}");
    assert_accounted(&client, 1);
}

#[test]
fn a_client_error_is_dropped_without_retry() {
    let collector = Collector::start();
    collector.fault(json!({"status": 400, "count": 1}));
    let client = client(&collector, &[]);
    log_n(&client.logger(), "bad", 5);
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(stats.dropped(DropReason::SendError), 5);
    assert_eq!((stats.sent, stats.retried), (0, 0));
    assert_eq!(collector.requests().len(), 1);
    assert!(stats.last_error.is_some());
    assert_accounted(&client, 5);
}

#[test]
fn quota_exhaustion_drops_the_batch_after_one_attempt() {
    let collector = Collector::start();
    collector.fault(json!({"status": 429, "count": 1}));
    let client = client(&collector, &[]);
    client.logger().info("over-quota");
    assert!(client.flush(WAIT).completed);
    client.logger().info("under-quota");
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(
        (stats.dropped(DropReason::QuotaExceeded), stats.sent),
        (1, 1)
    );
    assert_eq!(collector.requests().len(), 2);
}

#[test]
fn flush_and_shutdown_keep_their_deadlines_against_a_hanging_endpoint() {
    let collector = Collector::start();
    collector.fault(json!({"hang": true, "count": 100}));
    let client = client(&collector, &[("http_timeout", "30")]);
    log_n(&client.logger(), "stuck", 10);
    let started = Instant::now();
    let flushed = client.flush(Duration::from_millis(300));
    assert!(!flushed.completed);
    assert_eq!(flushed.left, 10);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "flush took {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let shut = client.shutdown(Duration::from_millis(300));
    assert!(!shut.completed);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "shutdown took {:?}",
        started.elapsed()
    );
    assert_accounted(&client, 10);
}

#[test]
fn shutdown_cancels_a_request_begun_before_it() {
    let collector = Collector::start();
    collector.fault(json!({"hang": true, "count": 100}));
    let client = client(
        &collector,
        &[("http_timeout", "30"), ("flush_interval", "50ms")],
    );
    log_n(&client.logger(), "in-flight", 10);
    // The interval sends the batch with the full 30 s request timeout; wait until it hangs.
    let deadline = Instant::now() + WAIT;
    while collector.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(collector.requests().len(), 1);
    let started = Instant::now();
    let report = client.shutdown(Duration::from_millis(300));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "shutdown took {:?}",
        started.elapsed()
    );
    assert!(!report.completed);
    assert_eq!(
        report.left, 0,
        "the cancelled request's batch was settled, not left in flight"
    );
    assert_eq!(client.stats().dropped(DropReason::NetworkError), 10);
    assert_accounted(&client, 10);
}

#[test]
fn shutdown_delivers_what_is_owed_and_is_idempotent() {
    let collector = Collector::start();
    let client = client(&collector, &[("flush_interval", "60")]);
    let logger = client.logger();
    log_n(&logger, "owed", 7);
    let report = client.shutdown(WAIT);
    assert!(report.completed);
    assert_eq!((report.sent, report.left), (7, 0));
    assert_eq!(collector.entries("?text=owed").len(), 7);
    let again = client.shutdown(WAIT);
    assert!(again.completed);
    assert_eq!(again.sent, 0);
    assert_eq!(logger.info("too-late"), LogStatus::ShutDown);
    assert_accounted(&client, 7);
}

/// Parks the worker inside a request the collector answers only after `hold`, so the queue
/// fills behind it deterministically. Returns once the request has reached the collector.
fn occupy_worker(collector: &Collector, logger: &ferrolog::Logger, hold: Duration) {
    collector.fault(json!({"delay_ms": hold.as_millis() as u64, "count": 1}));
    logger.log::<&str, &str>(Level::Emergency, "occupier", &[]);
    let deadline = Instant::now() + WAIT;
    while collector.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        collector.requests().len(),
        1,
        "the worker is inside its request"
    );
}

#[test]
fn drop_newest_refuses_when_the_queue_is_full() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[("queue_size", "10"), ("flush_interval", "60")],
    );
    let logger = client.logger();
    occupy_worker(&collector, &logger, Duration::from_millis(1500));
    let statuses: Vec<LogStatus> = (0..15)
        .map(|i| logger.info(&format!("newest-{i}")))
        .collect();
    assert_eq!(statuses[..10], [LogStatus::Accepted; 10]);
    assert_eq!(statuses[10..], [LogStatus::Dropped; 5]);
    let held = client.queued_bytes();
    assert!(
        held >= 10 * "newest-0".len(),
        "ten entries are held: {held} bytes"
    );
    assert!(client.flush(WAIT).completed);
    assert_eq!(
        client.queued_bytes(),
        0,
        "delivered entries release their bytes"
    );
    assert_eq!(client.stats().dropped(DropReason::QueueOverflow), 5);
    assert_eq!(collector.entries("?text=newest-").len(), 10);
    assert_accounted(&client, 16);
}

#[test]
fn drop_oldest_evicts_to_make_room() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[
            ("queue_size", "10"),
            ("flush_interval", "60"),
            ("overflow", "drop_oldest"),
        ],
    );
    let logger = client.logger();
    occupy_worker(&collector, &logger, Duration::from_millis(1500));
    for i in 0..15 {
        assert_eq!(logger.info(&format!("oldest-{i}")), LogStatus::Accepted);
    }
    assert!(client.flush(WAIT).completed);
    assert_eq!(client.stats().dropped(DropReason::QueueOverflow), 5);
    let kept: Vec<String> = collector
        .entries("?text=oldest-")
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    let newest: Vec<String> = (5..15).map(|i| format!("oldest-{i}")).collect();
    assert_eq!(kept, newest, "the five oldest were evicted");
    assert_accounted(&client, 16);
}

#[test]
fn block_waits_for_room_and_loses_nothing() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[
            ("queue_size", "10"),
            ("overflow", "block"),
            ("block_timeout", "10"),
        ],
    );
    log_n(&client.logger(), "blocked", 500);
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!((stats.sent, stats.dropped_total()), (500, 0));
    assert_eq!(collector.entries("?text=blocked-").len(), 500);
}

#[test]
fn gzip_bodies_are_labelled_and_decoded() {
    let collector = Collector::start();
    let client = client(&collector, &[("compression", "gzip")]);
    log_n(&client.logger(), "zipped", 5);
    assert!(client.flush(WAIT).completed);
    assert_eq!(collector.entries("?text=zipped-").len(), 5);
    assert_eq!(collector.requests()[0]["content_encoding"], "gzip");
}

#[test]
fn many_threads_share_a_logger_and_every_entry_is_accounted() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[
            ("overflow", "block"),
            ("block_timeout", "10"),
            ("queue_size", "1000"),
        ],
    );
    let logger = client.logger();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let logger = logger.clone();
            scope.spawn(move || log_n(&logger, &format!("thread{t}"), 2_000));
        }
    });
    assert!(client.flush(WAIT).completed);
    assert_eq!(client.stats().sent, 8_000);
    assert_accounted(&client, 8_000);
}

#[test]
fn children_from_json_or_bytes_follow_the_attribute_rules() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let root = client.logger();
    let from_json = root.child_json(r#"{"tenant":"t-1","n":2}"#).unwrap();
    assert_eq!(from_json.context().attributes()["n"], 2);
    assert!(root
        .child_json("  ")
        .unwrap()
        .context()
        .attributes()
        .is_empty());
    for bad in [
        "[1]",
        "{\"a\":",
        &format!("{}1{}", "{\"a\":".repeat(65), "}".repeat(65)),
    ] {
        assert_eq!(
            root.child_json(bad).err(),
            Some(ferrolog::RecordError::InvalidJson),
            "{bad}"
        );
    }
    let pairs = [(&b"region"[..], &b"eu"[..])];
    let from_bytes = root.child_utf8_pairs(pairs.into_iter()).unwrap();
    assert_eq!(from_bytes.context().attributes()["region"], "eu");
    let invalid = [(&b"k"[..], &b"\xff"[..])];
    assert_eq!(
        root.child_utf8_pairs(invalid.into_iter()).err(),
        Some(ferrolog::RecordError::InvalidUtf8)
    );
}

#[test]
fn after_shutdown_entries_are_refused_before_any_hook_runs() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;

    let collector = Collector::start();
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let mut config = common::config(&collector, &[]);
    config.hooks.set(
        ferrolog::EntryKind::Log,
        Some(Arc::new(move |_: &mut ferrolog::hooks::HookEntry| {
            counted.fetch_add(1, SeqCst);
            true
        })),
    );
    let client = ferrolog::Client::new(config).expect("client starts");
    let logger = client.logger();
    assert_eq!(logger.info("before"), LogStatus::Accepted);
    client.shutdown(WAIT);
    assert_eq!(logger.info("after"), LogStatus::ShutDown);
    assert_eq!(
        calls.load(SeqCst),
        1,
        "the hook ran for the entry before shutdown only"
    );
    assert_accounted(&client, 1);
}
