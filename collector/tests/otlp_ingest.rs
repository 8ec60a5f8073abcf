//! OTLP/HTTP JSON bodies against the real binary: what is stored and answered
//! (otlp.md §11 and checklist item 14).

mod common;

use common::{Collector, Reply};
use ferrolog::wire::otlp::{decode, Signal};
use serde_json::{json, Value};

const TRACE_ID: &str = "5b8efff798038103d269b633813fc60c";
const SPAN_ID: &str = "eee19b7ec3c1b174";
/// 2026-01-01T00:00:00Z.
const NOON_NS: &str = "1767225600000000000";

fn string_attribute(key: &str, value: &str) -> Value {
    json!({"key": key, "value": {"stringValue": value}})
}

fn resource() -> Value {
    json!({"attributes": [
        string_attribute("service.name", "checkout"),
        string_attribute("deployment.environment.name", "staging"),
    ]})
}

fn post(collector: &Collector, signal: Signal, body: &Value) -> Reply {
    collector.post_json(signal.path(), body.to_string().as_bytes())
}

/// Asserts a 200 answer and returns its JSON body.
fn accepted(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    reply.json()
}

#[test]
fn log_records_are_stored_with_levels_ids_and_kinds() {
    let collector = Collector::start(&[]);
    let body = json!({"resourceLogs": [{"resource": resource(), "scopeLogs": [{
    "scope": {"name": "ferrolog"},
    "logRecords": [
        {"timeUnixNano": NOON_NS, "severityNumber": 17, "severityText": "error",
         "body": {"stringValue": "payment failed"}, "traceId": TRACE_ID, "spanId": SPAN_ID,
         "attributes": [string_attribute("order", "A-7"),
                        {"key": "attempt", "value": {"intValue": "3"}}]},
        {"observedTimeUnixNano": NOON_NS, "severityNumber": 9,
         "body": {"stringValue": "retrying"},
         "traceId": "00000000000000000000000000000000", "spanId": SPAN_ID},
        {"timeUnixNano": NOON_NS, "severityNumber": 9, "eventName": "signup",
         "body": {"stringValue": "user signed up"}}
    ]}]}]});
    assert_eq!(accepted(&post(&collector, Signal::Logs, &body)), json!({}));

    let entries = collector.entries();
    let summary: Value = entries
        .iter()
        .map(|e| {
            ["protocol", "kind", "level", "message"]
                .map(|key| e[key].clone())
                .to_vec()
        })
        .collect();
    assert_eq!(
        summary,
        json!([
            ["otlp", "log", 4, "payment failed"],
            ["otlp", "log", 7, "retrying"],
            ["otlp", "event", 7, "user signed up"],
        ])
    );
    let error = &entries[0];
    assert_eq!(error["timestamp"], "2026-01-01T00:00:00.000000Z");
    assert_eq!(error["environment"], "staging");
    assert_eq!(error["trace_id"], TRACE_ID);
    assert_eq!(error["span_id"], SPAN_ID);
    assert_eq!(error["attributes"], json!({"order": "A-7", "attempt": 3}));
    // An all-zero trace id means no trace context: the record is kept without it.
    assert!(entries[1].get("trace_id").is_none(), "{}", entries[1]);

    let errors = collector.get_json("/api/entries?level=error&text=payment");
    assert_eq!(errors.as_array().map(Vec::len), Some(1), "{errors}");
    let request = &collector.requests()[0];
    assert_eq!(
        (
            &request["path"],
            &request["processed"],
            &request["rejected"]
        ),
        (&json!("/v1/logs"), &json!(3), &json!(0))
    );
}

#[test]
fn an_invalid_span_is_rejected_and_the_others_stored() {
    let collector = Collector::start(&[]);
    let span = |trace_id: &str, name: &str| {
        json!({"traceId": trace_id, "spanId": SPAN_ID, "parentSpanId": "eee19b7ec3c1b173",
               "name": name, "kind": 2,
               "startTimeUnixNano": NOON_NS, "endTimeUnixNano": "1767225600250000000",
               "status": {"code": 2, "message": "timeout"}})
    };
    let body = json!({"resourceSpans": [{"resource": resource(), "scopeSpans": [{"spans": [
        span(TRACE_ID, "GET /cart"),
        span(&TRACE_ID[..30], "GET /broken"),
    ]}]}]});
    let answer = accepted(&post(&collector, Signal::Traces, &body));
    assert_eq!(answer["partialSuccess"]["rejectedSpans"], "1", "{answer}");
    let reason = answer["partialSuccess"]["errorMessage"].as_str().unwrap();
    assert!(reason.contains("traceId"), "{reason}");

    let entries = collector.entries();
    assert_eq!(entries.len(), 1);
    let trace = &entries[0];
    assert_eq!(
        (&trace["kind"], &trace["level"]),
        (&json!("trace"), &json!(7))
    );
    assert_eq!(trace["trace_id"], TRACE_ID);
    assert_eq!(trace["parent_span_id"], "eee19b7ec3c1b173");
    assert_eq!(trace["details"]["operation"], "GET /cart");
    assert_eq!(trace["details"]["duration_ms"], 250);
    assert_eq!(trace["details"]["status"], "error");
    assert_eq!(
        collector
            .get_json("/api/entries?kind=trace")
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // The request log counts the rejection and keeps OTLP's one reason, which has no index.
    let request = &collector.requests()[0];
    assert_eq!(
        (&request["processed"], &request["rejected"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(request["rejections"], json!([{"reason": reason}]));
    assert_eq!(collector.get_json("/api/stats")["rejected_total"], 1);
}

#[test]
fn metric_points_are_stored_as_metric_entries() {
    let collector = Collector::start(&[]);
    let point = |value: Value| {
        let mut point = json!({"timeUnixNano": NOON_NS,
            "attributes": [string_attribute("route", "/cart")]});
        point
            .as_object_mut()
            .unwrap()
            .extend(value.as_object().unwrap().clone());
        point
    };
    let body = json!({"resourceMetrics": [{"resource": resource(), "scopeMetrics": [{"metrics": [
        {"name": "orders", "unit": "1", "sum": {"aggregationTemporality": 1, "isMonotonic": true,
            "dataPoints": [point(json!({"asDouble": 2.0})), point(json!({"asDouble": 5.0}))]}},
        {"name": "queue.depth", "gauge": {"dataPoints": [point(json!({"asInt": "12"}))]}}
    ]}]}]});
    assert_eq!(
        accepted(&post(&collector, Signal::Metrics, &body)),
        json!({})
    );

    let entries = collector.get_json("/api/entries?kind=metric");
    let details: Vec<Value> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["details"].clone())
        .collect();
    assert_eq!(
        details,
        [
            json!({"name": "orders", "value": 2.0, "unit": "1", "kind": "counter"}),
            json!({"name": "orders", "value": 5.0, "unit": "1", "kind": "counter"}),
            json!({"name": "queue.depth", "value": 12.0, "kind": "gauge"}),
        ]
    );
    let first = &entries[0];
    assert_eq!(
        (&first["protocol"], &first["level"]),
        (&json!("otlp"), &json!(7))
    );
    assert_eq!(first["attributes"], json!({"route": "/cart"}));
    assert_eq!(collector.requests()[0]["processed"], 3);
}

#[test]
fn malformed_bodies_are_400_with_the_decoders_message() {
    let collector = Collector::start(&[]);
    let cases = [
        (Signal::Traces, r#"{"resourceSpans": ["#),
        (Signal::Traces, r#"{"resourceSpans": {"scopeSpans": []}}"#),
        (Signal::Metrics, r#"[{"resourceMetrics": []}]"#),
        (
            Signal::Logs,
            r#"{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": 7}]}]}]}"#,
        ),
    ];
    for (signal, body) in cases {
        let expected = decode(signal, body.as_bytes(), 0).unwrap_err();
        let reply = collector.post_json(signal.path(), body.as_bytes());
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert_eq!(reply.json(), json!({"message": expected.message}), "{body}");
    }
    assert!(collector.entries().is_empty());
    let errors: Vec<Value> = collector
        .requests()
        .iter()
        .map(|r| r["error"].clone())
        .collect();
    assert!(errors.iter().all(Value::is_string), "{errors:?}");
}

#[test]
fn an_empty_request_is_accepted() {
    let collector = Collector::start(&[]);
    for signal in Signal::ALL {
        let reply = collector.post_json(signal.path(), b"{}");
        assert_eq!(accepted(&reply), json!({}), "{signal:?}");
    }
    assert!(collector.entries().is_empty());
}
