//! The six non-log entry types through the LuminaLog wire and the collector's decoder.

mod common;

use std::time::Duration;

use common::{client, Collector};
use ferrolog::entry::{Audit, MetricKind, Payload, Reading, Span, SpanStatus};
use ferrolog::{DropReason, LogStatus, RecordError};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

fn only(collector: &Collector, kind: &str) -> Value {
    let mut entries = collector.entries(&format!("?kind={kind}"));
    assert_eq!(entries.len(), 1, "one {kind} entry");
    entries.remove(0)
}

#[test]
fn every_type_arrives_with_its_kind_level_and_details() {
    let collector = Collector::start();
    let client = client(&collector, &[("min_level", "error")]);
    let logger = client.logger();
    let emit = |name: &str, payload| {
        logger
            .emit(None, name, r#"{"region":"eu"}"#, payload)
            .unwrap()
    };

    let metric = Payload::Metric {
        value: 12.5,
        unit: Some("ms".into()),
        kind: MetricKind::Distribution,
    };
    assert_eq!(
        emit("db.query", metric),
        LogStatus::Accepted,
        "non-log entries pass min_level"
    );
    emit("user.signup", Payload::Event);
    let audit = Audit {
        actor: "u-1".into(),
        actor_type: Some("user".into()),
        resource: "invoice".into(),
        resource_id: "inv-9".into(),
        outcome: "success".into(),
    };
    emit("invoice.delete", Payload::Audit(audit));
    let reading = |name: &str, value| Reading {
        name: name.into(),
        value,
        unit: None,
    };
    let readings = vec![reading("temp", 21.5), reading("humidity", 40.0)];
    emit(
        "sensor-7",
        Payload::Telemetry {
            readings,
            managed: false,
        },
    );
    let span = Span {
        trace_id: [0x4b; 16],
        span_id: [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7],
        parent_span_id: Some([0x11; 8]),
        operation: "http.server".into(),
        start_unix_ns: 1_767_225_600_000_000_000,
        end_unix_ns: 1_767_225_600_250_000_000,
        status: SpanStatus::Error,
    };
    emit("GET /orders", Payload::Span(span));
    assert!(client.flush(WAIT).completed);

    let metric = only(&collector, "metric");
    assert_eq!(
        (metric["message"].as_str(), metric["level"].as_u64()),
        (Some("db.query"), Some(7))
    );
    assert_eq!(
        metric["details"],
        json!({"name": "db.query", "value": 12.5, "unit": "ms", "kind": "distribution"})
    );
    assert_eq!(metric["attributes"], json!({"region": "eu"}));

    assert_eq!(
        only(&collector, "event")["details"],
        json!({"event": "user.signup"})
    );

    let audit = only(&collector, "audit");
    // Audit entries are notices (6), which LuminaLog can only send as info (spec §10).
    assert_eq!(audit["level"], 7);
    assert_eq!(
        audit["details"],
        json!({"action": "invoice.delete", "actor": "u-1", "actor_type": "user",
               "resource": "invoice", "resource_id": "inv-9", "outcome": "success"})
    );

    let telemetry = only(&collector, "telemetry");
    assert_eq!(telemetry["details"]["device_id"], "sensor-7");
    assert_eq!(
        telemetry["details"]["readings"],
        json!([{"name": "temp", "value": 21.5}, {"name": "humidity", "value": 40.0}])
    );

    let span = only(&collector, "trace");
    assert_eq!(span["trace_id"], "4b".repeat(16));
    assert_eq!(span["span_id"], "00f067aa0ba902b7");
    assert_eq!(span["parent_span_id"], "1111111111111111");
    assert_eq!(
        span["details"],
        json!({"operation": "http.server", "name": "GET /orders",
               "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:00.25Z",
               "duration_ms": 250, "status": "error"})
    );
}

#[test]
fn audit_is_never_sampled_and_the_rest_is() {
    let collector = Collector::start();
    let client = client(&collector, &[("sample_rate", "0")]);
    let logger = client.logger();
    let audit = Audit {
        actor: "a".into(),
        actor_type: None,
        resource: "r".into(),
        resource_id: "1".into(),
        outcome: "failure".into(),
    };
    for _ in 0..20 {
        assert_eq!(
            logger
                .emit(None, "kept", "", Payload::Audit(audit.clone()))
                .unwrap(),
            LogStatus::Accepted
        );
        assert_eq!(
            logger.emit(None, "gone", "", Payload::Event).unwrap(),
            LogStatus::Filtered
        );
    }
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!((stats.sent, stats.dropped(DropReason::Sampled)), (20, 20));
    assert_eq!(collector.entries("?kind=audit").len(), 20);
}

#[test]
fn non_finite_values_are_refused_at_the_call() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let logger = client.logger();
    let nan = Payload::Metric {
        value: f64::NAN,
        unit: None,
        kind: MetricKind::Gauge,
    };
    assert_eq!(
        logger.emit(None, "bad", "", nan),
        Err(RecordError::NotFinite)
    );
    let infinite = Payload::Telemetry {
        readings: vec![Reading {
            name: "x".into(),
            value: f64::NEG_INFINITY,
            unit: None,
        }],
        managed: true,
    };
    assert_eq!(
        logger.emit(None, "bad", "", infinite),
        Err(RecordError::NotFinite)
    );
    assert_eq!(client.stats().accepted, 0);
}
