//! Property tests of `ferrolog_log_typed`: arbitrary tables of typed attributes (unknown kinds
//! among them), keys and text values that are often not UTF-8, and text lengths that do not
//! add up. Every call returns what its arguments call for, and an accepted entry reaches the
//! before-send hook with the values given, kept as the types they were given as, and is then
//! encoded by the worker without failing.
//!
//! `FERROLOG_FUZZ_CASES=100000 cargo test --release --test fuzz_typed` (or `make fuzz`) runs
//! it longer.

mod fuzz_support;

use std::ptr;

use ferrolog::ffi::*;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Map, Value};

use fuzz_support::cases::{panics, runner};
use fuzz_support::client::{take_seen, FuzzClient, Hooks};
use fuzz_support::inputs::{level, text_bytes};
use fuzz_support::json::same_json;

use ferrolog_result::*;

/// Cases per property inside `cargo test`.
const CASES: u32 = 128;

/// One attribute's value as a test gives it.
#[derive(Clone, Debug)]
enum Given {
    Text(Vec<u8>),
    Int(i64),
    Uint(u64),
    Float(f64),
    Bool(u8),
    Null,
    /// A kind the ABI does not know.
    Unknown(i32),
}

fn given() -> impl Strategy<Value = Given> {
    prop_oneof![
        4 => text_bytes().prop_map(Given::Text),
        2 => any::<i64>().prop_map(Given::Int),
        2 => any::<u64>().prop_map(Given::Uint),
        2 => any::<f64>().prop_map(Given::Float),
        1 => any::<u8>().prop_map(Given::Bool),
        1 => Just(Given::Null),
        1 => any::<i32>()
            .prop_filter("unknown", |kind| !(1..=6).contains(kind))
            .prop_map(Given::Unknown),
    ]
}

/// The table and text for `attributes`, laid out as `ferrolog_log_typed` reads them.
fn lay_out(attributes: &[(Vec<u8>, Given)]) -> (Vec<ferrolog_typed_attribute>, Vec<u8>) {
    let mut text = Vec::new();
    let table = attributes
        .iter()
        .map(|(key, value)| {
            text.extend_from_slice(key);
            let (kind, value) = match value {
                Given::Text(bytes) => {
                    text.extend_from_slice(bytes);
                    (
                        FERROLOG_VALUE_TEXT,
                        ferrolog_value {
                            text_len: bytes.len(),
                        },
                    )
                }
                Given::Int(n) => (FERROLOG_VALUE_INT, ferrolog_value { integer: *n }),
                Given::Uint(n) => (
                    FERROLOG_VALUE_UINT,
                    ferrolog_value {
                        unsigned_integer: *n,
                    },
                ),
                Given::Float(x) => (FERROLOG_VALUE_FLOAT, ferrolog_value { real: *x }),
                Given::Bool(b) => (FERROLOG_VALUE_BOOL, ferrolog_value { boolean: *b }),
                Given::Null => (FERROLOG_VALUE_NULL, ferrolog_value { integer: 0 }),
                Given::Unknown(kind) => (*kind, ferrolog_value { integer: 0 }),
            };
            ferrolog_typed_attribute {
                key_len: key.len(),
                kind,
                value,
            }
        })
        .collect();
    (table, text)
}

/// The attributes the hook must see for `attributes`, all of them known and UTF-8: the last
/// of each key, each value of its own JSON type.
fn expected(attributes: &[(Vec<u8>, Given)]) -> Value {
    let mut object = Map::new();
    for (key, value) in attributes {
        let value = match value {
            Given::Text(bytes) => Value::from(String::from_utf8(bytes.clone()).unwrap()),
            Given::Int(n) => Value::from(*n),
            Given::Uint(n) => Value::from(*n),
            Given::Float(x) if x.is_finite() => Value::from(*x),
            Given::Bool(b) => Value::Bool(*b != 0),
            Given::Float(_) | Given::Null | Given::Unknown(_) => Value::Null,
        };
        object.insert(String::from_utf8(key.clone()).unwrap(), value);
    }
    Value::Object(object)
}

fn utf8(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok()
}

#[test]
fn typed_attributes_arrive_as_the_types_they_were_given_as() {
    for protocol in ["luminalog", "otlp"] {
        let client = FuzzClient::new(protocol, Hooks::Record);
        // A text length off by one either way, now and then; the text has a byte to spare.
        let slack = prop_oneof![8 => Just(0isize), 1 => Just(1), 1 => Just(-1)];
        let inputs = (
            level(),
            text_bytes(),
            vec((text_bytes(), given()), 0..6),
            slack,
        );
        runner(CASES)
            .run(&inputs, |(level, message, attributes, slack)| {
                let (table, mut text) = lay_out(&attributes);
                let covered = text.len();
                let text_len = covered.saturating_add_signed(slack);
                text.push(b'!');
                let before = client.accepted();
                let result = ferrolog_log_typed(
                    client.logger,
                    level,
                    message.as_ptr().cast(),
                    message.len(),
                    table.as_ptr(),
                    table.len(),
                    text.as_ptr().cast(),
                    text_len,
                );
                let seen = take_seen();
                let known = attributes
                    .iter()
                    .all(|(_, value)| !matches!(value, Given::Unknown(_)));
                let all_utf8 = utf8(&message)
                    && attributes.iter().all(|(key, value)| {
                        utf8(key) && !matches!(value, Given::Text(bytes) if !utf8(bytes))
                    });
                let expected_result = if !(1..=8).contains(&level) || !known || text_len != covered
                {
                    FERROLOG_INVALID_ARGUMENT
                } else if !all_utf8 {
                    FERROLOG_INVALID_UTF8
                } else {
                    FERROLOG_OK
                };
                let accepted = client.accepted() - before;
                if expected_result == FERROLOG_OK {
                    prop_assert!(
                        matches!(result, FERROLOG_OK | FERROLOG_DROPPED),
                        "{result:?}"
                    );
                } else {
                    prop_assert_eq!(result, expected_result);
                }
                prop_assert_eq!(accepted, u64::from(result == FERROLOG_OK));
                if result == FERROLOG_OK {
                    let seen = seen.ok_or_else(|| TestCaseError::fail("accepted, unseen"))?;
                    let want = expected(&attributes);
                    prop_assert!(same_json(&seen["attributes"], &want), "{seen} for {want}");
                    prop_assert_eq!(seen["level"].as_i64(), Some(i64::from(level)));
                }
                Ok(())
            })
            .unwrap();
        client.settle();
    }
    assert_eq!(panics(), 0);
}

#[test]
fn a_null_table_or_text_with_lengths_is_refused_unread() {
    let client = FuzzClient::new("luminalog", Hooks::Record);
    let key = ferrolog_typed_attribute {
        key_len: 1,
        kind: FERROLOG_VALUE_NULL,
        value: ferrolog_value { integer: 0 },
    };
    let log = |table: *const ferrolog_typed_attribute, count, text: *const u8, text_len| {
        ferrolog_log_typed(
            client.logger,
            7,
            c"m".as_ptr(),
            1,
            table,
            count,
            text.cast(),
            text_len,
        )
    };
    assert_eq!(
        log(ptr::null(), 1, b"k".as_ptr(), 1),
        FERROLOG_NULL_ARGUMENT
    );
    assert_eq!(log(&key, 1, ptr::null(), 1), FERROLOG_NULL_ARGUMENT);
    assert_eq!(log(ptr::null(), 0, ptr::null(), 0), FERROLOG_OK);
    // Lengths whose sum overflows are refused, not wrapped.
    let huge = [
        ferrolog_typed_attribute {
            key_len: usize::MAX,
            ..key
        },
        ferrolog_typed_attribute { key_len: 2, ..key },
    ];
    assert_eq!(
        log(huge.as_ptr(), 2, b"k".as_ptr(), 1),
        FERROLOG_INVALID_ARGUMENT
    );
    assert_eq!(
        ferrolog_log_typed(ptr::null(), 7, c"m".as_ptr(), 1, &key, 1, c"k".as_ptr(), 1),
        FERROLOG_NULL_ARGUMENT
    );
    client.settle();
    assert_eq!(panics(), 0);
}
