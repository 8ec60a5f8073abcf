//! `POST /v1/logs` against the real binary: spec luminalog.md §8 and checklist items 13–14.

mod common;

use common::{batch, gzip, Collector};
use serde_json::{json, Value};

/// What the Python SDK sends: `json.dumps` separators, `\u` escapes for non-ASCII, and no
/// fraction when the microsecond is 0.
const SDK_BODY: &str = r#"{"api_key": "ll_test_123", "logs": [{"timestamp": "2026-03-15T14:30:45", "level": "info", "message": "caf\u00e9 opened", "environment": "production", "privacy_mode": false, "metadata": {"user": "\u00fcser-1", "attempt": 2}}, {"timestamp": "2026-03-15T14:30:46.250000", "level": "verbose", "message": "skipped", "environment": "production", "privacy_mode": false, "metadata": null}, {"timestamp": "2026-03-15T14:30:47.000001", "level": "ERROR", "message": "division by zero", "environment": "production", "privacy_mode": false, "metadata": null, "error": {"type": "ZeroDivisionError", "message": "division by zero", "stack_trace": ["  File \"app.py\", line 3, in <module>\n"], "context": null}}]}"#;

#[test]
fn sdk_style_body_is_accepted_and_decoded() {
    let collector = Collector::start(&[]);
    let reply = collector.post_logs(SDK_BODY.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.json(),
        json!({"message": "OK", "processed": 2, "rejected": 1, "debug_user_id": "local"})
    );

    let entries = collector.entries();
    assert_eq!(entries.len(), 2);
    let first = &entries[0];
    assert_eq!(first["protocol"], "luminalog");
    assert_eq!(first["kind"], "log");
    assert_eq!(first["level"], 7);
    assert_eq!(first["message"], "café opened");
    assert_eq!(first["timestamp"], "2026-03-15T14:30:45.000000Z");
    assert_eq!(first["environment"], "production");
    assert_eq!(first["attributes"], json!({"user": "üser-1", "attempt": 2}));
    let second = &entries[1];
    assert_eq!(second["level"], 4);
    assert_eq!(second["timestamp"], "2026-03-15T14:30:47.000001Z");
    assert_eq!(second["error"]["type"], "ZeroDivisionError");
}

#[test]
fn unknown_level_is_rejected_while_the_others_are_stored() {
    let collector = Collector::start(&[]);
    let body = batch(&[("info", "one"), ("verbose", "two"), ("debug", "three")]);
    let reply = collector.post_logs(&body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["processed"], 2);
    assert_eq!(reply.json()["rejected"], 1);

    let messages: Vec<Value> = collector
        .entries()
        .iter()
        .map(|e| e["message"].clone())
        .collect();
    assert_eq!(messages, [json!("one"), json!("three")]);

    let requests = collector.requests();
    let rejection = &requests[0]["rejections"][0];
    assert_eq!(rejection["index"], 1);
    assert!(rejection["reason"].as_str().unwrap().contains("verbose"));
}

#[test]
fn api_key_is_required() {
    let collector = Collector::start(&[]);
    for body in [
        r#"{"logs": []}"#,
        r#"{"api_key": "", "logs": []}"#,
        r#"{"api_key": 7, "logs": []}"#,
    ] {
        let reply = collector.post_logs(body.as_bytes());
        assert_eq!(reply.status, 401, "{body}");
        assert!(reply.json()["message"]
            .as_str()
            .unwrap()
            .contains("api_key"));
    }
    assert!(collector.entries().is_empty());
}

#[test]
fn configured_api_keys_restrict_access() {
    let collector = Collector::start(&["--api-key", "alpha", "--api-key", "beta"]);
    let with_key = |key: &str| {
        let body = json!({"api_key": key, "logs": []}).to_string();
        collector.post_logs(body.as_bytes()).status
    };
    assert_eq!(with_key("alpha"), 200);
    assert_eq!(with_key("beta"), 200);
    assert_eq!(with_key("gamma"), 401);
}

#[test]
fn malformed_batches_are_400_and_store_nothing() {
    let collector = Collector::start(&[]);
    for body in [
        "[]",
        "\"logs\"",
        "{\"api_key\": \"k\", \"logs\": ",
        r#"{"api_key": "k", "logs": {"0": {}}}"#,
        // Without a `logs` member the body is OTLP's (§8 "Routing"), so `logs` is here, null.
        r#"{"api_key": "k", "logs": null}"#,
    ] {
        let reply = collector.post_logs(body.as_bytes());
        assert_eq!(reply.status, 400, "{body}: {}", reply.body);
        assert!(reply.json()["message"].is_string());
    }
    assert!(collector.entries().is_empty());
    let healthy = collector.get("/health");
    assert_eq!((healthy.status, healthy.body.as_str()), (200, "OK"));
}

#[test]
fn gzip_bodies_are_decoded() {
    let collector = Collector::start(&[]);
    let body = gzip(&batch(&[("info", "zipped"), ("warn", "also zipped")]));
    let reply = collector
        .request(
            "POST",
            "/v1/logs",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            Some(&body),
        )
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["processed"], 2);
    assert_eq!(collector.entries()[1]["message"], "also zipped");
    assert_eq!(collector.requests()[0]["content_encoding"], "gzip");

    let garbage = collector
        .request(
            "POST",
            "/v1/logs",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            Some(b"{\"api_key\":\"k\",\"logs\":[]}"),
        )
        .unwrap();
    assert_eq!(garbage.status, 400);
}

#[test]
fn media_type_and_encoding_are_checked_first() {
    let collector = Collector::start(&[]);
    let body = batch(&[("info", "x")]);
    let post = |headers: &[(&str, &str)]| {
        collector
            .request("POST", "/v1/logs", headers, Some(&body))
            .unwrap()
    };
    assert_eq!(post(&[("Content-Type", "text/plain")]).status, 415);
    assert_eq!(post(&[]).status, 415);
    assert_eq!(
        post(&[("Content-Type", "application/json; charset=utf-8")]).status,
        200
    );
    let brotli = post(&[
        ("Content-Type", "application/json"),
        ("Content-Encoding", "br"),
    ]);
    assert_eq!(brotli.status, 415);
    assert!(brotli.json()["message"].as_str().unwrap().contains("br"));
    // The media type is judged before anything else about the request.
    let bad_everything = collector
        .request(
            "POST",
            "/v1/logs",
            &[("Content-Type", "text/plain"), ("Content-Encoding", "br")],
            Some(b"not json"),
        )
        .unwrap();
    assert_eq!(bad_everything.status, 415);
    assert_eq!(collector.entries().len(), 1);
}

#[test]
fn oversized_bodies_are_413() {
    let collector = Collector::start(&["--max-body-bytes", "4096"]);
    let small = batch(&[("info", "fits")]);
    assert_eq!(collector.post_logs(&small).status, 200);

    let big_message = "x".repeat(8000);
    let big = batch(&[("info", &big_message)]);
    let reply = collector.post_logs(&big);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.json()["message"].as_str().unwrap().contains("4096"));

    // Well-compressed text under the limit on the wire is still too large once inflated.
    let zipped = gzip(&big);
    assert!(zipped.len() < 4096);
    let inflated = collector
        .request(
            "POST",
            "/v1/logs",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            Some(&zipped),
        )
        .unwrap();
    assert_eq!(inflated.status, 413);
    assert_eq!(collector.entries().len(), 1);
}

#[test]
fn gzip_bomb_is_413_at_the_default_limit() {
    let collector = Collector::start(&[]);
    // 64 MiB once inflated, 64 KiB on the wire: gzip members may be concatenated (RFC 1952),
    // so one compressed mebibyte of zeros repeated makes the bomb without compressing it all.
    let mut bomb = gzip(b"{\"api_key\":\"k\",\"logs\":[\"");
    let megabyte = gzip(&vec![b'0'; 1 << 20]);
    for _ in 0..64 {
        bomb.extend_from_slice(&megabyte);
    }
    assert!(bomb.len() < 128 * 1024, "{}", bomb.len());

    let reply = collector
        .request(
            "POST",
            "/v1/logs",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            Some(&bomb),
        )
        .unwrap();
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(collector.get("/health").status, 200);
}

#[test]
fn ferrolog_metrics_carried_in_metadata_are_stored_as_metrics() {
    let collector = Collector::start(&[]);
    let body = json!({"api_key": "k", "logs": [{
        "timestamp": "2026-01-01T12:00:00.000000+02:00",
        "level": "info",
        "message": "latency",
        "environment": "default",
        "privacy_mode": false,
        "metadata": {"route": "/a", "ferrolog": {"type": "metric", "name": "latency", "value": 12.5, "unit": "ms", "kind": "gauge"}},
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "span_id": "00f067aa0ba902b7"
    }]});
    let reply = collector.post_logs(body.to_string().as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let entry = &collector.entries()[0];
    assert_eq!(entry["kind"], "metric");
    assert_eq!(entry["timestamp"], "2026-01-01T10:00:00.000000Z");
    assert_eq!(
        entry["details"],
        json!({"name": "latency", "value": 12.5, "unit": "ms", "kind": "gauge"})
    );
    assert_eq!(entry["attributes"], json!({"route": "/a"}));
    assert_eq!(entry["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(entry["span_id"], "00f067aa0ba902b7");
}

#[test]
fn other_methods_and_paths_are_refused_and_logged() {
    let collector = Collector::start(&[]);
    let get = collector.get("/v1/logs");
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
    assert_eq!(collector.get("/v2/nothing").status, 404);
    let requests = collector.requests();
    let seen: Vec<(Value, Value, Value)> = requests
        .iter()
        .map(|r| (r["method"].clone(), r["path"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (json!("GET"), json!("/v1/logs"), json!(405)),
            (json!("GET"), json!("/v2/nothing"), json!(404)),
        ]
    );
}
