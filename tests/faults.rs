//! The reliability fault suite: the real collector killed and restarted mid-stream, answering
//! slowly, resetting connections, throttling, refusing credentials and hanging at shutdown,
//! for each protocol where it matters, with and without the spool. Every scenario checks the
//! client's accounting exactly (produced = sent + dropped by reason, nothing owed) and what
//! the collector stored, by a marker of its own: no entry twice, and with the spool none
//! missing.
//!
//! Delivery is at least once: an answer lost after the collector stored a batch (the `cut`
//! fault, or a kill in the microseconds between storing and answering) leaves the client
//! counting a drop for entries that arrived. The scenarios that meet it say so; with the spool
//! the batch goes out again under its id and the collector stores it once.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::{Duration, Instant};

use common::{assert_accounted_spooled, Collector, SpoolDir};
use ferrolog::{Client, Config, DropReason, Stats};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);
const BATCH: u64 = 50;

#[derive(Clone, Copy, Debug)]
enum Protocol {
    LuminaLog,
    LogFlux,
    Otlp,
}

impl Protocol {
    fn collector(self) -> Collector {
        match self {
            Protocol::LogFlux => common::logflux_collector(),
            Protocol::LuminaLog | Protocol::Otlp => Collector::start(),
        }
    }

    /// Where its entries go; faults name it, so that LogFlux's handshake is spared.
    fn ingest_path(self) -> &'static str {
        match self {
            Protocol::LogFlux => "/v1/ingest",
            Protocol::LuminaLog | Protocol::Otlp => "/v1/logs",
        }
    }

    fn config(self, collector: &Collector) -> Config {
        let (mut config, settings): (Config, &[(&str, &str)]) = match self {
            Protocol::LuminaLog => (Config::new("test-key"), &[]),
            Protocol::LogFlux => (
                Config::new("eu-lf_test-key"),
                &[("key_persistence", "false")],
            ),
            Protocol::Otlp => (Config::default(), &[("protocol", "otlp")]),
        };
        let endpoint = match self {
            Protocol::LuminaLog => collector.ingest_url(),
            Protocol::LogFlux | Protocol::Otlp => collector.base.clone(),
        };
        config.set("endpoint", &endpoint).unwrap();
        for (key, value) in settings {
            config.set(key, value).unwrap();
        }
        config
    }
}

/// A client with short timings: one retry 20 ms after a failure, batches of 50, sent when
/// full or flushed; `options` override.
fn client(
    protocol: Protocol,
    collector: &Collector,
    spool: Option<&SpoolDir>,
    options: &[(&str, &str)],
) -> Client {
    let mut config = protocol.config(collector);
    let spool_dir = spool.map(|s| ("spool_dir", s.path()));
    let defaults = [
        ("retry_backoff", "20ms"),
        ("max_retries", "1"),
        ("http_timeout", "2"),
        ("batch_size", "50"),
        ("flush_interval", "60"),
    ];
    for (key, value) in defaults.iter().chain(&spool_dir).chain(options) {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    Client::new(config).expect("client starts")
}

/// Sets `fault` on the protocol's ingest path.
fn fault(collector: &Collector, protocol: Protocol, mut fault: Value) {
    fault["path"] = protocol.ingest_path().into();
    collector.fault(fault);
}

fn log_range(client: &Client, marker: &str, range: std::ops::Range<u64>) {
    let logger = client.logger();
    for i in range {
        logger.info(&format!("{marker}-{i}"));
    }
}

/// Logs one batch and flushes it, whatever becomes of it.
fn log_batch(client: &Client, marker: &str, index: u64) {
    log_range(client, marker, index * BATCH..(index + 1) * BATCH);
    assert!(client.flush(WAIT).completed, "{:?}", client.stats());
}

fn produced(marker: &str, n: u64) -> BTreeSet<String> {
    (0..n).map(|i| format!("{marker}-{i}")).collect()
}

/// The messages among `entries`, each stored once.
fn stored_once(entries: Vec<Value>) -> BTreeSet<String> {
    let mut stored = BTreeSet::new();
    for entry in entries {
        let message = entry["message"].as_str().expect("a message").to_owned();
        assert!(stored.insert(message.clone()), "{message} stored twice");
    }
    stored
}

fn query(marker: &str) -> String {
    format!("?text={marker}-")
}

/// Nothing is owed, every entry produced is sent, dropped for exactly the `drops` given, or
/// in the spool.
fn assert_exact(stats: &Stats, produced: u64, drops: &[(DropReason, u64)]) {
    assert_eq!((stats.accepted, stats.queued), (produced, 0), "{stats:?}");
    let actual: Vec<(DropReason, u64)> = DropReason::ALL
        .into_iter()
        .map(|reason| (reason, stats.dropped(reason)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(actual, drops, "{stats:?}");
    assert_accounted_spooled(stats, produced);
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits until the spool has been replayed and everything replayed settled.
fn wait_replayed(client: &Client) {
    wait_until("the replay", || {
        let stats = client.stats();
        stats.spool_pending() == 0 && stats.queued == 0
    });
}

fn duplicate_batches(collector: &Collector) -> u64 {
    collector.stats()["duplicate_batches"].as_u64().unwrap()
}

// 1. The collector killed and restarted on the same port and data dir mid-stream.

/// Streams entries while the collector is killed and, once the client has felt it, restarted;
/// returns how many were produced, all settled.
fn stream_through_a_restart(
    protocol: Protocol,
    collector: &mut Collector,
    client: &Client,
    marker: &str,
    felt: impl Fn(&Stats) -> bool,
) -> u64 {
    let stop = AtomicBool::new(false);
    let produced = std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            let logger = client.logger();
            let mut n = 0;
            while !stop.load(Relaxed) {
                logger.info(&format!("{marker}-{n}"));
                n += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            n
        });
        let stored = |c: &Collector| c.entries(&query(marker)).len();
        wait_until("the stream to flow", || stored(collector) >= BATCH as usize);
        collector.kill();
        wait_until("the client to meet the dead collector", || {
            felt(&client.stats())
        });
        collector.restart();
        wait_until("the stream to flow again", || {
            stored(collector) >= BATCH as usize
        });
        stop.store(true, Relaxed);
        producer.join().unwrap()
    });
    assert!(client.flush(WAIT).completed, "{protocol:?}");
    produced
}

#[test]
fn killed_mid_stream_without_a_spool_what_was_lost_is_counted() {
    let protocol = Protocol::LuminaLog;
    let mut collector = protocol.collector();
    let client = client(protocol, &collector, None, &[("flush_interval", "50ms")]);
    let lost = |stats: &Stats| stats.dropped(DropReason::NetworkError) > 0;
    let n = stream_through_a_restart(protocol, &mut collector, &client, "killed", lost);
    let stats = client.stats();
    let dropped = n - stats.sent;
    assert_exact(&stats, n, &[(DropReason::NetworkError, dropped)]);
    let stored = stored_once(collector.stored_entries("killed-"));
    // Everything sent was stored; beyond it, only what a kill between storing and answering
    // left counted as dropped (delivery is at least once, see the module's comment).
    let stored_count = stored.len() as u64;
    assert!(
        stats.sent <= stored_count && stored_count <= stats.sent + dropped,
        "sent {}, dropped {dropped}, stored {stored_count}",
        stats.sent
    );
    assert!(stored.is_subset(&produced("killed", n)));
}

fn killed_mid_stream_with_a_spool(protocol: Protocol) {
    let mut collector = protocol.collector();
    let spool = SpoolDir::new();
    let client = client(
        protocol,
        &collector,
        Some(&spool),
        &[("flush_interval", "50ms")],
    );
    let marker = format!("respooled-{protocol:?}");
    let spooled = |stats: &Stats| stats.spooled > 0;
    let n = stream_through_a_restart(protocol, &mut collector, &client, &marker, spooled);
    wait_replayed(&client);
    let stats = client.stats();
    assert!(stats.replayed > 0, "{stats:?}");
    assert_exact(&stats, n, &[]);
    assert_eq!(stats.sent, n, "delivered = produced");
    let stored = stored_once(collector.stored_entries(&format!("{marker}-")));
    assert_eq!(stored, produced(&marker, n));
}

#[test]
fn killed_mid_stream_with_a_spool_every_entry_is_stored_once_luminalog() {
    killed_mid_stream_with_a_spool(Protocol::LuminaLog);
}

#[test]
fn killed_mid_stream_with_a_spool_every_entry_is_stored_once_logflux() {
    killed_mid_stream_with_a_spool(Protocol::LogFlux);
}

#[test]
fn killed_mid_stream_with_a_spool_every_entry_is_stored_once_otlp() {
    killed_mid_stream_with_a_spool(Protocol::Otlp);
}

// 2. Slow answers.

#[test]
fn answers_slower_than_usual_but_within_the_timeout_are_delivered_without_a_retry() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[("http_timeout", "2")]);
    fault(&collector, protocol, json!({"delay_ms": 300, "count": 2}));
    for batch in 0..2 {
        log_batch(&client, "slow", batch);
    }
    let stats = client.stats();
    assert_exact(&stats, 2 * BATCH, &[]);
    assert_eq!((stats.sent, stats.retried), (2 * BATCH, 0));
    let stored = stored_once(collector.entries(&query("slow")));
    assert_eq!(stored, produced("slow", 2 * BATCH));
}

/// The timed-out attempt is abandoned: the collector drops its request with the connection
/// and never stores it, so the retry's copy is the only one.
fn answers_slower_than_the_timeout_are_retried(protocol: Protocol) {
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[("http_timeout", "300ms")]);
    fault(&collector, protocol, json!({"delay_ms": 1000, "count": 1}));
    let marker = format!("late-{protocol:?}");
    log_batch(&client, &marker, 0);
    let stats = client.stats();
    assert_exact(&stats, BATCH, &[]);
    assert_eq!((stats.sent, stats.retried), (BATCH, 1));
    // Past the delay, when an abandoned request would have been stored.
    std::thread::sleep(Duration::from_millis(1000));
    let stored = stored_once(collector.entries(&query(&marker)));
    assert_eq!(stored, produced(&marker, BATCH));
}

#[test]
fn answers_slower_than_the_timeout_are_retried_luminalog() {
    answers_slower_than_the_timeout_are_retried(Protocol::LuminaLog);
}

#[test]
fn answers_slower_than_the_timeout_are_retried_otlp() {
    answers_slower_than_the_timeout_are_retried(Protocol::Otlp);
}

#[test]
fn answers_always_slower_than_the_timeout_are_counted_or_spooled() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let timeout = [("http_timeout", "300ms")];
    let spool = SpoolDir::new();
    for (marker, spool) in [("unanswered", None), ("timeout-spooled", Some(&spool))] {
        let client = client(protocol, &collector, spool, &timeout);
        fault(&collector, protocol, json!({"delay_ms": 1000, "count": 2}));
        log_batch(&client, marker, 0);
        let stats = client.stats();
        assert_eq!((stats.sent, stats.retried), (0, 1), "{stats:?}");
        match spool {
            None => assert_exact(&stats, BATCH, &[(DropReason::NetworkError, BATCH)]),
            Some(_) => {
                assert_eq!(stats.spooled, BATCH);
                log_batch(&client, marker, 1);
                wait_replayed(&client);
                let stats = client.stats();
                assert_exact(&stats, 2 * BATCH, &[]);
                assert_eq!(stats.sent, 2 * BATCH);
            }
        }
        std::thread::sleep(Duration::from_millis(1000));
        let stored = stored_once(collector.entries(&format!("?text={marker}-")));
        let delivered = client.stats().sent;
        assert_eq!(stored, produced(marker, delivered), "{marker}");
    }
}

// 3. Connection resets: before the request is processed (`close`), and after (`cut`).

#[test]
fn connections_reset_before_an_answer_are_retried_then_counted_or_spooled() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let spool = SpoolDir::new();

    let client_a = client(protocol, &collector, None, &[]);
    fault(&collector, protocol, json!({"close": true, "count": 1}));
    log_batch(&client_a, "reset-once", 0);
    let stats = client_a.stats();
    assert_exact(&stats, BATCH, &[]);
    assert_eq!((stats.sent, stats.retried), (BATCH, 1));
    let stored = stored_once(collector.entries(&query("reset-once")));
    assert_eq!(stored, produced("reset-once", BATCH));

    fault(&collector, protocol, json!({"close": true, "count": 2}));
    log_batch(&client_a, "reset-twice", 0);
    assert_exact(
        &client_a.stats(),
        2 * BATCH,
        &[(DropReason::NetworkError, BATCH)],
    );
    assert!(collector.entries(&query("reset-twice")).is_empty());

    let client_b = client(protocol, &collector, Some(&spool), &[]);
    fault(&collector, protocol, json!({"close": true, "count": 2}));
    log_batch(&client_b, "reset-spooled", 0);
    assert_eq!(client_b.stats().spooled, BATCH);
    log_batch(&client_b, "reset-spooled", 1);
    wait_replayed(&client_b);
    let stats = client_b.stats();
    assert_exact(&stats, 2 * BATCH, &[]);
    assert_eq!(stats.sent, 2 * BATCH);
    let stored = stored_once(collector.entries(&query("reset-spooled")));
    assert_eq!(stored, produced("reset-spooled", 2 * BATCH));
}

/// The collector stores the batch and drops the connection instead of answering: the
/// client's retry carries the same batch id, and the collector answers it as stored.
fn an_answer_lost_after_storing_is_resent_and_stored_once(protocol: Protocol) {
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[]);
    fault(&collector, protocol, json!({"cut": true, "count": 1}));
    let marker = format!("cut-{protocol:?}");
    log_batch(&client, &marker, 0);
    let stats = client.stats();
    assert_exact(&stats, BATCH, &[]);
    assert_eq!((stats.sent, stats.retried), (BATCH, 1));
    let stored = stored_once(collector.entries(&query(&marker)));
    assert_eq!(stored, produced(&marker, BATCH));
    assert_eq!(duplicate_batches(&collector), 1);
}

#[test]
fn an_answer_lost_after_storing_is_resent_and_stored_once_luminalog() {
    an_answer_lost_after_storing_is_resent_and_stored_once(Protocol::LuminaLog);
}

#[test]
fn an_answer_lost_after_storing_is_resent_and_stored_once_logflux() {
    an_answer_lost_after_storing_is_resent_and_stored_once(Protocol::LogFlux);
}

#[test]
fn an_answer_lost_after_storing_is_resent_and_stored_once_otlp() {
    an_answer_lost_after_storing_is_resent_and_stored_once(Protocol::Otlp);
}

#[test]
fn answers_lost_on_every_attempt_count_a_drop_for_stored_entries_unless_spooled() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let spool = SpoolDir::new();

    // At least once, not exactly once: the client cannot know the batch arrived.
    let unspooled = client(protocol, &collector, None, &[]);
    fault(&collector, protocol, json!({"cut": true, "count": 2}));
    log_batch(&unspooled, "cut-always", 0);
    assert_exact(
        &unspooled.stats(),
        BATCH,
        &[(DropReason::NetworkError, BATCH)],
    );
    let stored = stored_once(collector.entries(&query("cut-always")));
    assert_eq!(stored, produced("cut-always", BATCH));

    // The spool sends it once more under its id, and it is answered as stored at last.
    let spooled = client(protocol, &collector, Some(&spool), &[]);
    fault(&collector, protocol, json!({"cut": true, "count": 2}));
    log_batch(&spooled, "cut-spooled", 0);
    assert_eq!(spooled.stats().spooled, BATCH);
    log_batch(&spooled, "cut-spooled", 1);
    wait_replayed(&spooled);
    let stats = spooled.stats();
    assert_exact(&stats, 2 * BATCH, &[]);
    assert_eq!((stats.sent, stats.replayed), (2 * BATCH, BATCH));
    let stored = stored_once(collector.entries(&query("cut-spooled")));
    assert_eq!(stored, produced("cut-spooled", 2 * BATCH));
    // The second run's retry and the replay, both answered as stored.
    assert_eq!(duplicate_batches(&collector), 1 + 2);
}

// 4. 429 and 503 storms with Retry-After.

/// LuminaLog waits on its own schedule, not the server's Retry-After (luminalog.md §7), and
/// gives up after its attempts.
#[test]
fn luminalog_503_storm_counts_network_errors_or_spools_them_all() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let spool = SpoolDir::new();
    for (marker, spool) in [("storm503", None), ("spooled503", Some(&spool))] {
        let client = client(protocol, &collector, spool, &[]);
        let storm = json!({"status": 503, "retry_after": 1, "count": 4});
        fault(&collector, protocol, storm);
        for batch in 0..3 {
            log_batch(&client, marker, batch);
        }
        let delivered = match spool {
            None => {
                let stats = client.stats();
                assert_eq!((stats.sent, stats.retried), (BATCH, 2), "one retry each");
                assert_exact(&stats, 3 * BATCH, &[(DropReason::NetworkError, 2 * BATCH)]);
                BATCH
            }
            Some(_) => {
                wait_replayed(&client);
                let stats = client.stats();
                assert_exact(&stats, 3 * BATCH, &[]);
                assert_eq!((stats.sent, stats.replayed), (3 * BATCH, 2 * BATCH));
                3 * BATCH
            }
        };
        let stored = stored_once(collector.entries(&query(marker)));
        assert_eq!(stored.len() as u64, delivered, "{marker}");
        if delivered == 3 * BATCH {
            assert_eq!(stored, produced(marker, 3 * BATCH));
        }
    }
}

/// A LuminaLog 429 means the quota is spent: dropped at once, and not spooled, since
/// sending it again cannot help (luminalog.md §7).
#[test]
fn luminalog_429_storm_drops_as_quota_exceeded_even_with_a_spool() {
    let protocol = Protocol::LuminaLog;
    let collector = protocol.collector();
    let spool = SpoolDir::new();
    let client = client(protocol, &collector, Some(&spool), &[]);
    let storm = json!({"status": 429, "retry_after": 1, "count": 2});
    fault(&collector, protocol, storm);
    for batch in 0..3 {
        log_batch(&client, "quota", batch);
    }
    let stats = client.stats();
    assert_exact(&stats, 3 * BATCH, &[(DropReason::QuotaExceeded, 2 * BATCH)]);
    assert_eq!((stats.sent, stats.retried, stats.spooled), (BATCH, 0, 0));
    assert_eq!(collector.requests().len(), 3, "one attempt each");
    let stored = stored_once(collector.entries(&query("quota")));
    let last: BTreeSet<String> = (2 * BATCH..3 * BATCH)
        .map(|i| format!("quota-{i}"))
        .collect();
    assert_eq!(stored, last);
}

/// The gaps between the collector's requests, in milliseconds.
fn request_gaps(collector: &Collector) -> Vec<u64> {
    let times: Vec<u64> = collector
        .requests()
        .iter()
        .map(|r| r["at_ms"].as_u64().unwrap())
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Each wait is the server's Retry-After (1 s), not the 20 ms backoff, and not much more.
fn assert_waited_as_told(gaps: &[u64]) {
    for gap in gaps {
        assert!((1000..2500).contains(gap), "waits of {gaps:?} ms");
    }
}

#[test]
fn otlp_429_storm_waits_as_told_then_delivers() {
    let protocol = Protocol::Otlp;
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[("max_retries", "3")]);
    fault(
        &collector,
        protocol,
        json!({"status": 429, "retry_after": 1, "count": 2}),
    );
    log_batch(&client, "throttled", 0);
    let stats = client.stats();
    assert_exact(&stats, BATCH, &[]);
    assert_eq!((stats.sent, stats.retried), (BATCH, 2));
    assert_waited_as_told(&request_gaps(&collector));
    let stored = stored_once(collector.entries(&query("throttled")));
    assert_eq!(stored, produced("throttled", BATCH));
}

#[test]
fn otlp_429_storm_beyond_the_retries_drops_as_ratelimit_backoff() {
    let protocol = Protocol::Otlp;
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[]);
    fault(
        &collector,
        protocol,
        json!({"status": 429, "retry_after": 1, "count": 2}),
    );
    log_batch(&client, "ratelimited", 0);
    assert_exact(
        &client.stats(),
        BATCH,
        &[(DropReason::RatelimitBackoff, BATCH)],
    );
    assert_waited_as_told(&request_gaps(&collector));
    assert!(collector.entries(&query("ratelimited")).is_empty());
}

#[test]
fn otlp_503_storm_beyond_the_retries_is_spooled_then_replayed() {
    let protocol = Protocol::Otlp;
    let collector = protocol.collector();
    let spool = SpoolDir::new();
    let client = client(protocol, &collector, Some(&spool), &[]);
    fault(
        &collector,
        protocol,
        json!({"status": 503, "retry_after": 1, "count": 2}),
    );
    log_batch(&client, "unavailable", 0);
    assert_eq!(client.stats().spooled, BATCH);
    assert_waited_as_told(&request_gaps(&collector));
    log_batch(&client, "unavailable", 1);
    wait_replayed(&client);
    let stats = client.stats();
    assert_exact(&stats, 2 * BATCH, &[]);
    assert_eq!((stats.sent, stats.replayed), (2 * BATCH, BATCH));
    let stored = stored_once(collector.entries(&query("unavailable")));
    assert_eq!(stored, produced("unavailable", 2 * BATCH));
}

// 5. 401 mid-session (LogFlux). A single refusal is covered by tests/logflux.rs, request by
// request, and a second refusal dropping the batch too; here it strikes mid-stream.

#[test]
fn logflux_401_mid_stream_costs_one_handshake_and_one_resend() {
    let protocol = Protocol::LogFlux;
    let collector = protocol.collector();
    let client = client(protocol, &collector, None, &[]);
    for batch in 0..5 {
        if batch == 2 {
            fault(&collector, protocol, json!({"status": 401, "count": 1}));
        }
        log_batch(&client, "reauth", batch);
    }
    let stats = client.stats();
    assert_exact(&stats, 5 * BATCH, &[]);
    assert_eq!(stats.sent, 5 * BATCH);
    let handshakes = collector
        .requests()
        .iter()
        .filter(|r| r["path"] == "/v1/handshake/init")
        .count();
    assert_eq!(handshakes, 2, "the first, and one after the 401");
    let ingests = collector
        .requests()
        .iter()
        .filter(|r| r["path"] == "/v1/ingest")
        .count();
    assert_eq!(ingests, 5 + 1, "one resend");
    let stored = stored_once(collector.entries(&query("reauth")));
    assert_eq!(stored, produced("reauth", 5 * BATCH));
}

// 6. A hanging endpoint at shutdown.

const SHUTDOWN_DEADLINE: Duration = Duration::from_millis(300);

/// One batch in flight on a request that never ends, 70 entries queued behind it; shuts down
/// with its deadline and returns how long that took.
fn shut_down_against_a_hang(
    protocol: Protocol,
    collector: &Collector,
    client: &Client,
    marker: &str,
) -> Duration {
    fault(collector, protocol, json!({"hang": true}));
    log_range(client, marker, 0..120);
    wait_until("the request to hang", || {
        collector
            .requests()
            .iter()
            .any(|r| r["path"] == protocol.ingest_path() && r["fault"] == "hang")
    });
    let started = Instant::now();
    client.shutdown(SHUTDOWN_DEADLINE);
    let took = started.elapsed();
    println!(
        "shutdown against a hanging endpoint, {marker}: deadline {} ms, took {} ms",
        SHUTDOWN_DEADLINE.as_millis(),
        took.as_millis()
    );
    // Generous: the deadline plus the grace the workers get to leave, on a loaded machine.
    assert!(
        took < SHUTDOWN_DEADLINE + Duration::from_secs(2),
        "{took:?}"
    );
    took
}

fn a_hanging_endpoint_at_shutdown(protocol: Protocol) {
    let collector = protocol.collector();
    // The hang, not the request timeout, is what the shutdown deadline has to cut short.
    let options = [("http_timeout", "30")];
    let unspooled = client(protocol, &collector, None, &options);
    let dropped = format!("dropped-{protocol:?}");
    shut_down_against_a_hang(protocol, &collector, &unspooled, &dropped);
    let drops = [
        (DropReason::NetworkError, BATCH),
        (DropReason::Shutdown, 120 - BATCH),
    ];
    assert_exact(&unspooled.stats(), 120, &drops);

    let spool = SpoolDir::new();
    let spooled = client(protocol, &collector, Some(&spool), &options);
    let marker = format!("spooled-{protocol:?}");
    shut_down_against_a_hang(protocol, &collector, &spooled, &marker);
    let stats = spooled.stats();
    assert_exact(&stats, 120, &[]);
    assert_eq!((stats.spooled, stats.spool_pending()), (120, 120));
    drop(spooled);

    collector.fault(json!({}));
    let next = client(protocol, &collector, Some(&spool), &[]);
    assert_eq!(next.stats().spool_recovered, 120);
    wait_replayed(&next);
    let stats = next.stats();
    assert_exact(&stats, 0, &[]);
    assert_eq!(stats.sent, 120);
    assert!(collector.entries(&query(&dropped)).is_empty());
    let stored = stored_once(collector.entries(&query(&marker)));
    assert_eq!(stored, produced(&marker, 120));
}

#[test]
fn a_hanging_endpoint_at_shutdown_luminalog() {
    a_hanging_endpoint_at_shutdown(Protocol::LuminaLog);
}

#[test]
fn a_hanging_endpoint_at_shutdown_logflux() {
    a_hanging_endpoint_at_shutdown(Protocol::LogFlux);
}

#[test]
fn a_hanging_endpoint_at_shutdown_otlp() {
    a_hanging_endpoint_at_shutdown(Protocol::Otlp);
}
