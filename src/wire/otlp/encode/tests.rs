//! The encoder against otlp.md's conformance checklist (items 1–9, 11).

use std::sync::Arc;

use serde_json::{json, Value};

use super::*;
use crate::context::Context;
use crate::entry::{Audit, Reading, Span, SpanStatus};
use crate::level::Level;
use crate::wire::otlp::options::test_options;
use crate::wire::otlp::CRATE_VERSION;

pub(in crate::wire::otlp) const TS: u64 = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z

pub(in crate::wire::otlp) fn record(level: Level, message: &str, pairs: &[(&str, &str)]) -> Record {
    let context = Arc::new(Context::default());
    let mut record = Record::with_pairs(level, message, pairs.iter().copied(), context).unwrap();
    record.timestamp_ns = TS;
    record
}

pub(in crate::wire::otlp) fn metric(kind: MetricKind, name: &str, value: f64) -> Record {
    record(Level::Info, name, &[]).with_payload(Payload::Metric {
        value,
        unit: Some("ms".into()),
        kind,
    })
}

pub(in crate::wire::otlp) fn span(operation: &str, parent: bool, status: SpanStatus) -> Payload {
    Payload::Span(Span {
        trace_id: [
            0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e,
            0x47, 0x36,
        ],
        span_id: [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7],
        parent_span_id: parent.then_some([0xff, 0, 0, 0, 0, 0, 0, 1]),
        operation: operation.into(),
        start_unix_ns: TS - 1_500_000_000,
        end_unix_ns: TS,
        status,
    })
}

pub(in crate::wire::otlp) fn audit(actor_type: Option<&str>) -> Payload {
    Payload::Audit(Audit {
        actor: "u1".into(),
        actor_type: actor_type.map(Into::into),
        resource: "doc".into(),
        resource_id: "7".into(),
        outcome: "success".into(),
    })
}

pub(in crate::wire::otlp) fn telemetry() -> Payload {
    let reading = |name: &str, value, unit: Option<&str>| Reading {
        name: name.into(),
        value,
        unit: unit.map(Into::into),
    };
    Payload::Telemetry {
        readings: vec![
            reading("temp", 21.5, Some("Cel")),
            reading("rpm", 900.0, None),
        ],
        managed: false,
    }
}

fn encoder() -> OtlpEncoder {
    OtlpEncoder::new(test_options())
}

fn encode(records: &[Record]) -> Value {
    serde_json::from_slice(&encoder().body(records)).unwrap()
}

/// The single item of a single-signal request.
fn only_item(body: &Value, signal: Signal) -> Value {
    let items = &body[signal.resource_key()][0][signal.scope_key()][0][signal.items_key()];
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{body}");
    items[0].clone()
}

/// Attribute keys and values, in order, as `(key, value member)` pairs.
fn attributes(item: &Value) -> Vec<(String, Value)> {
    let list = item["attributes"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|kv| (kv["key"].as_str().unwrap().to_owned(), kv["value"].clone()))
        .collect()
}

fn string(value: &str) -> Value {
    json!({ "stringValue": value })
}

#[test]
fn an_info_log_serializes_exactly() {
    let body = encoder().body(&[record(Level::Info, "hello", &[("user.id", "42")])]);
    let expected = r#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}},{"key":"telemetry.sdk.name","value":{"stringValue":"ferrolog"}},{"key":"telemetry.sdk.language","value":{"stringValue":"rust"}},{"key":"telemetry.sdk.version","value":{"stringValue":"VERSION"}}]},"scopeLogs":[{"scope":{"name":"ferrolog","version":"VERSION"},"logRecords":[{"timeUnixNano":"1767225600000000000","observedTimeUnixNano":"1767225600000000000","severityNumber":9,"severityText":"info","body":{"stringValue":"hello"},"attributes":[{"key":"user.id","value":{"stringValue":"42"}}]}]}]}]}"#;
    assert_eq!(
        String::from_utf8(body).unwrap(),
        expected.replace("VERSION", CRATE_VERSION)
    );
}

#[test]
fn each_signal_goes_to_its_own_url_with_the_configured_headers() {
    let mut options = test_options();
    options.endpoint = Some("http://collector:4318/".into());
    options.metrics_endpoint = Some("http://metrics.example/ingest".into());
    options.headers = vec![("Authorization", "Bearer t".into())];
    let mut encoder = OtlpEncoder::new(options);
    let cases = [
        (
            record(Level::Info, "m", &[]),
            "http://collector:4318/v1/logs",
        ),
        (
            record(Level::Info, "s", &[]).with_payload(span("db", false, SpanStatus::Ok)),
            "http://collector:4318/v1/traces",
        ),
        (
            metric(MetricKind::Gauge, "g", 1.0),
            "http://metrics.example/ingest",
        ),
    ];
    for (record, url) in cases {
        let request = encoder.encode(&[record]).unwrap().request;
        assert_eq!(request.url, url);
        assert_eq!(request.content_type, "application/json");
        assert_eq!(request.headers, [("Authorization", "Bearer t".to_owned())]);
    }
}

#[test]
fn gzip_is_labelled_iff_configured_and_decodes_to_the_json() {
    let mut options = test_options();
    options.gzip = true;
    let mut encoder = OtlpEncoder::new(options);
    let records = [record(Level::Info, "z", &[])];
    let plain = encoder.body(&records);
    let request = encoder.encode(&records).unwrap().request;
    assert_eq!(request.headers, [("Content-Encoding", "gzip".to_owned())]);
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&request.body[..]),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, plain);
    assert!(self::encoder()
        .encode(&records)
        .unwrap()
        .request
        .headers
        .is_empty());
}

/// One record of every kind the encoder produces.
fn every_kind() -> Vec<Record> {
    vec![
        Record::with_json(
            Level::Warning,
            "log",
            r#"{"n":-7,"tags":["a"]}"#,
            Arc::default(),
        )
        .unwrap(),
        record(Level::Info, "signup", &[]).with_payload(Payload::Event),
        record(Level::Notice, "delete", &[]).with_payload(audit(Some("user"))),
        record(Level::Info, "GET /", &[]).with_payload(span(
            "http.server",
            true,
            SpanStatus::Error,
        )),
        metric(MetricKind::Counter, "c", 1.0),
        metric(MetricKind::Gauge, "g", 2.0),
        metric(MetricKind::Distribution, "d", 3.0),
        record(Level::Info, "dev-1", &[]).with_payload(telemetry()),
    ]
}

fn bodies(records: Vec<Record>) -> Vec<Value> {
    let mut encoder = encoder();
    let batches = encoder.partition(records);
    batches
        .iter()
        .map(|batch| serde_json::from_slice(&encoder.body(batch)).unwrap())
        .collect()
}

fn visit<'a>(value: &'a Value, path: &str, found: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                let path = format!("{path}.{key}");
                found.push((path.clone(), member));
                visit(member, &path, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| visit(item, path, found)),
        _ => {}
    }
}

#[test]
fn every_key_is_lower_camel_case_and_64_bit_integers_are_strings() {
    let bodies = bodies(every_kind());
    assert_eq!(bodies.len(), 3, "one request per signal");
    let mut members = Vec::new();
    for body in &bodies {
        visit(body, "", &mut members);
    }
    for (path, value) in &members {
        let key = path.rsplit('.').next().unwrap();
        assert!(
            key.chars().all(|c| c.is_ascii_alphanumeric())
                && key.starts_with(|c: char| c.is_ascii_lowercase()),
            "{path}"
        );
        let int64 = key.ends_with("UnixNano") || ["intValue", "count"].contains(&key);
        if int64 {
            assert!(
                value.as_str().is_some_and(|s| s.parse::<i64>().is_ok()),
                "{path}: {value}"
            );
        }
        if key == "bucketCounts" {
            assert!(
                value.as_array().unwrap().iter().all(Value::is_string),
                "{path}"
            );
        }
        if [
            "severityNumber",
            "kind",
            "aggregationTemporality",
            "code",
            "flags",
        ]
        .contains(&key)
        {
            assert!(value.is_u64(), "{path}: {value}");
        }
    }
    let keys: Vec<&str> = members
        .iter()
        .map(|(p, _)| p.rsplit('.').next().unwrap())
        .collect();
    for expected in [
        "traceId",
        "parentSpanId",
        "startTimeUnixNano",
        "bucketCounts",
        "intValue",
    ] {
        assert!(keys.contains(&expected), "{expected} never checked");
    }
}

#[test]
fn resource_and_scope_name_the_service_and_the_sdk() {
    let mut options = test_options();
    options.release = Some("2.0".into());
    options.environment = Some("prod".into());
    let body: Value =
        serde_json::from_slice(&OtlpEncoder::new(options).body(&[record(Level::Info, "m", &[])]))
            .unwrap();
    let group = &body["resourceLogs"][0];
    let resource = attributes(&group["resource"]);
    assert_eq!(
        resource,
        [
            ("service.name".to_owned(), string("api")),
            ("service.version".to_owned(), string("2.0")),
            ("deployment.environment.name".to_owned(), string("prod")),
            ("telemetry.sdk.name".to_owned(), string("ferrolog")),
            ("telemetry.sdk.language".to_owned(), string("rust")),
            ("telemetry.sdk.version".to_owned(), string(CRATE_VERSION)),
        ]
    );
    assert_eq!(group["scopeLogs"][0]["scope"]["name"], "ferrolog");
}

#[test]
fn levels_encode_to_their_severity_and_name() {
    for (level, number) in Level::ALL.into_iter().zip([21, 19, 18, 17, 13, 10, 9, 5]) {
        let item = only_item(&encode(&[record(level, "m", &[])]), Signal::Logs);
        assert_eq!(item["severityNumber"], number);
        assert_eq!(item["severityText"], level.name());
    }
}

#[test]
fn events_carry_event_name_twice_and_audits_six_attributes() {
    let event = record(
        Level::Info,
        "signup",
        &[("event.name", "spoof"), ("plan", "pro")],
    )
    .with_payload(Payload::Event);
    let item = only_item(&encode(&[event]), Signal::Logs);
    assert_eq!(item["eventName"], "signup");
    assert_eq!(item["body"], string("signup"));
    assert_eq!(
        attributes(&item),
        [
            ("ferrolog.entry_type".to_owned(), string("event")),
            ("event.name".to_owned(), string("signup")),
            ("plan".to_owned(), string("pro")),
        ]
    );

    let mut encoder = encoder();
    let audit_record = record(Level::Notice, "delete", &[("audit.outcome", "x")])
        .with_payload(audit(Some("user")));
    let body: Value = serde_json::from_slice(&encoder.body(&[audit_record])).unwrap();
    let item = only_item(&body, Signal::Logs);
    assert_eq!(item["severityNumber"], 10);
    assert_eq!(item.get("eventName"), None);
    let expected = [
        ("ferrolog.entry_type", "audit"),
        ("audit.action", "delete"),
        ("audit.actor", "u1"),
        ("audit.actor_type", "user"),
        ("audit.resource", "doc"),
        ("audit.resource_id", "7"),
        ("audit.outcome", "success"),
    ];
    let expected: Vec<(String, Value)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), string(v)))
        .collect();
    assert_eq!(attributes(&item), expected);
    assert_eq!(
        encoder.take_attributes_dropped(),
        1,
        "the user's audit.outcome"
    );

    let untyped = only_item(
        &encode(&[record(Level::Notice, "d", &[]).with_payload(audit(None))]),
        Signal::Logs,
    );
    assert!(!attributes(&untyped)
        .iter()
        .any(|(k, _)| k == "audit.actor_type"));
}

#[test]
fn a_log_has_no_entry_type_and_cannot_forge_one() {
    let mut encoder = encoder();
    let log = record(
        Level::Info,
        "m",
        &[("ferrolog.entry_type", "event"), ("a", "1")],
    );
    let body: Value = serde_json::from_slice(&encoder.body(&[log])).unwrap();
    assert_eq!(
        attributes(&only_item(&body, Signal::Logs)),
        [("a".to_owned(), string("1"))]
    );
    assert_eq!(encoder.take_attributes_dropped(), 1);
}

#[test]
fn spans_carry_the_members_in_order() {
    let record = record(Level::Info, "GET /", &[("error.message", "boom")]).with_payload(span(
        "http.server",
        true,
        SpanStatus::Error,
    ));
    let body = encoder().body(&[record]);
    let text = String::from_utf8(body).unwrap();
    let item = only_item(&serde_json::from_str(&text).unwrap(), Signal::Traces);
    // The parsed object forgets member order, so each member is found in the span's text.
    let span_text = &text[text.find("\"spans\":[").unwrap()..];
    let mut sorted: Vec<&str> = item
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    sorted.sort_unstable_by_key(|key| span_text.find(&format!("\"{key}\"")).unwrap());
    assert_eq!(
        sorted,
        [
            "traceId",
            "spanId",
            "parentSpanId",
            "flags",
            "name",
            "kind",
            "startTimeUnixNano",
            "endTimeUnixNano",
            "attributes",
            "status"
        ]
    );
    assert_eq!(item["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(item["spanId"], "00f067aa0ba902b7");
    assert_eq!(item["parentSpanId"], "ff00000000000001");
    assert_eq!(item["kind"], 2);
    assert_eq!(item["name"], "GET /");
    assert_eq!(item["startTimeUnixNano"], "1767225598500000000");
    assert_eq!(item["status"], json!({"code": 2, "message": "boom"}));
    assert_eq!(
        attributes(&item),
        [
            ("ferrolog.span.operation".to_owned(), string("http.server")),
            ("error.message".to_owned(), string("boom")),
        ]
    );
}

#[test]
fn span_kind_name_and_status_follow_the_operation() {
    let encode_span = |message: &str, operation: &str, status| {
        let record = record(Level::Info, message, &[]).with_payload(span(operation, false, status));
        only_item(&encode(&[record]), Signal::Traces)
    };
    let client = encode_span("", "http.client", SpanStatus::Ok);
    assert_eq!(
        (client["kind"].clone(), client["name"].clone()),
        (json!(3), json!("http.client"))
    );
    assert_eq!(client.get("status"), None, "ok leaves the status unset");
    assert_eq!(
        client.get("parentSpanId"),
        None,
        "a root span has no parent"
    );
    let internal = encode_span("q", "db.query", SpanStatus::Error);
    assert_eq!(internal["kind"], 1);
    assert_eq!(internal["status"], json!({"code": 2}));
}

#[test]
fn metric_kinds_take_their_otlp_shapes() {
    let body = encode(&[
        metric(MetricKind::Counter, "c", 5.0),
        metric(MetricKind::Gauge, "g", -2.5),
        metric(MetricKind::Distribution, "d", 3.0),
        metric(MetricKind::Distribution, "d", -4.0),
    ]);
    let metrics = &body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
    let t = "1767225600000000000";
    assert_eq!(
        metrics[0],
        json!({"name": "c", "unit": "ms", "sum": {"dataPoints": [
            {"startTimeUnixNano": t, "timeUnixNano": t, "asDouble": 5.0}],
            "aggregationTemporality": 1, "isMonotonic": true}})
    );
    assert_eq!(
        metrics[1],
        json!({"name": "g", "unit": "ms", "gauge": {"dataPoints": [{"timeUnixNano": t, "asDouble": -2.5}]}})
    );
    assert_eq!(
        metrics[2],
        json!({"name": "d", "unit": "ms", "histogram": {"dataPoints": [
            {"startTimeUnixNano": t, "timeUnixNano": t, "count": "1", "sum": 3.0,
             "bucketCounts": ["1"], "min": 3.0, "max": 3.0},
            {"startTimeUnixNano": t, "timeUnixNano": t, "count": "1",
             "bucketCounts": ["1"], "min": -4.0, "max": -4.0}],
            "aggregationTemporality": 1}}),
        "same name, unit and kind share a Metric; a negative observation has no sum"
    );
    assert_eq!(metrics.as_array().unwrap().len(), 3);
}

#[test]
fn telemetry_readings_become_gauge_points_with_the_device() {
    let record = record(Level::Info, "dev-1", &[("site", "b")]).with_payload(telemetry());
    let body = encode(&[record]);
    let metrics = &body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
    assert_eq!(metrics[0]["name"], "temp");
    assert_eq!(metrics[0]["unit"], "Cel");
    assert_eq!(metrics[1]["name"], "rpm");
    assert_eq!(metrics[1].get("unit"), None);
    let point = &metrics[1]["gauge"]["dataPoints"][0];
    assert_eq!(point["asDouble"], 900.0);
    assert_eq!(
        attributes(point),
        [
            ("device.id".to_owned(), string("dev-1")),
            ("site".to_owned(), string("b"))
        ]
    );
}

#[test]
fn negative_counters_and_non_finite_values_are_refused() {
    let encoder = encoder();
    assert!(encoder.accepts(&metric(MetricKind::Counter, "c", 0.0)));
    assert!(!encoder.accepts(&metric(MetricKind::Counter, "c", -1.0)));
    assert!(encoder.accepts(&metric(MetricKind::Gauge, "g", -1.0)));
    assert!(!encoder.accepts(&metric(MetricKind::Gauge, "g", f64::NAN)));
    assert!(!encoder.accepts(&metric(MetricKind::Distribution, "d", f64::INFINITY)));
    let empty = Payload::Telemetry {
        readings: vec![],
        managed: true,
    };
    assert!(!encoder.accepts(&record(Level::Info, "dev", &[]).with_payload(empty)));
    assert!(encoder.accepts(&record(Level::Info, "dev", &[]).with_payload(telemetry())));
    assert!(encoder.accepts(&record(Level::Debug, "log", &[])));
}

#[test]
fn partition_gives_one_batch_per_signal_within_the_item_limit() {
    let encoder = encoder();
    let mut records = every_kind();
    records.extend((0..MAX_ITEMS_PER_REQUEST).map(|i| record(Level::Info, &i.to_string(), &[])));
    let batches = encoder.partition(records);
    let shape: Vec<(Signal, usize)> = batches
        .iter()
        .map(|b| (Signal::of(&b[0]), b.len()))
        .collect();
    assert_eq!(
        shape,
        [
            (Signal::Logs, MAX_ITEMS_PER_REQUEST),
            (Signal::Logs, 3),
            (Signal::Traces, 1),
            (Signal::Metrics, 4),
        ]
    );
    assert!(batches
        .iter()
        .all(|b| b.iter().all(|r| Signal::of(r) == Signal::of(&b[0]))));
    assert_eq!(
        batches[0][0].message(),
        "log",
        "order within a signal is kept"
    );
    assert_eq!(batches[1][2].message(), "999");

    // A telemetry record counts one item per reading.
    let gauges = (0..MAX_ITEMS_PER_REQUEST - 1).map(|_| metric(MetricKind::Gauge, "g", 1.0));
    let mut metrics: Vec<Record> = gauges.collect();
    metrics.push(record(Level::Info, "dev", &[]).with_payload(telemetry()));
    let sizes: Vec<usize> = encoder.partition(metrics).iter().map(Vec::len).collect();
    assert_eq!(sizes, [MAX_ITEMS_PER_REQUEST - 1, 1]);
    assert!(
        encoder.partition(Vec::new()).is_empty(),
        "nothing to send for an empty batch"
    );
}
