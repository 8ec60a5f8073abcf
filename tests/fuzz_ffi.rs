//! Property tests of the C ABI against bad input: arbitrary bytes as `(ptr, len)` strings,
//! almost-JSON for every JSON argument, out-of-range numbers. For every call: no panic (neither
//! returned as `FERROLOG_PANIC` nor caught anywhere in the process), a documented result, a
//! refused call that changes nothing, and an accepted entry that reaches the before-send hook
//! as what was given and is then encoded by the worker without failing.
//!
//! Small by default so `cargo test` stays quick; run longer with
//! `FERROLOG_FUZZ_CASES=100000 cargo test --release --test fuzz_ffi` (or `make fuzz`).

mod fuzz_support;

use std::ptr;

use ferrolog::ffi::*;
use ferrolog::hooks::HookEntry;
use ferrolog::{Config, EntryKind, Level};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

use fuzz_support::cases::{costly_runner, panics, runner};
use fuzz_support::client::{
    fs, set_replacement, take_replace_result, take_seen, FuzzClient, Hooks,
};
use fuzz_support::inputs::{
    depth, json_ish, json_value, large_text, level, nested_object, text_bytes,
};
use fuzz_support::json::same_json;

use ferrolog_result::*;

/// Cases per property inside `cargo test`.
const CASES: u32 = 128;

/// What an entry call may return when its arguments are bad or the queue is full.
const ENTRY_RESULTS: &[ferrolog_result] = &[
    FERROLOG_OK,
    FERROLOG_FILTERED,
    FERROLOG_DROPPED,
    FERROLOG_NULL_ARGUMENT,
    FERROLOG_INVALID_UTF8,
    FERROLOG_INVALID_JSON,
    FERROLOG_INVALID_ARGUMENT,
    FERROLOG_TOO_LARGE,
];

fn utf8(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// What attribute JSON must give: `None` when it must be refused, `Some(object)` when it must
/// be accepted, and no verdict near the depth limit, where either is allowed.
enum Verdict {
    Accept(Value),
    Refuse,
    Either,
}

fn attributes_verdict(json: &str) -> Verdict {
    if json.trim().is_empty() {
        return Verdict::Accept(Value::Object(Default::default()));
    }
    match serde_json::from_str::<Value>(json) {
        Ok(value @ Value::Object(_)) if depth(&value) <= 60 => Verdict::Accept(value),
        Ok(Value::Object(_)) => Verdict::Either,
        // serde_json stops at 128 levels: deeper text is refused by both, whatever it holds.
        _ => Verdict::Refuse,
    }
}

/// Checks an entry call: a documented result, `accepted` moved by one exactly when the entry
/// was accepted, and an accepted entry seen by the hook with `message`.
fn check_entry(
    client: &FuzzClient,
    before: u64,
    result: ferrolog_result,
    message: &[u8],
) -> Result<Option<Value>, TestCaseError> {
    prop_assert!(ENTRY_RESULTS.contains(&result), "undocumented {result:?}");
    let seen = take_seen();
    let accepted = client.accepted() - before;
    if result == FERROLOG_OK {
        prop_assert_eq!(accepted, 1);
        let seen = seen.ok_or_else(|| TestCaseError::fail("accepted, but no hook saw it"))?;
        prop_assert_eq!(seen["message"].as_str(), utf8(message));
        prop_assert!(seen["attributes"].is_object(), "{seen}");
        Ok(Some(seen))
    } else {
        prop_assert_eq!(accepted, 0, "{:?} changed the accepted count", result);
        Ok(None)
    }
}

#[test]
fn log_with_json_attributes() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    let inputs = (level(), text_bytes(), json_ish(), any::<bool>());
    runner(CASES)
        .run(&inputs, |(level, message, json, lengths_32)| {
            let before = client.accepted();
            let (message_ptr, json_ptr) = (message.as_ptr().cast(), json.as_ptr().cast());
            // The two calls differ only in the width of their lengths.
            let result = if lengths_32 {
                ferrolog_log32(
                    client.logger,
                    level,
                    message_ptr,
                    message.len() as u32,
                    json_ptr,
                    json.len() as u32,
                )
            } else {
                ferrolog_log(
                    client.logger,
                    level,
                    message_ptr,
                    message.len(),
                    json_ptr,
                    json.len(),
                )
            };
            let seen = check_entry(&client, before, result, &message)?;
            if !(1..=8).contains(&level) {
                prop_assert_eq!(result, FERROLOG_INVALID_ARGUMENT);
                return Ok(());
            }
            let (Some(_), Some(json)) = (utf8(&message), utf8(&json)) else {
                prop_assert_eq!(result, FERROLOG_INVALID_UTF8);
                return Ok(());
            };
            match attributes_verdict(json) {
                Verdict::Accept(attributes) => {
                    prop_assert!(
                        matches!(result, FERROLOG_OK | FERROLOG_DROPPED),
                        "{result:?}"
                    );
                    if let Some(seen) = seen {
                        prop_assert!(
                            same_json(&seen["attributes"], &attributes),
                            "{seen} from {attributes}"
                        );
                        prop_assert_eq!(seen["level"].as_i64(), Some(i64::from(level)));
                    }
                }
                Verdict::Refuse => prop_assert_eq!(result, FERROLOG_INVALID_JSON),
                Verdict::Either => {}
            }
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// Nesting around the documented limit of 64 levels, and far past serde_json's own.
#[test]
fn attribute_nesting_limits() {
    let client = FuzzClient::new("otlp", Hooks::Record);
    let log = |json: &str| {
        let message = "nested";
        let json = json.as_bytes();
        ferrolog_log(
            client.logger,
            7,
            message.as_ptr().cast(),
            6,
            json.as_ptr().cast(),
            json.len(),
        )
    };
    assert_eq!(log(&nested_object(64)), FERROLOG_OK);
    assert_eq!(log(&nested_object(65)), FERROLOG_INVALID_JSON);
    assert_eq!(log(&nested_object(100_000)), FERROLOG_INVALID_JSON);
    assert_eq!(log(&"[".repeat(1 << 20)), FERROLOG_INVALID_JSON);
    client.settle();
    assert_eq!(panics(), 0);
}

fn attribute_array(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<ferrolog_attribute> {
    pairs
        .iter()
        .map(|(key, value)| ferrolog_attribute {
            key: key.as_ptr().cast(),
            key_len: key.len(),
            value: value.as_ptr().cast(),
            value_len: value.len(),
        })
        .collect()
}

#[test]
fn log_with_string_pairs_and_children() {
    let client = FuzzClient::new("otlp", Hooks::Record);
    let inputs = (
        level(),
        text_bytes(),
        vec((text_bytes(), text_bytes()), 0..6),
        json_ish(),
    );
    runner(CASES)
        .run(&inputs, |(level, message, pairs, child_json)| {
            let attributes = attribute_array(&pairs);
            let all_utf8 = utf8(&message).is_some()
                && pairs.iter().all(|(k, v)| utf8(k).and(utf8(v)).is_some());
            let before = client.accepted();
            let result = ferrolog_log_kv(
                client.logger,
                level,
                message.as_ptr().cast(),
                message.len(),
                attributes.as_ptr(),
                attributes.len(),
            );
            check_entry(&client, before, result, &message)?;
            let expected = match ((1..=8).contains(&level), all_utf8) {
                (false, _) => FERROLOG_INVALID_ARGUMENT,
                (true, false) => FERROLOG_INVALID_UTF8,
                (true, true) => FERROLOG_OK,
            };
            prop_assert!(
                result == expected || (expected == FERROLOG_OK && result == FERROLOG_DROPPED)
            );

            // Children: written only on success, and a usable logger when written.
            let mut child = ptr::null_mut();
            let made = ferrolog_logger_child_kv(
                client.logger,
                attributes.as_ptr(),
                attributes.len(),
                &mut child,
            );
            prop_assert_eq!(made == FERROLOG_OK, !child.is_null());
            let pairs_utf8 = pairs.iter().all(|(k, v)| utf8(k).and(utf8(v)).is_some());
            prop_assert_eq!(
                made,
                if pairs_utf8 {
                    FERROLOG_OK
                } else {
                    FERROLOG_INVALID_UTF8
                }
            );
            ferrolog_logger_free(child);

            let mut child = ptr::null_mut();
            let made = ferrolog_logger_child(
                client.logger,
                child_json.as_ptr().cast(),
                child_json.len(),
                &mut child,
            );
            prop_assert_eq!(made == FERROLOG_OK, !child.is_null());
            match utf8(&child_json).map(attributes_verdict) {
                None => prop_assert_eq!(made, FERROLOG_INVALID_UTF8),
                Some(Verdict::Accept(_)) => prop_assert_eq!(made, FERROLOG_OK),
                Some(Verdict::Refuse) => prop_assert_eq!(made, FERROLOG_INVALID_JSON),
                Some(Verdict::Either) => {}
            }
            if !child.is_null() {
                let logged = ferrolog_log(child, 7, c"from a child".as_ptr(), 12, ptr::null(), 0);
                prop_assert!(
                    matches!(logged, FERROLOG_OK | FERROLOG_DROPPED),
                    "{logged:?}"
                );
                take_seen();
            }
            ferrolog_logger_free(child);
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// `options_json` for a captured error: real options with wrong types mixed in, or anything.
fn capture_options() -> impl Strategy<Value = Vec<u8>> {
    let member = prop_oneof![
        json_value().prop_map(|v| ("message".to_owned(), v)),
        json_value().prop_map(|v| ("level".to_owned(), v)),
        (-2i64..12).prop_map(|n| ("level".to_owned(), Value::from(n))),
        json_value().prop_map(|v| ("fingerprint".to_owned(), v)),
        (".{0,8}", json_value()),
    ];
    prop_oneof![
        vec(member, 0..4).prop_map(|members| {
            Value::Object(members.into_iter().collect())
                .to_string()
                .into_bytes()
        }),
        json_ish(),
    ]
}

#[test]
fn capture_error() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    let frame = (text_bytes(), text_bytes(), any::<u32>());
    let cause = (text_bytes(), text_bytes());
    let inputs = (
        (text_bytes(), text_bytes()),
        prop::option::weighted(0.9, vec(frame, 0..6)),
        vec(cause, 0..14),
        json_ish(),
        capture_options(),
    );
    runner(CASES)
        .run(
            &inputs,
            |((error_type, message), frames, causes, attributes, options)| {
                let frames: Option<Vec<ferrolog_frame>> = frames.as_ref().map(|frames| {
                    frames
                        .iter()
                        .map(|(function, module, line)| ferrolog_frame {
                            function: fs(function),
                            module: fs(module),
                            line: *line,
                        })
                        .collect()
                });
                let causes: Vec<ferrolog_cause> = causes
                    .iter()
                    .map(|(error_type, message)| ferrolog_cause {
                        error_type: fs(error_type),
                        message: fs(message),
                    })
                    .collect();
                let before = client.accepted();
                let result = ferrolog_capture_error(
                    client.logger,
                    fs(&error_type),
                    fs(&message),
                    frames.as_ref().map_or(ptr::null(), |f| f.as_ptr()),
                    frames.as_ref().map_or(0, Vec::len),
                    causes.as_ptr(),
                    causes.len(),
                    fs(&attributes),
                    fs(&options),
                );
                prop_assert!(ENTRY_RESULTS.contains(&result), "undocumented {result:?}");
                take_seen();
                let accepted = client.accepted() - before;
                prop_assert_eq!(accepted, u64::from(result == FERROLOG_OK));
                Ok(())
            },
        )
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// Any float, the non-finite ones often.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>(),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, f64::MAX]),
    ]
}

/// A 32- or 16-hex id, often valid, sometimes all zeros, or anything.
fn hex_id(digits: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::string::string_regex(&format!("[0-9a-f]{{{digits}}}"))
            .expect("a valid pattern")
            .prop_map(String::into_bytes),
        1 => Just("0".repeat(digits).into_bytes()),
        1 => Just(Vec::new()),
        2 => text_bytes(),
    ]
}

#[test]
fn metrics_events_audits_telemetry_and_span_records() {
    let client = FuzzClient::new("otlp", Hooks::Record);
    let strings = vec(text_bytes(), 7);
    let readings = vec((text_bytes(), value(), text_bytes()), 0..5);
    let ids = (hex_id(32), hex_id(16), hex_id(16));
    let inputs = (
        0u8..5,
        any::<i32>(),
        strings,
        value(),
        readings,
        ids,
        any::<(u64, u64, bool)>(),
        json_ish(),
    );
    runner(CASES)
        .run(
            &inputs,
            |(call, kind, s, value, readings, (trace, span, parent), (start, end, flag), json)| {
                let before = client.accepted();
                let (result, name) = match call {
                    0 => (
                        ferrolog_metric(
                            client.logger,
                            kind % 5,
                            fs(&s[0]),
                            value,
                            fs(&s[1]),
                            fs(&json),
                        ),
                        &s[0],
                    ),
                    1 => (ferrolog_event(client.logger, fs(&s[0]), fs(&json)), &s[0]),
                    2 => (
                        ferrolog_audit(
                            client.logger,
                            fs(&s[0]),
                            fs(&s[1]),
                            fs(&s[2]),
                            fs(&s[3]),
                            fs(&s[4]),
                            fs(&s[5]),
                            fs(&json),
                        ),
                        &s[0],
                    ),
                    3 => {
                        let readings: Vec<ferrolog_reading> = readings
                            .iter()
                            .map(|(name, value, unit)| ferrolog_reading {
                                name: fs(name),
                                value: *value,
                                unit: fs(unit),
                            })
                            .collect();
                        (
                            ferrolog_telemetry(
                                client.logger,
                                fs(&s[0]),
                                readings.as_ptr(),
                                readings.len(),
                                flag,
                                fs(&json),
                            ),
                            &s[0],
                        )
                    }
                    _ => (
                        ferrolog_span_record(
                            client.logger,
                            fs(&trace),
                            fs(&span),
                            fs(&parent),
                            fs(&s[1]),
                            fs(&s[0]),
                            start,
                            end,
                            flag,
                            fs(&json),
                        ),
                        &s[0],
                    ),
                };
                check_entry(&client, before, result, name)?;
                let metric_strings = utf8(&s[0]).and(utf8(&s[1])).and(utf8(&json)).is_some();
                if call == 0 && metric_strings && !(1..=3).contains(&(kind % 5))
                    || call == 4 && end < start
                {
                    prop_assert_eq!(result, FERROLOG_INVALID_ARGUMENT);
                }
                if call == 0 && !value.is_finite() {
                    prop_assert_ne!(result, FERROLOG_OK);
                }
                Ok(())
            },
        )
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// `data_json` of a breadcrumb: objects of strings, objects with other values, or anything.
fn breadcrumb_data() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::btree_map(".{0,8}", ".{0,8}", 0..5)
            .prop_map(|m| serde_json::to_vec(&m).unwrap()),
        json_ish(),
    ]
}

#[test]
fn breadcrumbs_and_scope_setters() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    let inputs = (
        any::<bool>(),
        vec(text_bytes(), 3),
        prop_oneof![Just(0), level()],
        breadcrumb_data(),
    );
    runner(CASES)
        .run(&inputs, |(on_scope, s, level, data)| {
            // A fresh scope per case: one scope would fill up with distinct keys and refuse
            // new ones past 128 (tests/scopes.rs), which these expectations leave out.
            let scope = client.scope();
            let logger = if on_scope { scope.0 } else { client.logger };
            let before = client.accepted();
            let added =
                ferrolog_logger_add_breadcrumb(logger, fs(&s[0]), fs(&s[1]), level, fs(&data));
            let expected_data = match utf8(&data) {
                None => Err(FERROLOG_INVALID_UTF8),
                Some(text) if text.trim().is_empty() => Ok(()),
                Some(text) => match serde_json::from_str::<Value>(text) {
                    Ok(Value::Object(m)) if m.values().all(Value::is_string) => Ok(()),
                    Ok(value @ Value::Object(_)) if depth(&value) <= 60 => {
                        Err(FERROLOG_INVALID_ARGUMENT)
                    }
                    // Past the core's depth limit the text is refused before its values are read.
                    Ok(value @ Value::Object(_)) if depth(&value) > 66 => {
                        Err(FERROLOG_INVALID_JSON)
                    }
                    Ok(Value::Object(_)) => return Ok(()),
                    _ => Err(FERROLOG_INVALID_JSON),
                },
            };
            let strings_ok = utf8(&s[0]).and(utf8(&s[1])).is_some();
            let expected = match (
                level == 0 || (1..=8).contains(&level),
                expected_data,
                strings_ok,
            ) {
                (false, _, _) => FERROLOG_INVALID_ARGUMENT,
                (true, Err(code), _) => code,
                (true, Ok(()), false) => FERROLOG_INVALID_UTF8,
                (true, Ok(()), true) => FERROLOG_OK,
            };
            prop_assert_eq!(added, expected);

            // Scope setters: strings first, then "is it a scope".
            let strings = |n: usize| s[..n].iter().all(|b| utf8(b).is_some());
            let expect = |n: usize| match (strings(n), on_scope) {
                (false, _) => FERROLOG_INVALID_UTF8,
                (true, false) => FERROLOG_INVALID_ARGUMENT,
                (true, true) => FERROLOG_OK,
            };
            prop_assert_eq!(ferrolog_logger_set_user(logger, fs(&s[0])), expect(1));
            prop_assert_eq!(
                ferrolog_logger_set_attribute(logger, fs(&s[0]), fs(&s[1])),
                expect(2)
            );
            prop_assert_eq!(
                ferrolog_logger_set_request(logger, fs(&s[0]), fs(&s[1]), fs(&s[2])),
                expect(3)
            );
            prop_assert_eq!(
                client.accepted(),
                before,
                "breadcrumbs and setters are not entries"
            );

            let logged = ferrolog_log(scope.0, 7, c"in scope".as_ptr(), 8, ptr::null(), 0);
            prop_assert!(
                matches!(logged, FERROLOG_OK | FERROLOG_DROPPED),
                "{logged:?}"
            );
            take_seen();
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// Incoming headers: the names that carry traces and request ids, in any case, with valid,
/// almost valid and arbitrary values.
fn headers() -> impl Strategy<Value = Vec<(Vec<u8>, Vec<u8>)>> {
    let name = prop_oneof![
        prop::sample::select(vec![
            "traceparent",
            "TraceParent",
            "x-logflux-trace",
            "x-trace-id",
            "X-Request-Id"
        ])
        .prop_map(|n| n.as_bytes().to_vec()),
        text_bytes(),
    ];
    let value = prop_oneof![
        "00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]".prop_map(String::into_bytes),
        "[0-9a-fA-F-]{0,60}".prop_map(String::into_bytes),
        text_bytes(),
    ];
    vec((name, value), 0..5)
}

fn header_array(headers: &[(Vec<u8>, Vec<u8>)]) -> Vec<ferrolog_header> {
    headers
        .iter()
        .map(|(name, value)| ferrolog_header {
            name: fs(name),
            value: fs(value),
        })
        .collect()
}

/// A string written by the buffer convention: `FERROLOG_OK` only when it fit, with a NUL after
/// `needed - 1` bytes of UTF-8; else `FERROLOG_BUFFER_TOO_SMALL` and the buffer untouched.
fn written(
    result: ferrolog_result,
    buf: &[u8],
    capacity: usize,
    needed: usize,
) -> Result<Option<String>, TestCaseError> {
    match result {
        FERROLOG_OK => {
            prop_assert!(
                needed >= 1 && needed <= capacity,
                "needed {needed}, capacity {capacity}"
            );
            prop_assert_eq!(buf[needed - 1], 0);
            let text = std::str::from_utf8(&buf[..needed - 1])
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(!text.contains('\0'));
            Ok(Some(text.to_owned()))
        }
        FERROLOG_BUFFER_TOO_SMALL => {
            prop_assert!(needed > capacity);
            prop_assert!(buf.iter().all(|&b| b == 0xAA), "a short buffer was written");
            Ok(None)
        }
        other => Err(TestCaseError::fail(format!("undocumented {other:?}"))),
    }
}

#[test]
fn spans_and_trace_headers() {
    let client = FuzzClient::new("otlp", Hooks::Record);
    let inputs = (headers(), vec(text_bytes(), 4), -1..4i32, 0usize..80);
    runner(CASES)
        .run(&inputs, |(headers, s, kind, capacity)| {
            let array = header_array(&headers);
            let headers_utf8 = headers.iter().all(|(n, v)| utf8(n).and(utf8(v)).is_some());
            let mut buf = vec![0xAAu8; capacity];
            let mut needed = 0usize;
            let result = ferrolog_trace_id_from_headers(
                array.as_ptr(),
                array.len(),
                buf.as_mut_ptr().cast(),
                capacity,
                &mut needed,
            );
            if !headers_utf8 {
                prop_assert_eq!(result, FERROLOG_INVALID_UTF8);
            } else if let Some(id) = written(result, &buf, capacity, needed)? {
                let request_id = ["x-trace-id", "x-request-id"].iter().find_map(|wanted| {
                    headers.iter().find_map(|(name, value)| {
                        let value = utf8(value)?.trim_matches([' ', '\t']);
                        (utf8(name)?.eq_ignore_ascii_case(wanted) && !value.is_empty())
                            .then_some(value)
                    })
                });
                match request_id {
                    Some(request_id) => prop_assert_eq!(id.as_str(), request_id),
                    None => prop_assert!(id.len() == 32 || id.len() == 36, "{id}"),
                }
            }

            let mut span = ptr::null_mut();
            let started = ferrolog_span_continue_from_headers(
                client.logger,
                array.as_ptr(),
                array.len(),
                fs(&s[0]),
                fs(&s[1]),
                &mut span,
            );
            let strings_utf8 = headers_utf8 && utf8(&s[0]).and(utf8(&s[1])).is_some();
            prop_assert_eq!(
                started,
                if strings_utf8 {
                    FERROLOG_OK
                } else {
                    FERROLOG_INVALID_UTF8
                }
            );
            prop_assert_eq!(started == FERROLOG_OK, !span.is_null());
            if span.is_null() {
                return Ok(());
            }
            let set = ferrolog_span_set_attribute(span, fs(&s[2]), fs(&s[3]));
            prop_assert_eq!(set == FERROLOG_OK, utf8(&s[2]).and(utf8(&s[3])).is_some());
            let failed = ferrolog_span_set_error(span, fs(&s[3]));
            prop_assert_eq!(failed == FERROLOG_OK, utf8(&s[3]).is_some());

            let mut buf = vec![0xAAu8; capacity];
            let result =
                ferrolog_span_header(span, kind, buf.as_mut_ptr().cast(), capacity, &mut needed);
            if (1..=2).contains(&kind) {
                if let Some(value) = written(result, &buf, capacity, needed)? {
                    prop_assert!(!value.is_empty() && value.is_ascii(), "{value}");
                }
            } else {
                prop_assert_eq!(result, FERROLOG_INVALID_ARGUMENT);
            }

            let before = client.accepted();
            let ended = ferrolog_span_end(span);
            prop_assert!(
                matches!(ended, FERROLOG_OK | FERROLOG_FILTERED | FERROLOG_DROPPED),
                "{ended:?}"
            );
            prop_assert_eq!(client.accepted() - before, u64::from(ended == FERROLOG_OK));
            take_seen();
            prop_assert_eq!(ferrolog_span_end(span), FERROLOG_INVALID_ARGUMENT);
            prop_assert_eq!(client.accepted() - before, u64::from(ended == FERROLOG_OK));
            ferrolog_span_free(span);
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// A valid incoming `traceparent` is continued: the span's own header carries its trace id.
#[test]
fn a_valid_traceparent_is_continued() {
    let client = FuzzClient::new("otlp", Hooks::Record);
    let inputs = ("[0-9a-f]{32}", "[0-9a-f]{16}", "0[01]");
    runner(CASES)
        .run(&inputs, |(trace, parent, flags)| {
            prop_assume!(trace.bytes().any(|b| b != b'0') && parent.bytes().any(|b| b != b'0'));
            let value = format!("00-{trace}-{parent}-{flags}");
            let array = [ferrolog_header {
                name: fs(b"traceparent"),
                value: fs(value.as_bytes()),
            }];
            let mut span = ptr::null_mut();
            let started = ferrolog_span_continue_from_headers(
                client.logger,
                array.as_ptr(),
                1,
                fs(b"n"),
                fs(b"o"),
                &mut span,
            );
            prop_assert_eq!(started, FERROLOG_OK);
            let mut buf = [0u8; 128];
            let mut needed = 0;
            let header = ferrolog_span_header(
                span,
                FERROLOG_HEADER_TRACEPARENT,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut needed,
            );
            prop_assert_eq!(header, FERROLOG_OK);
            let ours = std::str::from_utf8(&buf[..needed - 1]).unwrap();
            prop_assert_eq!(ours.split('-').nth(1), Some(trace.as_str()), "{}", ours);
            ferrolog_span_free(span);
            Ok(())
        })
        .unwrap();
    assert_eq!(panics(), 0);
}

/// Option keys: every real one (and the reference's alias), their near misses, and anything.
fn option_key() -> impl Strategy<Value = Vec<u8>> {
    let known: Vec<&str> = ferrolog::config::KEYS
        .iter()
        .copied()
        .chain(["enable_compression"])
        .collect();
    prop_oneof![
        6 => prop::sample::select(known.clone()).prop_map(|k| k.as_bytes().to_vec()),
        2 => (prop::sample::select(known), "[A-Z_ ]{0,2}").prop_map(|(k, s)| format!("{s}{k}{s}").into_bytes()),
        2 => text_bytes(),
    ]
}

/// Option values: numbers, durations, rates, URLs, names, and anything.
fn option_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string().into_bytes()),
        any::<f64>().prop_map(|n| n.to_string().into_bytes()),
        "[0-9.]{0,8}(ms|s)?".prop_map(String::into_bytes),
        "(https?|ftp)://[a-z0-9.:/\\[\\]@%-]{0,30}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "true", "off", "gzip", "block", "debug", "auto", "otlp", "", " "
        ])
        .prop_map(|v| v.as_bytes().to_vec()),
        text_bytes(),
    ]
}

#[test]
fn config_set() {
    let mut config = ptr::null_mut();
    assert_eq!(ferrolog_config_new(&mut config), FERROLOG_OK);
    runner(CASES * 4)
        .run(&(option_key(), option_value()), |(key, value)| {
            let mut error = ptr::null_mut();
            let result = ferrolog_config_set(
                config,
                key.as_ptr().cast(),
                key.len(),
                value.as_ptr().cast(),
                value.len(),
                &mut error,
            );
            prop_assert_eq!(result == FERROLOG_OK, error.is_null());
            if !error.is_null() {
                prop_assert_eq!(ferrolog_error_code(error), result);
                let message = unsafe { std::ffi::CStr::from_ptr(ferrolog_error_message(error)) };
                prop_assert!(!message.to_bytes().is_empty());
                ferrolog_error_free(error);
            }
            let (Some(key), Some(value)) = (utf8(&key), utf8(&value)) else {
                prop_assert_eq!(result, FERROLOG_INVALID_UTF8);
                return Ok(());
            };
            prop_assert!(
                matches!(result, FERROLOG_OK | FERROLOG_CONFIG_ERROR),
                "{result:?}"
            );

            // The setter the C call delegates to: a refused option leaves everything as it was.
            let mut rust = Config::new("k");
            let before = rust.clone();
            let set = rust.set(key, value);
            prop_assert_eq!(set.is_ok(), result == FERROLOG_OK);
            if let Err(e) = set {
                prop_assert!(rust == before, "refused `{key}` changed the configuration");
                prop_assert!(e.to_string().contains(key), "{e} does not name `{key}`");
            }
            Ok(())
        })
        .unwrap();
    ferrolog_config_free(config);
    assert_eq!(panics(), 0);
}

#[test]
fn level_names_stats_names_and_result_strings() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    let mut stats = ptr::null_mut();
    assert_eq!(
        ferrolog_client_stats(client.client, &mut stats),
        FERROLOG_OK
    );
    let names = prop_oneof![
        prop::sample::select(vec![
            "warn", " ERROR ", "fatal", "8", "0", "9", "sent", "dropped", "folded"
        ])
        .prop_map(|n| n.as_bytes().to_vec()),
        text_bytes(),
    ];
    runner(CASES * 4)
        .run(
            &(names, any::<i32>(), 0usize..2048),
            |(name, code, capacity)| {
                let mut level = -99;
                let result = ferrolog_level_from_name(name.as_ptr().cast(), name.len(), &mut level);
                match utf8(&name) {
                    None => prop_assert_eq!(result, FERROLOG_INVALID_UTF8),
                    Some(text) => match Level::from_name(text) {
                        Some(expected) => {
                            prop_assert_eq!(result, FERROLOG_OK);
                            prop_assert_eq!(level, i32::from(expected.number()));
                        }
                        None => prop_assert_eq!(result, FERROLOG_INVALID_ARGUMENT),
                    },
                }
                if result != FERROLOG_OK {
                    prop_assert_eq!(level, -99, "written on failure");
                }

                let mut counter = u64::MAX;
                let read =
                    ferrolog_stats_get(stats, name.as_ptr().cast(), name.len(), &mut counter);
                prop_assert!(
                    matches!(
                        read,
                        FERROLOG_OK | FERROLOG_INVALID_ARGUMENT | FERROLOG_INVALID_UTF8
                    ),
                    "{read:?}"
                );
                prop_assert_eq!(read != FERROLOG_OK, counter == u64::MAX);

                let mut buf = vec![0xAAu8; capacity];
                let mut needed = 0;
                let json =
                    ferrolog_stats_json(stats, buf.as_mut_ptr().cast(), capacity, &mut needed);
                if let Some(text) = written(json, &buf, capacity, needed)? {
                    prop_assert!(
                        serde_json::from_str::<Value>(&text).is_ok_and(|v| v.is_object()),
                        "{text}"
                    );
                }

                let described = unsafe { std::ffi::CStr::from_ptr(ferrolog_result_str(code)) };
                prop_assert!(!described.to_bytes().is_empty());
                Ok(())
            },
        )
        .unwrap();
    ferrolog_stats_free(stats);
    assert_eq!(panics(), 0);
}

/// `replace` JSON for a before-send hook: the three members with right and wrong types,
/// unknown members, or anything.
fn replacement() -> impl Strategy<Value = Vec<u8>> {
    let member = prop_oneof![
        json_value().prop_map(|v| ("level".to_owned(), v)),
        prop::sample::select(vec!["warn", "1", "8", "9", "x"])
            .prop_map(|v| ("level".to_owned(), Value::from(v))),
        json_value().prop_map(|v| ("message".to_owned(), v)),
        ".{0,12}".prop_map(|v| ("message".to_owned(), Value::from(v))),
        json_value().prop_map(|v| ("attributes".to_owned(), v)),
        super_object().prop_map(|v| ("attributes".to_owned(), v)),
        (".{0,6}", json_value()),
    ];
    prop_oneof![
        3 => vec(member, 0..4).prop_map(|m| Value::Object(m.into_iter().collect()).to_string().into_bytes()),
        1 => json_ish(),
    ]
}

fn super_object() -> impl Strategy<Value = Value> {
    fuzz_support::inputs::json_object()
}

#[test]
fn before_send_replacements() {
    let client = FuzzClient::new("otlp", Hooks::Replace);
    runner(CASES)
        .run(&(replacement(), 0u8..2), |(json, call)| {
            set_replacement(json.clone());
            let logged = match call {
                0 => ferrolog_log(
                    client.logger,
                    6,
                    c"original".as_ptr(),
                    8,
                    c"{\"k\":\"v\"}".as_ptr(),
                    9,
                ),
                _ => ferrolog_event(client.logger, fs(b"original"), fs(b"{\"k\":\"v\"}")),
            };
            prop_assert!(
                matches!(logged, FERROLOG_OK | FERROLOG_DROPPED),
                "{logged:?}"
            );
            take_seen();
            let replaced =
                take_replace_result().ok_or_else(|| TestCaseError::fail("the hook did not run"))?;
            prop_assert!(
                matches!(
                    replaced,
                    FERROLOG_OK
                        | FERROLOG_INVALID_JSON
                        | FERROLOG_INVALID_ARGUMENT
                        | FERROLOG_INVALID_UTF8
                ),
                "{replaced:?}"
            );

            // What the C call delegates to: refused, the entry is as it was; accepted, it is
            // what the replacement named.
            let Some(text) = utf8(&json) else {
                prop_assert_eq!(replaced, FERROLOG_INVALID_UTF8);
                return Ok(());
            };
            let original = HookEntry {
                kind: EntryKind::Log,
                level: Level::Notice,
                message: "original".to_owned(),
                attributes: serde_json::from_str(r#"{"k":"v"}"#).unwrap(),
            };
            let mut entry = original.clone();
            let result = entry.replace_from_json(text);
            prop_assert_eq!(result.is_ok(), replaced == FERROLOG_OK);
            match (result, serde_json::from_str::<Value>(text)) {
                (Err(_), _) => prop_assert_eq!(&entry, &original),
                (Ok(()), Ok(Value::Object(members))) => {
                    let message = members
                        .get("message")
                        .map_or("original", |m| m.as_str().unwrap_or("?"));
                    prop_assert_eq!(entry.message.as_str(), message);
                    if let Some(attributes) = members.get("attributes") {
                        prop_assert_eq!(&Value::Object(entry.attributes.clone()), attributes);
                    }
                }
                (Ok(()), other) => return Err(TestCaseError::fail(format!("accepted {other:?}"))),
            }
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// Valid strings of megabytes, as message, attribute value, error message and frame: accepted
/// (nothing is larger than an entry may be below 4 GiB), and the worker truncates them as it
/// encodes without failing.
#[test]
fn huge_valid_strings() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    costly_runner(2, 1_000)
        .run(&(large_text(2 << 20), 0u8..3), |(text, call)| {
            let before = client.accepted();
            let attributes =
                serde_json::json!({ "big": String::from_utf8(text.clone()).unwrap() }).to_string();
            let result = match call {
                0 => ferrolog_log(
                    client.logger,
                    7,
                    text.as_ptr().cast(),
                    text.len(),
                    attributes.as_ptr().cast(),
                    attributes.len(),
                ),
                1 => ferrolog_event(client.logger, fs(&text), fs(attributes.as_bytes())),
                _ => {
                    let frame = ferrolog_frame {
                        function: fs(&text),
                        module: fs(&text),
                        line: 1,
                    };
                    ferrolog_capture_error(
                        client.logger,
                        fs(b"E"),
                        fs(&text),
                        &frame,
                        1,
                        ptr::null(),
                        0,
                        fs(b""),
                        fs(b""),
                    )
                }
            };
            prop_assert!(
                matches!(result, FERROLOG_OK | FERROLOG_DROPPED),
                "{result:?}"
            );
            prop_assert_eq!(client.accepted() - before, u64::from(result == FERROLOG_OK));
            take_seen();
            Ok(())
        })
        .unwrap();
    client.settle();
    assert_eq!(panics(), 0);
}

/// NULL where a pointer is required, with a non-zero length: never read, always refused.
#[test]
fn null_pointers_with_lengths() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    runner(CASES)
        .run(&(1usize..usize::MAX, level()), |(len, level)| {
            let null = ferrolog_str {
                ptr: ptr::null(),
                len,
            };
            let before = client.accepted();
            let results = [
                ferrolog_log(client.logger, 7, ptr::null(), len, ptr::null(), 0),
                ferrolog_log(client.logger, 7, c"m".as_ptr(), 1, ptr::null(), len),
                ferrolog_log_kv(client.logger, 7, c"m".as_ptr(), 1, ptr::null(), len),
                ferrolog_event(client.logger, null, fs(b"")),
                ferrolog_metric(client.logger, 1, fs(b"m"), 1.0, null, fs(b"")),
                ferrolog_telemetry(client.logger, fs(b"d"), ptr::null(), len, false, fs(b"")),
                ferrolog_capture_error(
                    client.logger,
                    null,
                    fs(b""),
                    ptr::null(),
                    0,
                    ptr::null(),
                    0,
                    fs(b""),
                    fs(b""),
                ),
                ferrolog_capture_error(
                    client.logger,
                    fs(b"E"),
                    fs(b""),
                    [].as_ptr(),
                    0,
                    ptr::null(),
                    len,
                    fs(b""),
                    fs(b""),
                ),
                ferrolog_logger_add_breadcrumb(client.logger, fs(b""), null, level, fs(b"")),
                ferrolog_trace_id_from_headers(
                    ptr::null(),
                    len,
                    ptr::null_mut(),
                    0,
                    ptr::null_mut(),
                ),
                ferrolog_level_from_name(ptr::null(), len, &mut 0),
            ];
            for (index, result) in results.into_iter().enumerate() {
                let expected = if index == 8 && !(level == 0 || (1..=8).contains(&level)) {
                    FERROLOG_INVALID_ARGUMENT
                } else {
                    FERROLOG_NULL_ARGUMENT
                };
                prop_assert_eq!(result, expected, "call {}", index);
            }
            prop_assert_eq!(client.accepted(), before);
            take_seen();
            Ok(())
        })
        .unwrap();
    assert_eq!(panics(), 0);
}
