//! Spans on a client: parent and child ids, durations, errors, loggers bound to a span,
//! propagation through headers, and trace-wide sampling, through LuminaLog and OTLP to the
//! collector.

mod common;

use std::time::Duration;

use common::{client, Collector};
use ferrolog::span::HeaderKind;
use ferrolog::{DropReason, Level, LogStatus};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);

fn one(collector: &Collector, text: &str) -> Value {
    let mut entries = collector.entries(&format!("?text={text}"));
    assert_eq!(entries.len(), 1, "one entry {text}: {entries:?}");
    entries.remove(0)
}

fn is_hex(value: &Value, len: usize) -> bool {
    value.as_str().is_some_and(|s| {
        s.len() == len
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

#[test]
fn a_child_shares_the_trace_and_names_its_parent() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let root = client.logger().start_span("checkout-root", "http.server");
    let child = root.start_child("checkout-db", "db.query");
    std::thread::sleep(Duration::from_millis(30));
    child.set_attribute("db.rows", 3);
    assert_eq!(child.end(), Some(LogStatus::Accepted));
    assert_eq!(child.end(), None, "a span ends once");
    root.set_error("card declined");
    assert_eq!(root.end(), Some(LogStatus::Accepted));
    assert!(client.flush(WAIT).completed);

    let root_entry = one(&collector, "checkout-root");
    let child_entry = one(&collector, "checkout-db");
    assert!(is_hex(&root_entry["trace_id"], 32) && is_hex(&root_entry["span_id"], 16));
    assert_eq!(child_entry["trace_id"], root_entry["trace_id"]);
    assert_eq!(child_entry["parent_span_id"], root_entry["span_id"]);
    assert_ne!(child_entry["span_id"], root_entry["span_id"]);
    assert_eq!(root_entry["parent_span_id"], Value::Null);
    assert_eq!(root.context().trace_id.to_string(), root_entry["trace_id"]);
    assert!(child_entry["details"]["duration_ms"].as_u64().unwrap() >= 30);
    assert_eq!(child_entry["attributes"]["db.rows"], 3);
    assert_eq!(root_entry["details"]["status"], "error");
    assert_eq!(root_entry["attributes"]["error.message"], "card declined");
}

#[test]
fn a_bound_logger_stamps_the_span_ids() {
    for protocol in ["luminalog", "otlp"] {
        let collector = Collector::start();
        let mut options = vec![("protocol", protocol)];
        if protocol == "otlp" {
            options.push(("endpoint", collector.base.as_str()));
        }
        let client = client(&collector, &options);
        let span = client.logger().start_span("bound-span", "job");
        let logger = span.logger();
        logger.log(Level::Warning, "bound-log", &[("step", "2")]);
        client.logger().info("free-log");
        // A span started from a bound logger is a child of its span.
        let nested = logger.start_span("nested-span", "job.step");
        nested.end();
        span.end();
        assert!(client.flush(WAIT).completed);

        let context = span.context();
        let bound = one(&collector, "bound-log");
        assert_eq!(
            bound["trace_id"],
            context.trace_id.to_string(),
            "{protocol}"
        );
        assert_eq!(bound["span_id"], context.span_id.to_string(), "{protocol}");
        assert_eq!(bound["attributes"]["step"], "2");
        assert_eq!(one(&collector, "free-log")["trace_id"], Value::Null);
        let nested = one(&collector, "nested-span");
        assert_eq!(nested["trace_id"], context.trace_id.to_string());
        assert_eq!(nested["parent_span_id"], context.span_id.to_string());
    }
}

#[test]
fn headers_carry_the_trace_to_the_next_service() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let outgoing = client.logger().start_span("call-out", "http.client");
    for kind in [HeaderKind::TraceParent, HeaderKind::LogFlux] {
        let (name, value) = outgoing.header(kind);
        let upper = name.to_ascii_uppercase();
        let incoming = client.logger().continue_from_headers(
            &[("accept", "*/*"), (upper.as_str(), value.as_str())],
            "served",
            "http.server",
        );
        let context = incoming.context();
        assert_eq!(context.trace_id, outgoing.context().trace_id, "{name}");
        assert_ne!(context.span_id, outgoing.context().span_id);
        incoming.end();
    }
    outgoing.end();
    let unrelated = client.logger().continue_from_headers(
        &[("traceparent", "00-zz-zz-01")],
        "fresh",
        "http.server",
    );
    assert_ne!(unrelated.context().trace_id, outgoing.context().trace_id);
    unrelated.end();
    assert!(client.flush(WAIT).completed);
    for served in collector.entries("?text=served") {
        assert_eq!(
            served["parent_span_id"],
            outgoing.context().span_id.to_string()
        );
    }
    assert_eq!(collector.entries("?text=served").len(), 2);
    assert_eq!(one(&collector, "fresh")["parent_span_id"], Value::Null);
}

#[test]
fn a_trace_is_sampled_whole() {
    let collector = Collector::start();
    let client = client(&collector, &[("traces_sample_rate", "0")]);
    let root = client.logger().start_span("unsampled-root", "job");
    let child = root.start_child("unsampled-child", "job.step");
    assert!(!root.context().sampled && !child.context().sampled);
    assert_eq!(child.end(), Some(LogStatus::Filtered));
    assert_eq!(root.end(), Some(LogStatus::Filtered));
    // Logs under an unsampled span are still logs, and still say which trace they belong to.
    root.logger().info("log-under-unsampled");
    let (name, value) = root.header(HeaderKind::TraceParent);
    assert!(value.ends_with("-00"), "{value}");

    // A caller's sampled decision wins over this service's rate.
    let sampled_upstream = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let continued = client.logger().continue_from_headers(
        &[("traceparent", sampled_upstream)],
        "continued-sampled",
        "http.server",
    );
    assert_eq!(continued.end(), Some(LogStatus::Accepted));
    let unsampled = client.logger().continue_from_headers(
        &[(name, value.as_str())],
        "continued-unsampled",
        "x",
    );
    assert_eq!(unsampled.end(), Some(LogStatus::Filtered));
    assert!(client.flush(WAIT).completed);
    assert_eq!(client.stats().dropped(DropReason::Sampled), 3);
    assert!(collector.entries("?text=unsampled-").is_empty());
    assert_eq!(collector.entries("?text=log-under-unsampled").len(), 1);
    assert_eq!(
        one(&collector, "continued-sampled")["trace_id"],
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
}
