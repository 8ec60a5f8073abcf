//! LogFlux end to end: handshake, persisted session, encrypted multipart ingest and the
//! status rules, against the collector's LogFlux endpoints.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Collector;
use ferrolog::entry::{Audit, MetricKind, Payload, Reading, Span, SpanStatus};
use ferrolog::{Client, Config, DropReason, Level, LogStatus};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);
const API_KEY: &str = "eu-lf_test-key";

fn start_collector() -> Collector {
    common::logflux_collector()
}

fn sessions_dir() -> PathBuf {
    std::env::temp_dir().join(format!(
        "ferrolog-lf-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ))
}

fn logflux_client(collector: &Collector, sessions: &Path, options: &[(&str, &str)]) -> Client {
    let mut config = Config::new(API_KEY);
    let dir = sessions.to_string_lossy();
    for (key, value) in [
        ("endpoint", collector.base.as_str()),
        ("key_persistence_path", dir.as_ref()),
        ("retry_backoff", "20ms"),
        ("source", "billing"),
    ]
    .iter()
    .chain(options)
    {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    Client::new(config).expect("client starts")
}

fn paths(collector: &Collector) -> Vec<String> {
    collector
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect()
}

/// After the first handshake and ingest: the refused ingest, exactly one new handshake, and one
/// resend.
fn assert_one_new_handshake_and_resend(collector: &Collector) {
    let tail: Vec<String> = paths(collector).into_iter().skip(3).collect();
    assert_eq!(
        tail,
        [
            "/v1/ingest",
            "/v1/handshake/init",
            "/v1/handshake/complete",
            "/v1/ingest"
        ]
    );
}

#[test]
fn every_type_arrives_decrypted_after_one_handshake() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    let logger = client.logger();
    logger.log(Level::Error, "payment failed", &[("order", "o-1")]);
    let emit = |name: &str, payload| logger.emit(None, name, "", payload).unwrap();
    emit(
        "invoices.sent",
        Payload::Metric {
            value: 4.0,
            unit: None,
            kind: MetricKind::Counter,
        },
    );
    emit("invoice.paid", Payload::Event);
    let audit = Audit {
        actor: "u-1".into(),
        actor_type: None,
        resource: "invoice".into(),
        resource_id: "i-1".into(),
        outcome: "success".into(),
    };
    emit("invoice.void", Payload::Audit(audit));
    let span = Span {
        trace_id: [1; 16],
        span_id: [2; 8],
        parent_span_id: Some([3; 8]),
        operation: "db.query".into(),
        start_unix_ns: 1_767_225_600_000_000_000,
        end_unix_ns: 1_767_225_600_005_000_000,
        status: SpanStatus::Ok,
    };
    emit("SELECT invoices", Payload::Span(span));
    let readings = || {
        vec![Reading {
            name: "temp".into(),
            value: 20.5,
            unit: Some("C".into()),
        }]
    };
    emit(
        "meter-1",
        Payload::Telemetry {
            readings: readings(),
            managed: false,
        },
    );
    emit(
        "meter-2",
        Payload::Telemetry {
            readings: readings(),
            managed: true,
        },
    );
    assert!(client.flush(WAIT).completed);

    let stats = client.stats();
    assert_eq!((stats.sent, stats.dropped_total()), (7, 0), "{stats:?}");
    let handshakes = paths(&collector)
        .iter()
        .filter(|p| p.starts_with("/v1/handshake"))
        .count();
    assert_eq!(handshakes, 2, "one init, one complete");
    let ingests = paths(&collector)
        .iter()
        .filter(|p| *p == "/v1/ingest")
        .count();
    assert_eq!(
        ingests, 3,
        "one request per quota category: events, traces, audit"
    );

    let entries = collector.entries("");
    assert_eq!(entries.len(), 7);
    assert!(entries.iter().all(|e| e["protocol"] == "logflux"));
    let log = collector.entries("?kind=log").remove(0);
    assert_eq!(
        (log["message"].as_str(), log["level"].as_u64()),
        (Some("payment failed"), Some(4))
    );
    assert_eq!(log["attributes"], json!({"order": "o-1"}));
    assert_eq!(
        collector.entries("?kind=metric")[0]["message"],
        "invoices.sent"
    );
    assert_eq!(
        collector.entries("?kind=audit")[0]["level"],
        6,
        "LogFlux keeps notice"
    );
    assert_eq!(
        collector.entries("?kind=trace")[0]["trace_id"],
        "01".repeat(16)
    );
    assert_eq!(collector.entries("?kind=telemetry_managed").len(), 1);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn the_session_is_kept_private_and_reused_by_the_next_client() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let first = logflux_client(&collector, &sessions, &[]);
    first.logger().info("first run");
    assert!(first.shutdown(WAIT).completed);
    let files: Vec<_> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&sessions).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert!(!std::fs::read_to_string(&files[0])
        .unwrap()
        .contains(API_KEY));

    let second = logflux_client(&collector, &sessions, &[]);
    second.logger().info("second run");
    assert!(second.shutdown(WAIT).completed);
    let handshakes = paths(&collector)
        .iter()
        .filter(|p| p.starts_with("/v1/handshake"))
        .count();
    assert_eq!(handshakes, 2, "the second client reused the stored key");
    assert_eq!(collector.entries("?text=run").len(), 2);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn a_refused_key_leads_to_one_new_handshake_and_a_resend() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    client.logger().info("before");
    assert!(client.flush(WAIT).completed);
    collector.fault(json!({"status": 401, "count": 1}));
    client.logger().info("after");
    assert!(client.flush(WAIT).completed);
    assert_eq!(client.stats().sent, 2);
    assert_one_new_handshake_and_resend(&collector);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn rate_limits_wait_as_told_and_large_requests_are_split() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    client.logger().info("warm up");
    assert!(client.flush(WAIT).completed);

    collector.fault(json!({"status": 429, "count": 1, "retry_after": 1}));
    let started = Instant::now();
    client.logger().info("throttled");
    assert!(client.flush(WAIT).completed);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );

    collector.fault(json!({"status": 413, "count": 1}));
    for i in 0..4 {
        client.logger().info(&format!("split-{i}"));
    }
    assert!(client.flush(WAIT).completed);
    assert_eq!(collector.entries("?text=split-").len(), 4);
    let last_three: Vec<(u64, u64)> = collector
        .requests()
        .iter()
        .rev()
        .take(3)
        .map(|r| {
            (
                r["status"].as_u64().unwrap(),
                r["processed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        last_three,
        [(202, 2), (202, 2), (413, 0)],
        "n = 4 became two requests of 2"
    );
    let stats = client.stats();
    assert_eq!((stats.sent, stats.dropped_total()), (6, 0));

    collector.fault(json!({"status": 507, "count": 1}));
    client.logger().info("over quota");
    assert!(client.flush(WAIT).completed);
    assert_eq!(client.stats().dropped(DropReason::QuotaExceeded), 1);
    // The events category is closed for the process: later logs, metrics and events are
    // refused at the call; other categories still go out.
    assert_eq!(client.logger().info("still over quota"), LogStatus::Dropped);
    let event = client
        .logger()
        .emit(None, "closed too", "", Payload::Event)
        .unwrap();
    assert_eq!(event, LogStatus::Dropped);
    let audit = Audit {
        actor: "u".into(),
        actor_type: None,
        resource: "r".into(),
        resource_id: "1".into(),
        outcome: "success".into(),
    };
    let open = client
        .logger()
        .emit(None, "audited", "", Payload::Audit(audit))
        .unwrap();
    assert_eq!(open, LogStatus::Accepted);
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(
        (stats.dropped(DropReason::QuotaExceeded), stats.sent),
        (3, 7)
    );
    assert_eq!(collector.entries("?text=audited").len(), 1);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn attribute_limits_are_applied_and_counted() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    let mut attributes = serde_json::Map::new();
    for i in 0..55 {
        attributes.insert(format!("k{i:02}"), json!("v"));
    }
    attributes.insert("k00".into(), json!("x".repeat(300)));
    let json = serde_json::Value::Object(attributes).to_string();
    client
        .logger()
        .log_json(Level::Info, "wide", &json)
        .unwrap();
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!((stats.attributes_dropped, stats.values_truncated), (5, 1));
    let entry = collector.entries("?text=wide").remove(0);
    let kept = entry["attributes"].as_object().unwrap();
    assert_eq!(kept.len(), 50);
    assert_eq!(kept["k00"].as_str().unwrap().len(), 256);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn a_flush_shorter_than_a_rate_limit_keeps_the_batch_for_later() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    client.logger().info("warm up");
    assert!(client.flush(WAIT).completed);

    collector.fault(json!({"status": 429, "count": 1, "retry_after": 3}));
    client.logger().info("patient");
    let started = Instant::now();
    let report = client.flush(Duration::from_millis(500));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the flush kept its deadline"
    );
    assert!(!report.completed);
    assert_eq!(report.left, 1, "the batch is still owed, not dropped");
    assert_eq!(client.stats().dropped_total(), 0);

    // Let the worker give up its wait and keep the batch, so that what holds the resend is
    // the client's pause, not a wait still running.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        client.flush(WAIT).completed,
        "it goes out once the wait is over"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "and not before: the pause holds"
    );
    assert_eq!(collector.entries("?text=patient").len(), 1);
    let _ = std::fs::remove_dir_all(sessions);
}

/// A client with no endpoint, asking the collector's discovery answer where to send.
fn discovering_client(discovery: &Collector, sessions: &Path) -> Client {
    let mut config = Config::new(API_KEY);
    config.set("discovery_url", &discovery.base).unwrap();
    config
        .set("key_persistence_path", &sessions.to_string_lossy())
        .unwrap();
    Client::new(config).expect("client starts")
}

#[test]
fn discovery_names_the_ingestor_unless_an_endpoint_is_set() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = discovering_client(&collector, &sessions);
    client.logger().info("found-by-discovery");
    assert!(client.flush(WAIT).completed);
    assert_eq!(collector.entries("?text=found-by-discovery").len(), 1);
    client.shutdown(WAIT);

    let elsewhere = start_collector();
    let mut config = Config::new(API_KEY);
    config.set("endpoint", &elsewhere.base).unwrap();
    config.set("discovery_url", &collector.base).unwrap();
    config.set("key_persistence", "false").unwrap();
    let client = Client::new(config).unwrap();
    client.logger().info("sent-to-the-endpoint");
    assert!(client.flush(WAIT).completed);
    assert_eq!(elsewhere.entries("?text=sent-to-the-endpoint").len(), 1);
    assert!(collector.entries("?text=sent-to-the-endpoint").is_empty());
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn requests_stay_within_the_body_limit() {
    const ENTRIES: usize = 20;
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[("batch_size", "100")]);
    // Incompressible 600 kB messages: twenty of them are 12 MB, more than one request holds.
    let mut rng = fastrand::Rng::with_seed(7);
    for i in 0..ENTRIES {
        let noise: String = (0..600_000).map(|_| rng.alphanumeric()).collect();
        client.logger().info(&format!("large-{i} {noise}"));
    }
    assert!(client.flush(Duration::from_secs(30)).completed);
    assert_eq!(client.stats().sent, ENTRIES as u64);
    let ingests: Vec<u64> = collector
        .requests()
        .iter()
        .filter(|r| r["path"] == "/v1/ingest")
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert!(ingests.len() >= 2, "{ingests:?}");
    assert!(
        ingests.iter().all(|status| *status == 202),
        "no request was too large for the collector: {ingests:?}"
    );
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn a_key_refused_again_after_the_new_handshake_drops_the_batch() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    client.logger().info("before");
    assert!(client.flush(WAIT).completed);
    collector.fault(json!({"status": 401, "count": 2, "path": "/v1/ingest"}));
    client.logger().info("refused twice");
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!((stats.sent, stats.dropped(DropReason::SendError)), (1, 1));
    assert_one_new_handshake_and_resend(&collector);
    client.logger().info("accepted again");
    assert!(client.flush(WAIT).completed);
    assert_eq!(collector.entries("?text=accepted").len(), 1);
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn the_node_name_is_the_source_when_none_is_set() {
    let collector = start_collector();
    let mut config = Config::new(API_KEY);
    for (key, value) in [
        ("endpoint", collector.base.as_str()),
        ("node", "node-7"),
        ("key_persistence", "false"),
    ] {
        config.set(key, value).unwrap();
    }
    let client = Client::new(config).unwrap();
    client.logger().info("from-a-node");
    assert!(client.flush(WAIT).completed);
    let entries = collector.entries("?text=from-a-node");
    assert_eq!(entries[0]["details"]["source"], "node-7", "{entries:?}");
}

#[test]
fn a_captured_error_carries_its_chain_frames_and_the_scope_trail() {
    use ferrolog::capture::{CapturedError, Cause, Frame};
    use ferrolog::CaptureOptions;

    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    let scope = client.logger().scope();
    scope.set_request("POST", "/pay", "req-1").unwrap();
    scope.info("charging");
    scope.add_breadcrumb(
        Some("http"),
        "POST /gateway",
        None,
        vec![
            ("status".into(), "402".into()),
            ("notify".into(), "ann@example.com".into()),
        ],
    );
    client.logger().info("elsewhere");
    let frames = (0..25).map(|i| Frame::new(format!("f{i}"), "pay.go", Some(i + 1)));
    let error = CapturedError::new(
        "*errors.PaymentError",
        "lf-card-declined",
        [Cause {
            error_type: "*url.Error".into(),
            message: "timeout calling 10.1.2.3".into(),
        }],
        frames,
    );
    scope
        .capture_error(error, &CaptureOptions::default())
        .unwrap();
    assert!(client.flush(WAIT).completed);
    let entries = collector.entries("?text=lf-card-declined");
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["level"], 4);
    assert_eq!(entry["attributes"]["http.request_id"], "req-1");
    let error = &entry["error"];
    assert_eq!(error["type"], "*errors.PaymentError");
    assert_eq!(
        error["error_chain"],
        json!([{"type": "*errors.PaymentError", "message": "lf-card-declined"},
               {"type": "*url.Error", "message": "timeout calling [REDACTED:ip]"}])
    );
    let frames = error["stack_trace"].as_array().unwrap();
    assert_eq!(frames.len(), 20, "LogFlux carries the innermost 20");
    assert_eq!(
        frames[0],
        json!({"function": "f0", "file": "pay.go", "line": 1})
    );
    let trail: Vec<&str> = error["breadcrumbs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|crumb| crumb["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        trail,
        ["charging", "POST /gateway"],
        "the scope's own, oldest first"
    );
    assert_eq!(
        error["breadcrumbs"][1]["data"],
        json!({"status": "402", "notify": "[REDACTED:email]"}),
        "the trail is scrubbed too"
    );
    assert_eq!(error["breadcrumbs"][0]["level"], "info");
    let _ = std::fs::remove_dir_all(sessions);
}

#[test]
fn entries_logged_under_a_span_name_it() {
    let collector = start_collector();
    let sessions = sessions_dir();
    let client = logflux_client(&collector, &sessions, &[]);
    let span = client.logger().start_span("lf-span", "job");
    span.logger().info("lf-under-span");
    span.end();
    assert!(client.flush(WAIT).completed);
    let context = span.context();
    let entry = &collector.entries("?text=lf-under-span")[0];
    assert_eq!(entry["trace_id"], context.trace_id.to_string());
    assert_eq!(entry["span_id"], context.span_id.to_string());
    assert_eq!(entry["attributes"].get("trace_id"), None, "{entry}");
    let span_entry = &collector.entries("?kind=trace")[0];
    assert_eq!(span_entry["trace_id"], context.trace_id.to_string());
    assert_eq!(span_entry["attributes"].get("span_id"), None);
    let _ = std::fs::remove_dir_all(sessions);
}
