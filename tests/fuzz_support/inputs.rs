//! Strategies for hostile input: byte strings that are often not UTF-8, text that is almost
//! JSON, JSON nested past every limit, and rarely a very large valid string.

#![allow(dead_code)] // each test binary uses its own subset

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde_json::Value;

/// Bytes given as a `(ptr, len)` string: valid text (NULs included), arbitrary bytes, text with
/// one byte broken, and now and then a valid string of up to 256 KiB.
pub fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        30 => any::<String>().prop_map(String::into_bytes),
        15 => vec(any::<u8>(), 0..48),
        10 => (any::<String>(), any::<prop::sample::Index>(), 0x80u8..=0xff).prop_map(
            |(text, at, byte)| {
                let mut bytes = text.into_bytes();
                let at = at.index(bytes.len() + 1);
                bytes.insert(at, byte);
                bytes
            }
        ),
        1 => large_text(256 << 10),
    ]
}

/// Valid text of up to `max` bytes, one character repeated.
pub fn large_text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    (1..max, any::<char>())
        .prop_map(|(len, c)| c.to_string().repeat(len / c.len_utf8()).into_bytes())
}

/// Any JSON value, a few levels deep.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(".{0,10}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A JSON object of arbitrary members.
pub fn json_object() -> impl Strategy<Value = Value> {
    btree_map(".{0,10}", json_value(), 0..8).prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// `depth` objects nested in one another around `1`.
pub fn nested_object(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// Levels of arrays and objects in `value`; a scalar is 0.
pub fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Text for a JSON argument: real objects and other JSON, deep nesting around the limits,
/// token soup that is almost JSON, and arbitrary bytes.
pub fn json_ish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => json_object().prop_map(|v| v.to_string().into_bytes()),
        3 => json_value().prop_map(|v| v.to_string().into_bytes()),
        2 => (0usize..200).prop_map(|depth| nested_object(depth).into_bytes()),
        1 => (0usize..20_000).prop_map(|depth| "[".repeat(depth).into_bytes()),
        4 => r#"[ {}\[\]":,0-9a-z\\.eE+-]{0,48}"#.prop_map(String::into_bytes),
        2 => (json_object(), any::<prop::sample::Index>(), any::<u8>()).prop_map(
            |(v, at, byte)| {
                let mut bytes = v.to_string().into_bytes();
                let at = at.index(bytes.len());
                bytes[at] = byte;
                bytes
            }
        ),
        2 => text_bytes(),
    ]
}

/// A level number: mostly valid, often just outside the range, sometimes anything.
pub fn level() -> impl Strategy<Value = i32> {
    prop_oneof![6 => 1..=8i32, 2 => -2..12i32, 1 => any::<i32>()]
}
