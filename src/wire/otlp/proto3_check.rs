//! Checklist item 10: what the encoder writes parses with the official protobuf definitions
//! (opentelemetry-proto's proto3 JSON parser, unknown fields refused), for every entry kind.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::json;

use super::encode::tests::{audit, metric, record, span, telemetry};
use super::encode::OtlpEncoder;
use super::options::test_options;
use super::Signal;
use crate::entry::{MetricKind, Payload, Record, SpanStatus};
use crate::level::Level;
use crate::pipeline::encoder::Encoder;

/// The Python that scripts/install-deps.sh prepared, or the one `FERROLOG_TEST_PYTHON` names.
fn python() -> PathBuf {
    let path = std::env::var_os("FERROLOG_TEST_PYTHON").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("build/venv/bin/python3"),
        PathBuf::from,
    );
    assert!(
        path.exists(),
        "{} is missing: run `make deps` (scripts/install-deps.sh)",
        path.display()
    );
    path
}

/// How many records, spans or points the official parser read from `body`.
fn parsed_count(signal: Signal, body: &[u8]) -> usize {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/otlp_proto3/parse.py");
    let name = match signal {
        Signal::Logs => "logs",
        Signal::Traces => "traces",
        Signal::Metrics => "metrics",
    };
    let mut child = Command::new(python())
        .args([script, name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the proto3 parser");
    child.stdin.take().unwrap().write_all(body).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{name} body refused: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(body)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn every_kind_parses_with_the_official_definitions() {
    let json_attributes = json!({"n": 3, "big": -9007199254740993i64, "ratio": 0.5,
        "tags": ["a", 1, [false]], "obj": {"k": "v"}, "empty": ""});
    let mut typed = Record::with_json(
        Level::Critical,
        "typed",
        &json_attributes.to_string(),
        Default::default(),
    )
    .unwrap();
    typed.timestamp_ns = record(Level::Info, "", &[]).timestamp_ns;
    let records = vec![
        typed,
        record(Level::Debug, "plain", &[("user", "7")]),
        record(Level::Info, "signup", &[]).with_payload(Payload::Event),
        record(Level::Notice, "delete", &[]).with_payload(audit(Some("user"))),
        record(Level::Info, "readings", &[]).with_payload(telemetry()),
        record(Level::Info, "GET /", &[("error.message", "boom")]).with_payload(span(
            "http.server",
            true,
            SpanStatus::Error,
        )),
        record(Level::Info, "job", &[]).with_payload(span("", false, SpanStatus::Ok)),
        metric(MetricKind::Counter, "requests", 5.0),
        metric(MetricKind::Gauge, "memory", 0.75),
        metric(MetricKind::Distribution, "latency", 12.5),
    ];
    let mut encoder = OtlpEncoder::new(test_options());
    let mut seen = Vec::new();
    for batch in encoder.partition(records) {
        let signal = Signal::of(&batch[0]);
        let body = encoder.body(&batch);
        seen.push((signal, parsed_count(signal, &body)));
    }
    seen.sort_by_key(|(signal, _)| *signal as u8);
    // Telemetry's two readings travel as gauge points beside the three metrics.
    assert_eq!(
        seen,
        [(Signal::Logs, 4), (Signal::Traces, 2), (Signal::Metrics, 5)]
    );
}
