//! The decoder against otlp.md §11 and checklist items 4, 10 (official example shapes) and 14.

use serde_json::{json, Value};

use super::*;
use crate::entry::EntryKind;

const RECEIVED: u64 = 1_800_000_000_000_000_000;

fn logs(records: Value) -> Vec<u8> {
    json!({"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "api"}},
        {"key": "deployment.environment", "value": {"stringValue": "staging"}}]},
        "scopeLogs": [{"logRecords": records}]}]})
    .to_string()
    .into_bytes()
}

fn spans(spans: Value) -> Vec<u8> {
    json!({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]})
        .to_string()
        .into_bytes()
}

fn metrics(metrics: Value) -> Vec<u8> {
    json!({"resourceMetrics": [{"scopeMetrics": [{"metrics": metrics}]}]})
        .to_string()
        .into_bytes()
}

fn one_log(record: Value) -> DecodedEntry {
    let mut batch = decode(Signal::Logs, &logs(json!([record])), RECEIVED).unwrap();
    assert_eq!(batch.rejected, 0, "{:?}", batch.first_rejection);
    batch.entries.pop().unwrap()
}

fn rejection(signal: Signal, body: &[u8]) -> String {
    let batch = decode(signal, body, RECEIVED).unwrap();
    assert_eq!((batch.entries.len(), batch.rejected), (0, 1));
    batch.first_rejection.unwrap()
}

#[test]
fn bodies_shaped_like_the_official_examples_decode() {
    // examples/{logs,trace,metrics}.json: upper-case hex ids, int64 as numbers, scope
    // attributes and descriptions the decoder ignores.
    let scope = json!({"name": "my.library", "version": "1.0.0",
        "attributes": [{"key": "my.scope.attribute", "value": {"stringValue": "s"}}]});
    let log = json!({"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "my.service"}}]},
        "scopeLogs": [{"scope": scope, "logRecords": [{
            "timeUnixNano": 1544712660300000000u64, "observedTimeUnixNano": 1544712660300000000u64,
            "severityText": "Information", "traceId": "5B8EFFF798038103D269B633813FC60C",
            "spanId": "EEE19B7EC3C1B174", "body": {"stringValue": "Example log record"},
            "attributes": [{"key": "int.attribute", "value": {"intValue": 10}},
                           {"key": "double.attribute", "value": {"doubleValue": 637.704}}]}]}]}]});
    let entry = &decode(Signal::Logs, log.to_string().as_bytes(), RECEIVED)
        .unwrap()
        .entries[0];
    assert_eq!(
        (entry.kind, entry.level, entry.message.as_str()),
        (EntryKind::Log, 7, "Example log record")
    );
    assert_eq!(entry.timestamp, "2018-12-13T14:51:00.300000Z");
    assert_eq!(
        entry.trace_id.as_deref(),
        Some("5b8efff798038103d269b633813fc60c")
    );
    assert_eq!(entry.span_id.as_deref(), Some("eee19b7ec3c1b174"));
    assert_eq!(
        Value::Object(entry.attributes.clone()),
        json!({"int.attribute": 10, "double.attribute": 637.704})
    );

    let trace = json!({"resourceSpans": [{"scopeSpans": [{"scope": scope, "spans": [{
        "traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174",
        "parentSpanId": "EEE19B7EC3C1B173", "name": "I'm a server span",
        "startTimeUnixNano": 1544712660000000000u64, "endTimeUnixNano": 1544712661000000000u64,
        "kind": 2, "attributes": [{"key": "my.span.attr", "value": {"stringValue": "v"}}]}]}]}]});
    let entry = &decode(Signal::Traces, trace.to_string().as_bytes(), RECEIVED)
        .unwrap()
        .entries[0];
    assert_eq!(entry.kind, EntryKind::Trace);
    assert_eq!(entry.parent_span_id.as_deref(), Some("eee19b7ec3c1b173"));
    assert_eq!(
        entry.details,
        Some(
            json!({"operation": "I'm a server span", "name": "I'm a server span",
            "start_time": "2018-12-13T14:51:00Z", "end_time": "2018-12-13T14:51:01Z",
            "duration_ms": 1000, "status": "ok"})
        )
    );

    let body = metrics(json!([
        {"name": "my.counter", "unit": "1", "description": "c", "sum": {"aggregationTemporality": 1,
            "isMonotonic": true, "dataPoints": [{"asDouble": 5, "timeUnixNano": 1544712660300000000u64}]}},
        {"name": "my.gauge", "unit": "1", "gauge": {"dataPoints": [{"asInt": "10", "timeUnixNano": 1}]}},
        {"name": "my.histogram", "unit": "1", "histogram": {"aggregationTemporality": 1, "dataPoints": [
            {"count": 3, "sum": 3, "bucketCounts": [1, 1, 1], "explicitBounds": [1], "min": 1, "max": 1}]}}
    ]));
    let batch = decode(Signal::Metrics, &body, RECEIVED).unwrap();
    let details: Vec<Value> = batch
        .entries
        .iter()
        .map(|e| e.details.clone().unwrap())
        .collect();
    assert_eq!(
        details,
        [
            json!({"name": "my.counter", "value": 5.0, "unit": "1", "kind": "counter"}),
            json!({"name": "my.gauge", "value": 10.0, "unit": "1", "kind": "gauge"}),
            json!({"name": "my.histogram", "value": 1.0, "unit": "1", "kind": "distribution"}),
        ]
    );
}

#[test]
fn severity_numbers_and_texts_map_to_levels() {
    let level = |record: Value| one_log(record).level;
    assert_eq!(level(json!({"severityNumber": 21})), 1);
    assert_eq!(level(json!({"severityNumber": "SEVERITY_NUMBER_WARN2"})), 5);
    assert_eq!(
        level(json!({"severityNumber": 0, "severityText": "notice"})),
        6
    );
    assert_eq!(level(json!({"severityText": "FATAL"})), 3);
    assert_eq!(level(json!({})), 7);
    let reason = rejection(Signal::Logs, &logs(json!([{"severityNumber": 25}])));
    assert!(reason.contains("25"), "{reason}");
    for bad in [json!("SEVERITY_NUMBER_LOUD"), json!(true), json!(9.5)] {
        let err = decode(
            Signal::Logs,
            &logs(json!([{"severityNumber": bad}])),
            RECEIVED,
        )
        .unwrap_err();
        assert_eq!(err.status, 400);
        assert!(
            err.message.contains("logRecords[0].severityNumber"),
            "{}",
            err.message
        );
    }
}

#[test]
fn log_records_take_time_resource_and_trace_context() {
    let entry = one_log(
        json!({"observedTimeUnixNano": "1767225600000000000", "body": {"intValue": "3"},
        "traceId": "00000000000000000000000000000000", "spanId": "00f067aa0ba902b"}),
    );
    assert_eq!(entry.timestamp, "2026-01-01T00:00:00.000000Z");
    assert_eq!(
        entry.message, "3",
        "a non-string body is converted like an attribute"
    );
    assert_eq!(
        (entry.trace_id, entry.span_id),
        (None, None),
        "bad ids are absent, not rejected"
    );
    assert_eq!(entry.environment.as_deref(), Some("staging"), "legacy key");
    assert_eq!(entry.protocol, "otlp");
    assert_eq!(
        one_log(json!({})).timestamp,
        crate::wire::rfc3339_micros(RECEIVED)
    );
    assert_eq!(one_log(json!({})).message, "");
}

#[test]
fn foreign_records_are_typed_by_their_shape() {
    let event = one_log(json!({"eventName": "login", "body": {"stringValue": "x"}}));
    assert_eq!(
        (event.kind, event.details),
        (EntryKind::Event, Some(json!({"event": "login"})))
    );

    let error = one_log(
        json!({"severityNumber": 17, "body": {"stringValue": "failed"}, "attributes": [
        {"key": "exception.type", "value": {"stringValue": "KeyError"}},
        {"key": "exception.stacktrace", "value": {"stringValue": "KeyError: 'id'\n    at load (app.py:3)\n    at main (app.py)"}},
        {"key": "ferrolog.logger", "value": {"stringValue": "db"}},
        {"key": "user", "value": {"stringValue": "7"}}]}),
    );
    assert_eq!(error.kind, EntryKind::Log);
    assert_eq!(
        error.error,
        Some(json!({"type": "KeyError", "message": "failed",
                    "stack_trace": ["at load (app.py:3)", "at main (app.py)"]}))
    );
    assert_eq!(error.details, Some(json!({"logger": "db"})));
    assert_eq!(Value::Object(error.attributes), json!({"user": "7"}));

    let unknown_type = one_log(json!({"attributes": [
        {"key": "ferrolog.entry_type", "value": {"stringValue": "metric"}}]}));
    assert_eq!(unknown_type.kind, EntryKind::Log);
    assert_eq!(unknown_type.attributes["ferrolog.entry_type"], "metric");
}

#[test]
fn typed_records_missing_their_members_are_rejected() {
    let typed = |kind: &str, extra: Value| {
        let mut list = vec![json!({"key": "ferrolog.entry_type", "value": {"stringValue": kind}})];
        list.extend(extra.as_array().cloned().unwrap_or_default());
        logs(json!([{ "attributes": list }]))
    };
    assert!(rejection(Signal::Logs, &typed("event", json!([]))).contains("event.name"));
    let reason = rejection(
        Signal::Logs,
        &typed(
            "audit",
            json!([{"key": "audit.action", "value": {"stringValue": "delete"}}]),
        ),
    );
    assert!(reason.contains("audit.actor"), "{reason}");
    let reason = rejection(
        Signal::Logs,
        &typed(
            "event",
            json!([{"key": "event.name", "value": {"intValue": "1"}}]),
        ),
    );
    assert!(reason.contains("must be a string"), "{reason}");
}

#[test]
fn spans_need_valid_ids() {
    let span = |trace: &str, id: &str, parent: &str| {
        spans(json!([{"traceId": trace, "spanId": id, "parentSpanId": parent, "name": "s"}]))
    };
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let batch = decode(
        Signal::Traces,
        &span(trace, "00f067aa0ba902b7", ""),
        RECEIVED,
    )
    .unwrap();
    assert_eq!(
        batch.entries[0].parent_span_id, None,
        "empty parent means root"
    );
    assert_eq!(batch.entries[0].level, 7);
    let bad = [
        span(&trace[2..], "00f067aa0ba902b7", ""),
        span(trace, "0000000000000000", ""),
        span(trace, "00f067aa0ba902b7", "xyz"),
        spans(json!([{"spanId": "00f067aa0ba902b7"}])),
    ];
    for body in bad {
        let reason = rejection(Signal::Traces, &body);
        assert!(reason.contains("hex digits"), "{reason}");
    }
    let reason = rejection(Signal::Traces, &span(&trace[2..], "00f067aa0ba902b7", ""));
    assert_eq!(
        reason,
        "resourceSpans[0].scopeSpans[0].spans[0].traceId must be 32 hex digits, not all zero"
    );
}

#[test]
fn span_status_and_operation_come_back() {
    let body = spans(
        json!([{"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "spanId": "00f067aa0ba902b7",
        "name": "GET /", "status": {"code": "STATUS_CODE_ERROR", "message": "boom"},
        "attributes": [{"key": "ferrolog.span.operation", "value": {"stringValue": "http.server"}}]}]),
    );
    let entry = decode(Signal::Traces, &body, RECEIVED)
        .unwrap()
        .entries
        .remove(0);
    let details = entry.details.unwrap();
    assert_eq!(
        (details["status"].clone(), details["operation"].clone()),
        (json!("error"), json!("http.server"))
    );
    assert!(
        entry.attributes.is_empty(),
        "the operation attribute is consumed"
    );
    assert_eq!(details.get("duration_ms"), None, "0 ms is left out");
}

#[test]
fn unsupported_or_valueless_points_are_rejected_alone() {
    let body = metrics(json!([
        {"name": "ok", "sum": {"isMonotonic": false, "dataPoints": [{"asDouble": -1}]}},
        {"name": "no.value", "gauge": {"dataPoints": [{"timeUnixNano": "1"}]}},
        {"name": "summary", "summary": {"dataPoints": [{}, {}]}},
        {"name": "exp", "exponentialHistogram": {"dataPoints": [{}]}},
        {"name": "empty.histogram", "histogram": {"dataPoints": [{"count": "0"}]}}
    ]));
    let batch = decode(Signal::Metrics, &body, RECEIVED).unwrap();
    assert_eq!(batch.entries.len(), 1);
    assert_eq!(
        batch.entries[0].details.as_ref().unwrap()["kind"],
        "gauge",
        "non-monotonic sum"
    );
    assert_eq!(batch.rejected, 5);
    assert!(batch
        .first_rejection
        .as_deref()
        .unwrap()
        .contains("neither asDouble nor asInt"));
    assert_eq!(
        batch.response_body(Signal::Metrics),
        json!({"partialSuccess": {"rejectedDataPoints": "5",
            "errorMessage": batch.first_rejection.clone().unwrap()}})
        .to_string()
    );
}

#[test]
fn malformed_requests_are_bad_requests_naming_the_member() {
    let cases: [(&[u8], &str); 8] = [
        (b"{", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (br#"{"resourceLogs": {}}"#, "resourceLogs must be an array"),
        (
            br#"{"resourceLogs": [1]}"#,
            "resourceLogs[0] must be an object",
        ),
        (
            br#"{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "soon"}]}]}]}"#,
            "resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano",
        ),
        (
            br#"{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": 1.5}]}]}]}"#,
            "timeUnixNano must be",
        ),
        (
            br#"{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"traceId": 7}]}]}]}"#,
            "traceId must be a string",
        ),
        (
            br#"{"resourceLogs": [{"resource": {"attributes": "x"}}]}"#,
            "resource.attributes",
        ),
    ];
    for (body, expected) in cases {
        let err = decode(Signal::Logs, body, RECEIVED).unwrap_err();
        assert_eq!(err.status, 400);
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
        let status: Value = serde_json::from_str(&err.response_body()).unwrap();
        assert_eq!(status["message"], err.message);
    }
}

#[test]
fn empty_requests_and_unknown_members_are_fine() {
    for (signal, body) in [
        (Signal::Logs, "{}"),
        (Signal::Traces, r#"{"resourceSpans": []}"#),
        (
            Signal::Metrics,
            r#"{"resource_metrics": [1], "extra": {"a": [null]}}"#,
        ),
    ] {
        let batch = decode(signal, body.as_bytes(), RECEIVED).unwrap();
        assert_eq!(batch, DecodedBatch::default());
        assert_eq!(batch.response_body(signal), "{}");
    }
    let entry = one_log(
        json!({"time_unix_nano": "x", "severity_number": "x", "droppedAttributesCount": 2,
        "body": {"stringValue": "m"}}),
    );
    assert_eq!((entry.message.as_str(), entry.level), ("m", 7));
}
