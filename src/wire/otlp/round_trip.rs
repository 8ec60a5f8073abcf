//! Encoder → decoder: every entry kind ferrolog sends over OTLP comes back as the same decoded
//! view, except what spec §11 lists as not recoverable (telemetry's grouping of readings).

use serde_json::{json, Map, Value};

use super::encode::tests::{audit, metric, record, span, telemetry, TS};
use super::encode::OtlpEncoder;
use super::options::test_options;
use super::{decode, Signal};
use crate::entry::{EntryKind, MetricKind, Payload, Record, SpanStatus};
use crate::level::Level;
use crate::pipeline::encoder::Encoder;
use crate::wire::decoded::DecodedEntry;

/// Encodes `records` as the pipeline would, one request per signal, and decodes each.
fn round_trip(records: Vec<Record>) -> Vec<DecodedEntry> {
    let mut options = test_options();
    options.environment = Some("prod".into());
    let mut encoder = OtlpEncoder::new(options);
    let mut decoded = Vec::new();
    for batch in encoder.partition(records) {
        let signal = Signal::of(&batch[0]);
        let body = encoder.body(&batch);
        let result = decode(signal, &body, 0).unwrap();
        assert_eq!(result.rejected, 0, "{:?}", result.first_rejection);
        decoded.extend(result.entries);
    }
    decoded
}

fn expected(kind: EntryKind, level: Level, message: &str, attributes: Value) -> DecodedEntry {
    let Value::Object(attributes) = attributes else {
        panic!("attributes must be an object");
    };
    DecodedEntry {
        protocol: "otlp".into(),
        kind,
        level: level.number(),
        timestamp: "2026-01-01T00:00:00.000000Z".into(),
        message: message.into(),
        attributes,
        environment: Some("prod".into()),
        project_id: None,
        privacy_mode: None,
        error: None,
        trace_id: None,
        span_id: None,
        parent_span_id: None,
        details: None,
    }
}

fn with_details(mut entry: DecodedEntry, details: Value) -> DecodedEntry {
    entry.details = Some(details);
    entry
}

#[test]
fn logs_keep_level_message_and_typed_attributes() {
    let attributes = json!({"n": 3, "big": -9007199254740993i64, "ratio": 0.5, "ok": true,
        "tags": ["a", 1, [false]], "obj": {"k": "v", "inner": {"x": 1.25}}, "empty": ""});
    let mut with_null = attributes.clone();
    with_null["gone"] = Value::Null;
    let mut json_record = Record::with_json(
        Level::Critical,
        "disk low",
        &with_null.to_string(),
        Default::default(),
    )
    .unwrap();
    json_record.timestamp_ns = TS;
    let mut records = vec![json_record];
    records.extend(Level::ALL.map(|level| record(level, level.name(), &[("user", "7")])));

    let mut want = vec![expected(
        EntryKind::Log,
        Level::Critical,
        "disk low",
        attributes,
    )];
    want.extend(Level::ALL.map(|l| expected(EntryKind::Log, l, l.name(), json!({"user": "7"}))));
    assert_eq!(round_trip(records), want);
}

#[test]
fn events_and_audits_come_back_with_their_members() {
    let records = vec![
        record(Level::Info, "signup", &[("plan", "pro")]).with_payload(Payload::Event),
        record(Level::Notice, "delete", &[("ip", "::1")]).with_payload(audit(Some("user"))),
        record(Level::Warning, "export", &[]).with_payload(audit(None)),
    ];
    let audit_details = |action: &str| {
        json!({"action": action, "actor": "u1", "resource": "doc", "resource_id": "7",
               "outcome": "success"})
    };
    let mut typed = audit_details("delete");
    typed["actor_type"] = json!("user");
    let want = vec![
        with_details(
            expected(
                EntryKind::Event,
                Level::Info,
                "signup",
                json!({"plan": "pro"}),
            ),
            json!({"event": "signup"}),
        ),
        with_details(
            expected(
                EntryKind::Audit,
                Level::Notice,
                "delete",
                json!({"ip": "::1"}),
            ),
            typed,
        ),
        with_details(
            expected(EntryKind::Audit, Level::Warning, "export", json!({})),
            audit_details("export"),
        ),
    ];
    assert_eq!(round_trip(records), want);
}

#[test]
fn spans_come_back_with_ids_times_and_status() {
    let records = vec![
        record(Level::Info, "GET /", &[("error.message", "boom")]).with_payload(span(
            "http.server",
            true,
            SpanStatus::Error,
        )),
        record(Level::Info, "q", &[]).with_payload(span("db.query", false, SpanStatus::Ok)),
    ];
    let span_entry = |message: &str, attributes, operation: &str, status: &str| {
        let mut entry = expected(EntryKind::Trace, Level::Info, message, attributes);
        entry.trace_id = Some("4bf92f3577b34da6a3ce929d0e0e4736".into());
        entry.span_id = Some("00f067aa0ba902b7".into());
        with_details(
            entry,
            json!({"operation": operation, "name": message,
                   "start_time": "2025-12-31T23:59:58.5Z", "end_time": "2026-01-01T00:00:00Z",
                   "duration_ms": 1500, "status": status}),
        )
    };
    let mut child = span_entry(
        "GET /",
        json!({"error.message": "boom"}),
        "http.server",
        "error",
    );
    child.parent_span_id = Some("ff00000000000001".into());
    let root = span_entry("q", json!({}), "db.query", "ok");
    assert_eq!(round_trip(records), [child, root]);
}

#[test]
fn metrics_and_telemetry_come_back_as_metric_entries() {
    let records = vec![
        metric(MetricKind::Counter, "requests", 3.0),
        metric(MetricKind::Gauge, "queue", -2.5),
        metric(MetricKind::Distribution, "latency", 12.75),
        metric(MetricKind::Distribution, "delta", -4.0),
        record(Level::Info, "dev-1", &[("site", "b")]).with_payload(telemetry()),
    ];
    let metric_entry = |name: &str, value: f64, unit: Option<&str>, kind: &str, attributes| {
        let mut details = Map::new();
        details.insert("name".into(), json!(name));
        details.insert("value".into(), json!(value));
        if let Some(unit) = unit {
            details.insert("unit".into(), json!(unit));
        }
        details.insert("kind".into(), json!(kind));
        with_details(
            expected(EntryKind::Metric, Level::Info, name, attributes),
            Value::Object(details),
        )
    };
    let device = json!({"device.id": "dev-1", "site": "b"});
    let want = vec![
        metric_entry("requests", 3.0, Some("ms"), "counter", json!({})),
        metric_entry("queue", -2.5, Some("ms"), "gauge", json!({})),
        metric_entry("latency", 12.75, Some("ms"), "distribution", json!({})),
        metric_entry("delta", -4.0, Some("ms"), "distribution", json!({})),
        metric_entry("temp", 21.5, Some("Cel"), "gauge", device.clone()),
        metric_entry("rpm", 900.0, None, "gauge", device),
    ];
    assert_eq!(round_trip(records), want);
}
