//! LogFlux v3 against the real binary, driven by the library's client-side pieces: handshake
//! (spec §6), ingest and its order of checks (§12), and the §7 payload as stored entries.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::OnceLock;

use common::{Collector, Reply};
use ferrolog::entry::EntryKind;
use ferrolog::wire::logflux::crypto::{AesKey, PrivateKey, DEFAULT_RSA_BITS};
use ferrolog::wire::logflux::handshake::{
    complete_request_body, init_request_body, parse_complete_response, parse_init_response,
};
use ferrolog::wire::logflux::multipart::{self, Boundary, Part};
use ferrolog::wire::logflux::part::{Entry, PartEncoder, KEY_ID, NONCE};
use ferrolog::wire::logflux::Session;
use serde_json::{json, Value};
use tempfile::TempDir;

const API_KEY: &str = "eu-lf_test";
const TS: &str = "2026-03-15T14:30:45.1234Z";

/// One payload per entry type, written by hand after spec §7, with the aliases and omissions
/// the collector must accept (`metric_type`, `description`, no `level`, no `outcome`).
const PAYLOADS: [(EntryKind, &str); 8] = [
    (
        EntryKind::Log,
        r#"{"v":"2.0","type":"log","source":"svc","level":5,"ts":"2026-03-15T14:30:45.1234Z","attributes":{"user":"42"},"meta":{"environment":"prod","release":"1.0"},"message":"disk almost full","logger":"fs"}"#,
    ),
    (
        EntryKind::Log,
        r#"{"v":"2.0","type":"log","source":"svc","level":4,"ts":"2026-03-15T14:30:45Z","message":"open failed","error_type":"io::Error","stack_trace":[{"function":"main","file":"main.rs","line":3}]}"#,
    ),
    (
        EntryKind::Metric,
        r#"{"v":"2.0","type":"metric","source":"svc","level":7,"ts":"2026-03-15T14:30:45Z","name":"latency","value":12.5,"unit":"ms","metric_type":"gauge"}"#,
    ),
    (
        EntryKind::Trace,
        r#"{"v":"2.0","type":"trace","source":"svc","ts":"2026-03-15T14:30:45Z","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","parent_span_id":"1111111111111111","operation":"db","description":"select users","start_time":"2026-03-15T14:30:44Z","end_time":"2026-03-15T14:30:45Z","duration_ms":1000,"status":"ok"}"#,
    ),
    (
        EntryKind::Event,
        r#"{"v":"2.0","type":"event","source":"svc","level":7,"ts":"2026-03-15T14:30:45Z","event":"signup"}"#,
    ),
    (
        EntryKind::Audit,
        r#"{"v":"2.0","type":"audit","source":"svc","level":6,"ts":"2026-03-15T14:30:45Z","action":"delete","actor":"u1","actor_type":"user","resource":"doc","resource_id":"7"}"#,
    ),
    (
        EntryKind::Telemetry,
        r#"{"v":"2.0","type":"telemetry","source":"svc","level":7,"ts":"2026-03-15T14:30:45Z","device_id":"sensor-1","readings":[{"name":"temp","value":21.5,"unit":"C"}]}"#,
    ),
    (
        EntryKind::TelemetryManaged,
        r#"{"v":"2.0","type":"telemetry","source":"svc","level":7,"ts":"2026-03-15T14:30:45Z","device_id":"sensor-2","readings":[{"name":"rpm","value":900}]}"#,
    ),
];

const EVENT: &str = r#"{"v":"2.0","type":"event","source":"svc","level":7,"ts":"2026-03-15T14:30:45Z","event":"ok"}"#;

/// A data dir holding a key pair already, since making one per collector is slow in debug
/// builds; the collector's own key generation has a test of its own.
fn seeded_dir() -> TempDir {
    static PEM: OnceLock<String> = OnceLock::new();
    let pem = PEM.get_or_init(|| {
        let key = PrivateKey::generate(DEFAULT_RSA_BITS).unwrap();
        key.to_pkcs8_pem().to_string()
    });
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("logflux-key.pem"), pem).unwrap();
    dir
}

fn post(collector: &Collector, path: &str, api_key: Option<&str>, body: &[u8]) -> Reply {
    post_as(collector, path, api_key, "application/json", body)
}

fn post_as(
    collector: &Collector,
    path: &str,
    api_key: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Reply {
    let bearer = api_key.map(|key| format!("Bearer {key}"));
    let mut headers = vec![("Content-Type", content_type)];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer));
    }
    collector
        .request("POST", path, &headers, Some(body))
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// What a client does at start (spec §5): init, wrap a fresh AES key, complete.
fn handshake(collector: &Collector, api_key: &str) -> Session {
    let init = post(
        collector,
        "/v1/handshake/init",
        Some(api_key),
        &init_request_body(api_key),
    );
    assert_eq!(init.status, 200, "{}", init.body);
    let answer = parse_init_response(init.body.as_bytes()).unwrap();
    let key = AesKey::generate();
    let secret = answer.public_key.wrap_key(&key).unwrap();
    let complete = post(
        collector,
        "/v1/handshake/complete",
        Some(api_key),
        &complete_request_body(api_key, &secret),
    );
    assert_eq!(complete.status, 200, "{}", complete.body);
    Session {
        key_id: parse_complete_response(complete.body.as_bytes()).unwrap(),
        key,
        limits: answer.limits,
    }
}

fn seal(session: &Session, kind: EntryKind, json: &str) -> Part {
    seal_with(&mut PartEncoder::new(true), session, kind, json)
}

fn seal_with(encoder: &mut PartEncoder, session: &Session, kind: EntryKind, json: &str) -> Part {
    let entry = Entry {
        kind,
        json: json.as_bytes(),
        timestamp: TS,
    };
    encoder.encode(&entry, session).unwrap()
}

fn ingest(collector: &Collector, parts: &[Part]) -> Reply {
    let boundary = Boundary::random();
    let body = multipart::encode(parts, &boundary);
    post_as(
        collector,
        "/v1/ingest",
        Some(API_KEY),
        &boundary.content_type(),
        &body,
    )
}

fn without(part: &Part, header: &str) -> Part {
    let mut part = part.clone();
    part.headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case(header));
    part
}

fn error_code(reply: &Reply) -> Value {
    let body = reply.json();
    assert_eq!(body["status"], "error", "{}", reply.body);
    assert!(body["request_id"].is_string(), "{}", reply.body);
    body["error"]["code"].clone()
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn every_entry_type_is_stored_with_its_kind_level_and_details() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    let session = handshake(&collector, API_KEY);
    let parts: Vec<Part> = PAYLOADS
        .iter()
        .map(|(kind, json)| seal(&session, *kind, json))
        .collect();

    let reply = ingest(&collector, &parts);
    assert_eq!(reply.status, 202, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["status"], "success");
    assert_eq!(
        body["data"],
        json!({"total": 8, "succeeded": 8, "failed": 0, "failures": []})
    );

    let entries = collector.entries();
    let summary: Vec<(Value, Value, Value)> = entries
        .iter()
        .map(|e| (e["kind"].clone(), e["level"].clone(), e["message"].clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (json!("log"), json!(5), json!("disk almost full")),
            (json!("log"), json!(4), json!("open failed")),
            (json!("metric"), json!(7), json!("latency")),
            (json!("trace"), json!(7), json!("select users")),
            (json!("event"), json!(7), json!("signup")),
            (json!("audit"), json!(6), json!("delete")),
            (json!("telemetry"), json!(7), json!("sensor-1")),
            (json!("telemetry_managed"), json!(7), json!("sensor-2")),
        ]
    );
    assert!(entries.iter().all(|e| e["protocol"] == "logflux"));

    let log = &entries[0];
    assert_eq!(log["timestamp"], "2026-03-15T14:30:45.123400Z");
    assert_eq!(log["attributes"], json!({"user": "42"}));
    assert_eq!(log["environment"], "prod");
    assert_eq!(
        log["details"],
        json!({"logger": "fs", "source": "svc", "release": "1.0", "timestamp_header": TS})
    );
    assert_eq!(entries[1]["error"]["type"], "io::Error");
    assert_eq!(entries[1]["error"]["stack_trace"][0]["line"], 3);
    assert_eq!(entries[2]["details"]["kind"], "gauge");
    assert_eq!(entries[2]["details"]["value"], 12.5);
    let span = &entries[3];
    assert_eq!(span["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(span["span_id"], "00f067aa0ba902b7");
    assert_eq!(span["parent_span_id"], "1111111111111111");
    assert_eq!(span["details"]["operation"], "db");
    assert_eq!(span["details"]["duration_ms"], 1000);
    assert_eq!(span["details"].get("trace_id"), None);
    assert_eq!(entries[4]["details"]["event"], "signup");
    assert_eq!(entries[5]["details"]["outcome"], "success");
    assert_eq!(entries[5]["details"]["actor_type"], "user");
    assert_eq!(entries[6]["details"]["readings"][0]["unit"], "C");

    let managed = collector.get_json("/api/entries?kind=telemetry_managed");
    assert_eq!(managed.as_array().unwrap().len(), 1);
    let request = &collector.requests()[2];
    assert_eq!(
        (&request["path"], &request["status"], &request["processed"]),
        (&json!("/v1/ingest"), &json!(202), &json!(8))
    );
}

#[test]
fn key_pair_is_private_and_key_ids_survive_a_restart() {
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("data");
    let collector = Collector::start_in(&data_dir, &[]);
    let session = handshake(&collector, API_KEY);
    let public_key = collector_public_key(&collector);

    assert_eq!(mode(&data_dir), 0o700);
    let key_file = data_dir.join("logflux-key.pem");
    assert_eq!(mode(&key_file), 0o600);
    assert!(fs::read_to_string(&key_file)
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(mode(&data_dir.join("logflux-sessions.json")), 0o600);
    drop(collector);

    let restarted = Collector::start_in(&data_dir, &[]);
    assert_eq!(collector_public_key(&restarted), public_key);
    let reply = ingest(&restarted, &[seal(&session, EntryKind::Event, EVENT)]);
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(restarted.entries().len(), 1);
}

fn collector_public_key(collector: &Collector) -> String {
    let reply = post(
        collector,
        "/v1/handshake/init",
        Some(API_KEY),
        &init_request_body(API_KEY),
    );
    parse_init_response(reply.body.as_bytes())
        .unwrap()
        .public_key
        .to_pem()
}

#[test]
fn a_key_id_not_owned_by_the_api_key_refuses_the_whole_request() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    let mine = handshake(&collector, API_KEY);
    let theirs = handshake(&collector, "eu-lf_other");
    let made_up = Session {
        key_id: "00000000-0000-4000-8000-000000000000".to_owned(),
        ..mine.clone()
    };
    for stranger in [&theirs, &made_up] {
        let parts = [
            seal(&mine, EntryKind::Event, EVENT),
            seal(stranger, EntryKind::Event, EVENT),
        ];
        let reply = ingest(&collector, &parts);
        assert_eq!(reply.status, 401, "{}", reply.body);
        assert_eq!(error_code(&reply), "unknown_key_id");
    }
    assert!(collector.entries().is_empty());
}

#[test]
fn api_keys_are_checked_on_every_path() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &["--api-key", API_KEY]);
    let init = |key: Option<&str>, body: &[u8]| post(&collector, "/v1/handshake/init", key, body);

    for (key, body) in [
        (None, init_request_body("")),
        (None, b"{}".to_vec()),
        (None, b"not json".to_vec()),
        (None, init_request_body("eu-lf_wrong")),
        (Some("eu-lf_wrong"), init_request_body(API_KEY)),
    ] {
        let reply = init(key, &body);
        assert_eq!(reply.status, 401, "{key:?}: {}", reply.body);
        assert_eq!(error_code(&reply), "unauthorized");
    }
    // Without the header the body's key counts, as older ingestors read only the body.
    assert_eq!(init(None, &init_request_body(API_KEY)).status, 200);
    let not_an_object = init(Some(API_KEY), b"[]");
    assert_eq!(not_an_object.status, 400);
    assert_eq!(error_code(&not_an_object), "invalid_request");
    let bad_secret = post(
        &collector,
        "/v1/handshake/complete",
        Some(API_KEY),
        &complete_request_body(API_KEY, "AAAA"),
    );
    assert_eq!(bad_secret.status, 400);
    assert_eq!(error_code(&bad_secret), "invalid_secret");

    let session = handshake(&collector, API_KEY);
    let boundary = Boundary::random();
    let body = multipart::encode(&[seal(&session, EntryKind::Event, EVENT)], &boundary);
    for key in [None, Some("eu-lf_wrong")] {
        let reply = post_as(
            &collector,
            "/v1/ingest",
            key,
            &boundary.content_type(),
            &body,
        );
        assert_eq!(reply.status, 401, "{key:?}: {}", reply.body);
        assert_eq!(error_code(&reply), "unauthorized");
    }
    assert!(collector.entries().is_empty());
}

#[test]
fn failed_parts_are_reported_and_the_others_stored() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    let session = handshake(&collector, API_KEY);
    let good = seal(&session, EntryKind::Event, EVENT);
    let mut tampered = good.clone();
    tampered.body[3] ^= 1;
    let parts = [
        good.clone(),
        tampered,
        without(&good, "X-LF-Entry-Type"),
        without(&good, KEY_ID),
        without(&good, NONCE),
        seal(&session, EntryKind::Event, "[1]"),
        seal(&session, EntryKind::Event, r#"{"v":"2.0","type":"event"}"#),
        good,
    ];

    let reply = ingest(&collector, &parts);
    assert_eq!(reply.status, 202, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["status"], "partial");
    assert_eq!(
        body["data"],
        json!({"total": 8, "succeeded": 2, "failed": 6, "failures": [
            {"index": 1, "error": "decrypt_failed"},
            {"index": 2, "error": "invalid_entry_type"},
            {"index": 3, "error": "missing_key_id"},
            {"index": 4, "error": "invalid_nonce"},
            {"index": 5, "error": "invalid_json"},
            {"index": 6, "error": "validation_error"},
        ]})
    );
    assert_eq!(collector.entries().len(), 2);
    let requests = collector.requests();
    let logged = &requests.last().unwrap()["rejections"];
    assert_eq!(logged[5]["index"], 6);
    assert!(logged[5]["reason"]
        .as_str()
        .unwrap()
        .contains("source is missing"));
}

#[test]
fn compression_is_sniffed_not_trusted() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    let session = handshake(&collector, API_KEY);
    let mut plain = PartEncoder::new(false);
    let uncompressed = seal_with(&mut plain, &session, EntryKind::Event, EVENT);
    let managed = PAYLOADS[7].1;
    let uncompressed_managed =
        seal_with(&mut plain, &session, EntryKind::TelemetryManaged, managed);
    assert_eq!(uncompressed.header("X-LF-Payload-Type"), Some("1"));

    // Starts like gzip, so it is gunzipped, and fails there.
    let (nonce, sealed) = session.key.seal(&[0x1f, 0x8b, b'{', b'}']);
    let mut false_gzip = uncompressed.clone();
    false_gzip.body = sealed;
    false_gzip
        .headers
        .iter_mut()
        .filter(|(name, _)| name == NONCE)
        .for_each(|(_, value)| *value = nonce.to_base64());

    let reply = ingest(
        &collector,
        &[uncompressed, uncompressed_managed, false_gzip],
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(
        reply.json()["data"]["failures"],
        json!([{"index": 2, "error": "decompress_failed"}])
    );
    let kinds: Vec<Value> = collector
        .entries()
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("event"), json!("telemetry_managed")]);
}

#[test]
fn whole_request_problems_store_nothing() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    let session = handshake(&collector, API_KEY);
    let part = seal(&session, EntryKind::Event, EVENT);
    let body = multipart::encode(std::slice::from_ref(&part), &Boundary::random());

    let cases = [
        ("application/json", 415, "unsupported_media_type"),
        (
            "multipart/form-data; boundary=x",
            415,
            "unsupported_media_type",
        ),
        ("multipart/mixed", 400, "invalid_multipart"),
        (
            "multipart/mixed; boundary=not-the-one",
            400,
            "invalid_multipart",
        ),
    ];
    for (content_type, status, code) in cases {
        let reply = post_as(&collector, "/v1/ingest", Some(API_KEY), content_type, &body);
        assert_eq!(reply.status, status, "{content_type}: {}", reply.body);
        assert_eq!(error_code(&reply), code, "{content_type}");
    }

    let too_many = vec![part; 1001];
    let reply = ingest(&collector, &too_many);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(error_code(&reply), "payload_too_large");
    assert!(collector.entries().is_empty());
    assert_eq!(
        ingest(&collector, &too_many[..1000]).status,
        202,
        "1000 parts is the limit, not over it"
    );
}

#[test]
fn faults_discard_and_methods_apply_to_logflux_paths() {
    let dir = seeded_dir();
    let collector = Collector::start_in(dir.path(), &[]);
    collector.set_fault(r#"{"status":503,"count":1}"#);
    let faulted = post(
        &collector,
        "/v1/handshake/init",
        Some(API_KEY),
        &init_request_body(API_KEY),
    );
    assert_eq!(faulted.status, 503);
    let session = handshake(&collector, API_KEY);

    let get = collector.get("/v1/ingest");
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));
    let paths: Vec<(Value, Value)> = collector
        .requests()
        .iter()
        .map(|r| (r["path"].clone(), r["status"].clone()))
        .collect();
    assert_eq!(
        paths,
        [
            (json!("/v1/handshake/init"), json!(503)),
            (json!("/v1/handshake/init"), json!(200)),
            (json!("/v1/handshake/complete"), json!(200)),
            (json!("/v1/ingest"), json!(405)),
        ]
    );
    drop(collector);

    let discarding = Collector::start_in(dir.path(), &["--discard"]);
    let reply = ingest(
        &discarding,
        &[seal(&session, EntryKind::Event, "not even JSON")],
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(reply.json()["status"], "success");
    assert!(discarding.entries().is_empty());
}
