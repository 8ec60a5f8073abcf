//! Typed attribute values. A binding whose language has typed values (Go's slog, Node's
//! numbers) passes them as they are instead of writing a JSON object for the core to check:
//! the record holds a number as the text JSON writes it, beside the string pairs, so the worker
//! reads both kinds from the one buffer.

use serde_json::Value;
use smallvec::SmallVec;

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

/// The JSON text of a record's non-text values, written in order before the record's buffer
/// is allocated so that buffer can be sized exactly. A handful of numbers stays on the stack.
#[derive(Default)]
pub(super) struct Literals {
    text: SmallVec<[u8; 96]>,
    ends: SmallVec<[usize; 8]>,
}

impl Literals {
    /// Writes `value`'s JSON; text values have none here and are skipped.
    pub fn push(&mut self, value: Scalar<'_>) {
        let out = &mut self.text;
        // Writing a number or a bool into memory cannot fail.
        let _ = match value {
            Scalar::Text(_) => return,
            Scalar::Int(n) => serde_json::to_writer(&mut *out, &n),
            Scalar::Uint(n) => serde_json::to_writer(&mut *out, &n),
            Scalar::Float(x) => serde_json::to_writer(&mut *out, &x),
            Scalar::Bool(b) => serde_json::to_writer(&mut *out, &b),
            Scalar::Null => serde_json::to_writer(&mut *out, &()),
        };
        self.ends.push(out.len());
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// The `index`th literal pushed.
    pub fn get(&self, index: usize) -> &[u8] {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[index]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_the_json_of_their_values() {
        let mut literals = Literals::default();
        for value in [
            Scalar::Int(-42),
            Scalar::Text(b"skipped"),
            Scalar::Uint(u64::MAX),
            Scalar::Float(0.5),
            Scalar::Float(f64::NAN),
            Scalar::Float(f64::NEG_INFINITY),
            Scalar::Bool(true),
            Scalar::Null,
        ] {
            literals.push(value);
        }
        let written: Vec<&[u8]> = (0..7).map(|i| literals.get(i)).collect();
        let expected: [&[u8]; 7] = [
            b"-42",
            b"18446744073709551615",
            b"0.5",
            b"null",
            b"null",
            b"true",
            b"null",
        ];
        assert_eq!(written, expected);
        assert_eq!(
            literals.len(),
            expected.iter().map(|l| l.len()).sum::<usize>()
        );
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
