//! Property tests of the collector's decoders against bad input: the library's LuminaLog, OTLP
//! and LogFlux multipart decoders it calls in process, then a storm of random requests at the
//! real binary, gzip bombs and oversized bodies included. Every bad input must end in a clear
//! 4xx, never a panic, a 5xx or a dropped connection, and a good request must still be
//! accepted after the storm.
//!
//! Small by default; run longer with
//! `FERROLOG_FUZZ_CASES=100000 cargo test --release -p ferrolog-collector --test fuzz_decoders`
//! (or `make fuzz`).

#[path = "../../tests/fuzz_support/cases.rs"]
mod cases;
mod common;
#[path = "../../tests/fuzz_support/inputs.rs"]
mod inputs;
mod measured_alloc;

use std::io::Write;
use std::time::Duration;

use ferrolog::wire::logflux::crypto::AesKey;
use ferrolog::wire::logflux::multipart::{self, Boundary, Part};
use ferrolog::wire::logflux::part::{self, PartError, ENTRY_TYPE, PAYLOAD_TYPE};
use ferrolog::wire::logflux::Limits;
use ferrolog::wire::luminalog::decode::decode_batch;
use ferrolog::wire::otlp::{decode, Signal};
use flate2::write::GzEncoder;
use flate2::Compression;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};

use cases::{costly_runner, panics, runner};
use common::{gzip, request_with, Collector};
use inputs::{json_ish, json_object, json_value, nested_object, text_bytes};

/// Cases per in-process property inside `cargo test`.
const CASES: u32 = 256;

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}

/// A LuminaLog batch with its members replaced or removed at random, around real entries.
fn luminalog_body() -> impl Strategy<Value = Vec<u8>> {
    let entry = prop_oneof![
        Just(json!({"timestamp": "2026-01-01T00:00:00.000000Z", "level": "info", "message": "m"})),
        json_object(),
        (json_value(), json_value(), json_value()).prop_map(|(timestamp, level, message)| {
            json!({"timestamp": timestamp, "level": level, "message": message, "metadata": {}})
        }),
    ];
    let batch = (
        prop::option::of(json_value()),
        vec(entry, 0..6),
        any::<bool>(),
    )
        .prop_map(|(api_key, logs, keyed)| {
            let mut batch = json!({ "logs": logs });
            batch["api_key"] = match (api_key, keyed) {
                (_, true) => Value::from("key"),
                (Some(other), false) => other,
                (None, false) => Value::Null,
            };
            batch.to_string().into_bytes()
        });
    prop_oneof![3 => batch, 2 => json_ish()]
}

/// An OTLP export request of any signal, members of the right names holding anything.
fn otlp_body() -> impl Strategy<Value = Vec<u8>> {
    let record = prop_oneof![
        json_object(),
        (json_value(), json_value(), json_value()).prop_map(|(body, severity, time)| {
            json!({"body": {"stringValue": body}, "severityNumber": severity, "timeUnixNano": time,
                   "attributes": [{"key": "k", "value": {"intValue": "1"}}]})
        }),
    ];
    let scope_items = prop::sample::select(vec!["logRecords", "spans", "metrics"]);
    let scopes = prop::sample::select(vec!["scopeLogs", "scopeSpans", "scopeMetrics"]);
    let resources = prop::sample::select(vec!["resourceLogs", "resourceSpans", "resourceMetrics"]);
    let request = (
        resources,
        scopes,
        scope_items,
        vec(record, 0..4),
        json_value(),
    )
        .prop_map(|(resources, scopes, items, records, resource)| {
            json!({ resources: [{ "resource": resource, scopes: [{ items: records }] }] })
                .to_string()
                .into_bytes()
        });
    prop_oneof![3 => request, 2 => json_ish()]
}

fn signal() -> impl Strategy<Value = Signal> {
    prop::sample::select(vec![Signal::Logs, Signal::Traces, Signal::Metrics])
}

#[test]
fn luminalog_and_otlp_decoders() {
    let inputs = (luminalog_body(), otlp_body(), signal(), any::<u64>());
    runner(CASES)
        .run(&inputs, |(luminalog, otlp, signal, now)| {
            match decode_batch(&luminalog) {
                Ok(batch) => {
                    let document: Value = serde_json::from_slice(&luminalog).unwrap();
                    let logs = document["logs"].as_array().map_or(0, Vec::len);
                    prop_assert_eq!(batch.entries.len() + batch.rejected.len(), logs);
                }
                Err(e) => {
                    prop_assert!((400..500).contains(&e.status), "{} {}", e.status, e.message);
                    prop_assert!(!e.message.is_empty());
                }
            }
            for body in [&otlp, &luminalog] {
                if let Err(e) = decode(signal, body, now) {
                    prop_assert!((400..500).contains(&e.status), "{} {}", e.status, e.message);
                    prop_assert!(!e.message.is_empty());
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(panics(), 0);
}

/// Nesting far past every parser's limit is a 400, not a stack overflow.
#[test]
fn deep_nesting_is_refused() {
    for depth in [100, 200, 100_000] {
        let deep = nested_object(depth);
        let batch = format!(r#"{{"api_key":"k","logs":[{{"message":"m","metadata":{deep}}}]}}"#);
        match decode_batch(batch.as_bytes()) {
            Ok(decoded) => assert_eq!(decoded.entries.len() + decoded.rejected.len(), 1),
            Err(e) => assert_eq!(e.status, 400, "{}", e.message),
        }
        let otlp = format!(r#"{{"resourceLogs":[{{"resource":{deep}}}]}}"#);
        match decode(Signal::Logs, otlp.as_bytes(), 0) {
            // serde_json stops at 128 levels; shallower nesting may decode, in some way.
            Ok(_) => assert!(depth < 128, "depth {depth} decoded"),
            Err(e) => assert_eq!(e.status, 400, "{}", e.message),
        }
        let arrays = "[".repeat(depth);
        assert_eq!(decode_batch(arrays.as_bytes()).unwrap_err().status, 400);
    }
    assert_eq!(panics(), 0);
}

/// A content type for `/v1/ingest`: multipart with good, quoted, empty, long and odd
/// boundaries, other media types, or anything printable.
fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-9A-Za-z'()+_,./:=?-]{1,70}".prop_map(|b| format!("multipart/mixed; boundary={b}")),
        2 => "[ -~]{0,80}".prop_map(|b| format!("multipart/mixed; boundary=\"{}\"", b.replace('"', ""))),
        1 => Just("multipart/mixed".to_owned()),
        1 => Just(format!("multipart/mixed; boundary={}", "b".repeat(71))),
        1 => prop::sample::select(vec!["multipart/form-data; boundary=x", "application/json", "text/plain", ""])
            .prop_map(str::to_owned),
        1 => "[ -~]{0,60}",
    ]
}

/// One part: the LogFlux headers with any values, sometimes a header kilobytes long, and any
/// body, gzip now and then.
fn part() -> impl Strategy<Value = Part> {
    let header_value = prop_oneof!["[1-7]", "[0-9]{0,3}", "[ -~]{0,20}"];
    let huge = prop::option::weighted(0.1, 1usize..64 << 10);
    let body = prop_oneof![
        3 => json_ish(),
        1 => json_object().prop_map(|v| gzip(v.to_string().as_bytes())),
        1 => (json_object(), any::<prop::sample::Index>())
            .prop_map(|(v, cut)| { let g = gzip(v.to_string().as_bytes()); g[..cut.index(g.len())].to_vec() }),
        1 => vec(any::<u8>(), 0..64).prop_map(|mut b| { b.splice(0..0, [0x1f, 0x8b]); b }),
    ];
    (header_value.clone(), header_value, huge, body).prop_map(
        |(entry_type, payload_type, huge, body)| {
            let mut headers = vec![
                (ENTRY_TYPE.into(), entry_type),
                (PAYLOAD_TYPE.into(), payload_type),
            ];
            if let Some(len) = huge {
                headers.push(("X-Padding".into(), "p".repeat(len)));
            }
            Part { headers, body }
        },
    )
}

/// A multipart body: well framed, then possibly truncated or with bytes changed.
fn multipart_body() -> impl Strategy<Value = (String, Vec<u8>)> {
    let framed = (
        "[0-9A-Za-z_-]{1,70}",
        vec(part(), 0..5),
        any::<prop::sample::Index>(),
        0u8..3,
    )
        .prop_map(|(boundary, parts, at, damage)| {
            let boundary = Boundary::new(&boundary).expect("a valid boundary");
            let mut body = multipart::encode(&parts, &boundary);
            let at = at.index(body.len() + 1);
            match damage {
                0 => {}
                1 => body.truncate(at),
                _ => body.insert(at, b'-'),
            }
            (boundary.content_type(), body)
        });
    prop_oneof![3 => framed, 1 => (content_type(), text_bytes())]
}

#[test]
fn multipart_and_part_decoders() {
    let limits = Limits {
        max_batch_size: 4,
        ..Limits::default()
    };
    runner(CASES)
        .run(&multipart_body(), |(content_type, body)| {
            match block_on(multipart::parse(&content_type, body.into(), &limits)) {
                Ok(parts) => {
                    prop_assert!(!parts.is_empty() && parts.len() <= limits.max_batch_size);
                    for part in &parts {
                        // No key is known: sealed parts fail, plain ones open or fail alone.
                        if let Err(e) = part::decode(part, |_: &str| None::<&AesKey>, &limits) {
                            prop_assert!(!e.to_string().is_empty());
                            prop_assert!(e
                                .request_status()
                                .is_none_or(|s| (400..500).contains(&s)));
                        }
                    }
                }
                Err(e) => prop_assert!((400..500).contains(&e.status()), "{e}"),
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(panics(), 0);
}

/// `count` copies of one gzip member of 1 MiB of zeros: about 1 KiB each on the wire, and
/// `count` MiB once inflated.
fn gzip_bomb(count: usize) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&vec![0; 1 << 20]).unwrap();
    encoder.finish().unwrap().repeat(count)
}

/// A plain managed-telemetry part whose gzip body inflates to 1 GiB is refused as too large
/// while the decoder holds little more than the payload limit.
#[test]
fn a_gzip_bomb_part_is_refused_within_its_bound() {
    let limits = Limits::default();
    let bomb = Part {
        headers: vec![
            (ENTRY_TYPE.into(), "7".to_owned()),
            (PAYLOAD_TYPE.into(), "3".to_owned()),
        ],
        body: gzip_bomb(1024),
    };
    let (decoded, peak) =
        measured_alloc::peak_during(|| part::decode(&bomb, |_: &str| None::<&AesKey>, &limits));
    assert!(
        matches!(decoded, Err(PartError::EntryTooLarge { .. })),
        "{decoded:?}"
    );
    assert!(
        peak <= 4 * limits.max_payload_size,
        "held {peak} bytes for a payload limit of {}",
        limits.max_payload_size
    );
}

fn printable(value: &str) -> bool {
    value.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// A request of the storm: a path, its headers and its body.
fn hostile_request() -> impl Strategy<Value = (String, Vec<(String, String)>, Vec<u8>)> {
    let json_path = prop::sample::select(vec!["/v1/logs", "/v1/traces", "/v1/metrics"]);
    let coding = prop::sample::select(vec![
        None,
        Some("gzip"),
        Some("identity"),
        Some("br"),
        Some("GZIP"),
    ]);
    let media = prop_oneof![
        Just("application/json".to_owned()),
        Just("application/x-protobuf".to_owned()),
        "[ -~]{0,30}",
    ];
    let json_body = prop_oneof![luminalog_body(), otlp_body()];
    let json = (json_path, media, coding, json_body, 0u8..3).prop_map(
        |(path, media, coding, body, wrap)| {
            let mut headers = vec![("Content-Type".to_owned(), media)];
            let body = match (coding, wrap) {
                (Some(c), 0) if c.eq_ignore_ascii_case("gzip") => gzip(&body),
                (Some(c), 1) if c.eq_ignore_ascii_case("gzip") => {
                    let g = gzip(&body);
                    g[..g.len() / 2].to_vec()
                }
                _ => body,
            };
            if let Some(coding) = coding {
                headers.push(("Content-Encoding".to_owned(), coding.to_owned()));
            }
            (path.to_owned(), headers, body)
        },
    );
    let ingest = (multipart_body(), prop::option::of("[ -~]{0,20}")).prop_map(
        |((content_type, body), key)| {
            let mut headers = vec![("Content-Type".to_owned(), content_type)];
            headers.push((
                "Authorization".to_owned(),
                format!("Bearer {}", key.unwrap_or_else(|| "eu-lf_fuzz".to_owned())),
            ));
            ("/v1/ingest".to_owned(), headers, body)
        },
    );
    let handshake = (
        prop::sample::select(vec!["/v1/handshake/init", "/v1/handshake/complete"]),
        json_ish(),
    )
        .prop_map(|(path, body)| {
            (
                path.to_owned(),
                vec![("Authorization".to_owned(), "Bearer eu-lf_fuzz".to_owned())],
                body,
            )
        });
    prop_oneof![4 => json, 3 => ingest, 1 => handshake]
        .prop_filter("header values must be sendable", |(_, headers, _)| {
            headers.iter().all(|(_, value)| printable(value))
        })
}

/// The largest LuminaLog body the storm's collector takes, small so oversized bodies are cheap.
const MAX_BODY: usize = 64 * 1024;

/// The collector's peak resident memory, from /proc.
fn peak_rss_bytes(collector: &Collector) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{}/status", collector.pid())).unwrap();
    let kib: usize = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status");
    kib * 1024
}

fn good_batch_is_stored(collector: &Collector, message: &str) {
    let reply = collector.post_logs(&common::batch(&[("info", message)]));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let stored = collector.entries();
    assert!(
        stored.iter().any(|e| e["message"] == message),
        "{message} was not stored"
    );
}

#[test]
fn a_storm_of_bad_requests_gets_4xx_and_the_collector_keeps_serving() {
    let max_body = MAX_BODY.to_string();
    let collector = Collector::start(&["--max-body-bytes", &max_body]);
    good_batch_is_stored(&collector, "before the storm");
    let agent = common::agent(Duration::from_secs(30));
    costly_runner(200, 50)
        .run(&hostile_request(), |(path, headers, body)| {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let reply = request_with(&agent, "POST", &collector.url(&path), &headers, Some(&body))
                .map_err(|e| TestCaseError::fail(format!("POST {path}: no answer: {e}")))?;
            prop_assert!(
                reply.status < 500,
                "POST {} answered {}: {}",
                path,
                reply.status,
                reply.body
            );
            if reply.status >= 400 {
                prop_assert!(!reply.body.is_empty(), "a refusal without a reason");
            }
            Ok(())
        })
        .unwrap();
    good_batch_is_stored(&collector, "after the storm");
}

/// Refusals decided from the headers alone, before the body is read, reach a client still
/// sending a large body: the collector reads the body anyway rather than closing the
/// connection under the client, which would leave it a reset and no reason. The storm above
/// found this with a multipart body and a malformed boundary.
#[test]
fn refusals_from_the_headers_reach_a_client_still_sending() {
    let collector = Collector::start(&[]);
    let body = vec![b'0'; 4 << 20];
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], u16);
    let cases: [Case; 5] = [
        ("POST", "/v1/nowhere", &[], 404),
        ("PUT", "/v1/logs", &[], 405),
        ("PUT", "/v1/ingest", &[], 405),
        (
            "POST",
            "/v1/logs",
            &[("X-Ferrolog-Batch", "not a batch id")],
            400,
        ),
        (
            "POST",
            "/v1/ingest",
            &[
                ("Content-Type", "multipart/mixed; boundary='A/B"),
                ("Authorization", "Bearer eu-lf_fuzz"),
            ],
            400,
        ),
    ];
    for (method, path, headers, status) in cases {
        let reply = collector
            .request(method, path, headers, Some(&body))
            .unwrap_or_else(|e| panic!("{method} {path}: no answer: {e}"));
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
    }
    good_batch_is_stored(&collector, "after the refusals");
}

/// Bodies over the bounds, on the wire and once inflated: 413, and a bomb inflating to 1 GiB
/// never costs the collector more than a fraction of that.
#[test]
fn oversized_bodies_and_gzip_bombs_get_413() {
    let max_body = MAX_BODY.to_string();
    let collector = Collector::start(&["--max-body-bytes", &max_body]);
    let json = [("Content-Type", "application/json")];
    let gzipped = [
        ("Content-Type", "application/json"),
        ("Content-Encoding", "gzip"),
    ];
    let post = |path: &str, headers: &[(&str, &str)], body: &[u8]| {
        collector
            .request("POST", path, headers, Some(body))
            .expect("an answer")
            .status
    };

    let message = "x".repeat(MAX_BODY);
    let oversized = common::batch(&[("info", message.as_str())]);
    assert_eq!(post("/v1/logs", &json, &oversized), 413);
    assert_eq!(post("/v1/logs", &gzipped, &gzip(&oversized)), 413);
    let multipart = [
        ("Content-Type", "multipart/mixed; boundary=b"),
        ("Authorization", "Bearer eu-lf_fuzz"),
    ];
    assert_eq!(post("/v1/ingest", &multipart, &vec![b'-'; 11 << 20]), 413);

    let before = peak_rss_bytes(&collector);
    for path in ["/v1/logs", "/v1/traces"] {
        assert_eq!(post(path, &gzipped, &gzip_bomb(1024)), 413, "{path}");
    }
    let grown = peak_rss_bytes(&collector).saturating_sub(before);
    // The bound is OTLP's 64 MiB of inflated body (about 67 MiB measured); all of the bomb
    // would be 1 GiB.
    assert!(
        grown < 128 << 20,
        "the collector grew by {grown} bytes for a 1 GiB bomb"
    );
    good_batch_is_stored(&collector, "after the bombs");
}
