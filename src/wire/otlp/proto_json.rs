//! The proto3 JSON details OTLP fixes (spec §3): 64-bit integers travel as decimal strings and
//! trace and span ids as hex, not base64.

use std::fmt::{self, Display};

use serde::{Serialize, Serializer};

/// A 64-bit integer written as a JSON string: JavaScript parsers would round it as a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Decimal<T>(pub T);

impl<T: Display> Serialize for Decimal<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Lowercase hex of an id, as ferrolog writes it.
pub(super) struct Hex<'a>(pub &'a [u8]);

impl Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    Hex(bytes).to_string()
}

/// An id of exactly `N` bytes given as `2N` hex digits of either case, not all zero (an
/// all-zero id means "no id" in OTLP), written back in lowercase.
pub(super) fn parse_id<const N: usize>(text: &str) -> Option<String> {
    let valid = text.len() == 2 * N
        && text.bytes().all(|c| c.is_ascii_hexdigit())
        && text.bytes().any(|c| c != b'0');
    valid.then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_strings_and_ids_lowercase_hex() {
        assert_eq!(
            serde_json::to_string(&Decimal(u64::MAX)).unwrap(),
            "\"18446744073709551615\""
        );
        assert_eq!(serde_json::to_string(&Decimal(-5i64)).unwrap(), "\"-5\"");
        assert_eq!(hex(&[0x00, 0xf0, 0x67, 0xAA]), "00f067aa");
    }

    #[test]
    fn ids_need_the_exact_length_and_a_non_zero_digit() {
        assert_eq!(
            parse_id::<8>("00F067AA0BA902B7").as_deref(),
            Some("00f067aa0ba902b7")
        );
        for bad in [
            "",
            "00f067aa0ba902b",
            "00f067aa0ba902b7a",
            "0000000000000000",
            "00f067aa0ba902g7",
        ] {
            assert_eq!(parse_id::<8>(bad), None, "{bad}");
        }
        assert!(parse_id::<16>("4bf92f3577b34da6a3ce929d0e0e4736").is_some());
        assert!(parse_id::<16>("4bf92f3577b34da6a3ce929d0e0e47").is_none());
    }
}
