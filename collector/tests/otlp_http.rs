//! The HTTP side of OTLP ingest against the real binary: media types, codings, limits, the
//! `/v1/logs` shared with LuminaLog, faults and `--discard` (otlp.md §11 rules 1–5).

mod common;

use common::{batch, gzip, Collector, Reply};
use serde_json::{json, Value};

const SPAN: &str = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /cart","startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600250000000"}]}]}]}"#;

const LOG_RECORD: &str = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1767225600000000000","severityNumber":13,"body":{"stringValue":"disk almost full"}}]}]}]}"#;

fn post(collector: &Collector, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    collector
        .request("POST", path, headers, Some(body))
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

fn message(reply: &Reply) -> String {
    reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn protobuf_and_other_codings_are_415() {
    let collector = Collector::start(&[]);
    let protobuf = post(
        &collector,
        "/v1/traces",
        &[("Content-Type", "application/x-protobuf")],
        SPAN.as_bytes(),
    );
    assert_eq!(protobuf.status, 415, "{}", protobuf.body);
    assert!(
        message(&protobuf).contains("x-protobuf is not supported"),
        "{}",
        protobuf.body
    );

    let brotli = post(
        &collector,
        "/v1/metrics",
        &[
            ("Content-Type", "application/json"),
            ("Content-Encoding", "br"),
        ],
        b"{}",
    );
    assert_eq!(brotli.status, 415, "{}", brotli.body);
    assert!(message(&brotli).contains("br"), "{}", brotli.body);
    assert!(collector.entries().is_empty());
}

#[test]
fn gzip_bodies_are_decoded() {
    let collector = Collector::start(&[]);
    let reply = post(
        &collector,
        "/v1/traces",
        &[
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
        ],
        &gzip(SPAN.as_bytes()),
    );
    assert_eq!((reply.status, reply.body.as_str()), (200, "{}"));
    assert_eq!(collector.entries()[0]["details"]["operation"], "GET /cart");
    assert_eq!(collector.requests()[0]["content_encoding"], "gzip");
}

#[test]
fn bodies_over_64_mib_are_413() {
    // LuminaLog's smaller limit must not apply to OTLP, so it is set far below the body.
    let collector = Collector::start(&["--max-body-bytes", "1024"]);
    // Concatenated gzip members (RFC 1952) make 64 MiB of padding from 64 KiB on the wire.
    let mut bomb = gzip(br#"{"resourceSpans":[],"padding":""#);
    let megabyte = gzip(&vec![b' '; 1 << 20]);
    for _ in 0..64 {
        bomb.extend_from_slice(&megabyte);
    }
    bomb.extend(gzip(b"\"}"));
    let zipped = [
        ("Content-Type", "application/json"),
        ("Content-Encoding", "gzip"),
    ];
    let reply = post(&collector, "/v1/traces", &zipped, &bomb);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(message(&reply).contains("67108864"), "{}", reply.body);

    // A body over LuminaLog's limit but within OTLP's is OTLP's to accept, on /v1/logs too.
    let padded = format!(r#"{{"resourceLogs":[],"padding":"{}"}}"#, " ".repeat(4096));
    let reply = post(&collector, "/v1/logs", &zipped, &gzip(padded.as_bytes()));
    assert_eq!((reply.status, reply.body.as_str()), (200, "{}"));
}

#[test]
fn shared_logs_path_routes_by_the_body_shape() {
    let collector = Collector::start(&[]);
    let luminalog = collector.post_logs(&batch(&[("info", "from luminalog")]));
    assert_eq!(luminalog.status, 200, "{}", luminalog.body);
    assert_eq!(luminalog.json()["processed"], 1);

    let otlp = collector.post_logs(LOG_RECORD.as_bytes());
    assert_eq!((otlp.status, otlp.body.as_str()), (200, "{}"));

    // With both members the body is OTLP, and its `logs` member is ignored as unknown.
    let mut both: Value = serde_json::from_str(LOG_RECORD).unwrap();
    both["logs"] = json!([{"level": "info", "message": "ignored"}]);
    let reply = collector.post_logs(both.to_string().as_bytes());
    assert_eq!((reply.status, reply.body.as_str()), (200, "{}"));

    let stored: Value = collector
        .entries()
        .iter()
        .map(|e| {
            ["protocol", "message", "level"]
                .map(|key| e[key].clone())
                .to_vec()
        })
        .collect();
    assert_eq!(
        stored,
        json!([
            ["luminalog", "from luminalog", 7],
            ["otlp", "disk almost full", 5],
            ["otlp", "disk almost full", 5],
        ])
    );
}

#[test]
fn a_status_fault_on_traces_sends_retry_after_and_stores_nothing() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"status":503,"count":1,"retry_after":2}"#);
    let faulted = collector.post_json("/v1/traces", SPAN.as_bytes());
    assert_eq!(faulted.status, 503, "{}", faulted.body);
    assert_eq!(faulted.header("retry-after"), Some("2"));
    assert!(collector.entries().is_empty());

    let retried = collector.post_json("/v1/traces", SPAN.as_bytes());
    assert_eq!((retried.status, retried.body.as_str()), (200, "{}"));
    assert_eq!(collector.entries().len(), 1);

    let seen: Value = collector
        .requests()
        .iter()
        .map(|r| {
            ["path", "status", "fault", "processed"]
                .map(|key| r[key].clone())
                .to_vec()
        })
        .collect();
    assert_eq!(
        seen,
        json!([
            ["/v1/traces", 503, "status", 0],
            ["/v1/traces", 200, null, 1],
        ])
    );
}

#[test]
fn discard_answers_otlp_paths_without_storing() {
    let collector = Collector::start(&["--discard"]);
    for path in ["/v1/traces", "/v1/metrics"] {
        let reply = collector.post_json(path, b"not even json");
        assert_eq!((reply.status, reply.body.as_str()), (200, "{}"), "{path}");
    }
    assert_eq!(collector.post_logs(LOG_RECORD.as_bytes()).status, 200);
    assert!(collector.entries().is_empty());
    assert_eq!(collector.requests().len(), 3);
}

#[test]
fn other_methods_and_paths_are_refused() {
    let collector = Collector::start(&[]);
    for path in ["/v1/traces", "/v1/metrics"] {
        let get = collector.get(path);
        assert_eq!(
            (get.status, get.header("allow")),
            (405, Some("POST")),
            "{path}"
        );
    }
    let profiles = collector.post_json("/v1/profiles", b"{}");
    assert_eq!(profiles.status, 404);
}
