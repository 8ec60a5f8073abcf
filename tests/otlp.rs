//! The OTLP protocol end to end: a client sending to the collector's OTLP endpoints.

mod common;

use std::time::Duration;

use common::Collector;
use ferrolog::entry::{MetricKind, Payload, Span, SpanStatus};
use ferrolog::{Client, Config, DropReason, Level};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

fn otlp_client(collector: &Collector, options: &[(&str, &str)]) -> Client {
    // OTLP needs no API key.
    let mut config = Config::default();
    for (key, value) in [
        ("protocol", "otlp"),
        ("endpoint", collector.base.as_str()),
        ("source", "checkout"),
    ]
    .iter()
    .chain(options)
    {
        config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
    }
    config.set("retry_backoff", "20ms").unwrap();
    Client::new(config).expect("client starts")
}

#[test]
fn each_signal_goes_to_its_own_path_and_decodes_back() {
    let collector = Collector::start();
    let client = otlp_client(&collector, &[]);
    let logger = client.logger();
    logger.log(Level::Warning, "disk low", &[("mount", "/data")]);
    let metric = Payload::Metric {
        value: 2.0,
        unit: Some("1".into()),
        kind: MetricKind::Counter,
    };
    logger.emit(None, "orders.placed", "", metric).unwrap();
    let span = Span {
        trace_id: [7; 16],
        span_id: [9; 8],
        parent_span_id: None,
        operation: "http.server".into(),
        start_unix_ns: 1_767_225_600_000_000_000,
        end_unix_ns: 1_767_225_600_100_000_000,
        status: SpanStatus::Ok,
    };
    logger
        .emit(None, "GET /cart", "", Payload::Span(span))
        .unwrap();
    logger
        .emit(None, "cart.viewed", "", Payload::Event)
        .unwrap();
    assert!(client.flush(WAIT).completed);

    let mut paths: Vec<String> = collector
        .requests()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["/v1/logs", "/v1/metrics", "/v1/traces"],
        "log and event share /v1/logs"
    );
    let stats = client.stats();
    assert_eq!(
        (stats.sent, stats.requests, stats.dropped_total()),
        (4, 3, 0)
    );

    let entries = collector.entries("");
    assert!(entries.iter().all(|e| e["protocol"] == "otlp"));
    let by_kind = |kind: &str| collector.entries(&format!("?kind={kind}")).remove(0);
    let log = by_kind("log");
    assert_eq!(
        (log["message"].as_str(), log["level"].as_u64()),
        (Some("disk low"), Some(5))
    );
    assert_eq!(log["attributes"]["mount"], "/data");
    assert_eq!(by_kind("metric")["message"], "orders.placed");
    assert_eq!(by_kind("trace")["trace_id"], "07".repeat(16));
    assert_eq!(by_kind("event")["message"], "cart.viewed");
}

#[test]
fn throttling_is_retried_after_the_servers_delay_then_counted_when_exhausted() {
    let collector = Collector::start();
    collector.fault(json!({"status": 503, "count": 1, "retry_after": 1}));
    let client = otlp_client(&collector, &[]);
    client.logger().info("eventually");
    assert!(client.flush(WAIT).completed);
    let times: Vec<u64> = collector
        .requests()
        .iter()
        .map(|r| r["at_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(times.len(), 2);
    assert!(times[1] - times[0] >= 1000, "waited as told: {times:?}");
    assert_eq!(client.stats().sent, 1);

    collector.fault(json!({"status": 429, "count": 10}));
    client.logger().info("never");
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(
        stats.dropped(DropReason::RatelimitBackoff),
        1,
        "four attempts, then the rate limit's reason"
    );
    assert_eq!(collector.requests().len(), 2 + 4);
}
