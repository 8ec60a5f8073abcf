//! Typed attribute values. A binding whose language has typed values (Go's slog, Node's
//! numbers) passes them as they are instead of writing a JSON object for the core to check:
//! the record holds a number as the text JSON writes it, beside the string pairs, so the worker
//! reads both kinds from the one buffer.

use serde_json::Value;

/// An attribute value of one of JSON's scalar types, as the caller passes it. Text is bytes
/// that must be UTF-8; the record checks them with everything else it packs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    Text(&'a [u8]),
    Int(i64),
    Uint(u64),
    /// NaN and the infinities, which JSON cannot write, become `null`, as a JSON encoder of
    /// the bindings writes them.
    Float(f64),
    Bool(bool),
    Null,
}

/// A pair's value as a record holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairValue<'a> {
    Text(&'a str),
    /// A number, `true`, `false` or `null`, as JSON writes it.
    Literal(&'a str),
}

impl<'a> PairValue<'a> {
    pub fn to_value(self) -> Value {
        match self {
            PairValue::Text(text) => Value::String(text.to_owned()),
            // Written by `Literals::push`, so always one JSON scalar.
            PairValue::Literal(literal) => serde_json::from_str(literal).unwrap_or(Value::Null),
        }
    }

    /// The value as LogFlux and other text-only attribute sinks carry it: a string as it is,
    /// anything else as its JSON.
    pub fn as_text(self) -> &'a str {
        match self {
            PairValue::Text(text) | PairValue::Literal(text) => text,
        }
    }
}

/// Room for any finite f64's JSON, the longest being 24 bytes (`-2.2250738585072014e-308`).
const FLOAT_JSON_CAPACITY: usize = 32;

/// Where a non-text value's JSON is written, on the stack: a record's packing writes each one
/// twice, to size its buffer and then to fill it, which costs less than keeping the first
/// writing aside.
#[derive(Default)]
pub(super) struct LiteralBuffer {
    integer: itoa::Buffer,
    float: [u8; FLOAT_JSON_CAPACITY],
}

impl LiteralBuffer {
    /// `value`'s JSON; a text value has none here and writes nothing.
    pub fn write(&mut self, value: Scalar<'_>) -> &[u8] {
        // Integers and the constants are written directly: through serde_json's serializer
        // they cost several times as much, on the caller's thread.
        match value {
            Scalar::Text(_) => b"",
            Scalar::Int(n) => self.integer.format(n).as_bytes(),
            Scalar::Uint(n) => self.integer.format(n).as_bytes(),
            Scalar::Float(x) if x.is_finite() => {
                let mut out = &mut self.float[..];
                // The buffer holds any finite f64's JSON, so this cannot fail.
                let _ = serde_json::to_writer(&mut out, &x);
                let written = FLOAT_JSON_CAPACITY - out.len();
                &self.float[..written]
            }
            Scalar::Bool(true) => b"true",
            Scalar::Bool(false) => b"false",
            Scalar::Float(_) | Scalar::Null => b"null",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_the_json_of_their_values() {
        let cases: [(Scalar, &[u8]); 10] = [
            (Scalar::Int(-42), b"-42"),
            (Scalar::Text(b"skipped"), b""),
            (Scalar::Uint(u64::MAX), b"18446744073709551615"),
            (Scalar::Int(i64::MIN), b"-9223372036854775808"),
            (Scalar::Float(0.5), b"0.5"),
            (Scalar::Float(f64::NAN), b"null"),
            (Scalar::Float(f64::NEG_INFINITY), b"null"),
            (Scalar::Bool(true), b"true"),
            (Scalar::Bool(false), b"false"),
            (Scalar::Null, b"null"),
        ];
        let mut buffer = LiteralBuffer::default();
        for (value, json) in cases {
            assert_eq!(buffer.write(value), json, "{value:?}");
        }
    }

    #[test]
    fn floats_read_as_serde_json_writes_them() {
        let mut buffer = LiteralBuffer::default();
        for x in [
            1e21,
            -2.2250738585072014e-308,
            f64::MAX,
            f64::MIN_POSITIVE,
            1.0,
            -0.0,
            0.1,
        ] {
            let json = serde_json::to_string(&x).unwrap();
            assert_eq!(buffer.write(Scalar::Float(x)), json.as_bytes());
        }
    }

    #[test]
    fn a_literal_reads_back_as_its_value() {
        assert_eq!(PairValue::Literal("7").to_value(), Value::from(7));
        assert_eq!(PairValue::Literal("-1.5").to_value(), Value::from(-1.5));
        assert_eq!(PairValue::Literal("false").to_value(), Value::Bool(false));
        assert_eq!(PairValue::Text("7").to_value(), Value::from("7"));
        assert_eq!(PairValue::Literal("7").as_text(), "7");
    }
}
