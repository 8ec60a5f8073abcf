//! Trace and span ids: random, never all zero, written as lowercase hex.

use std::fmt;
use std::str::FromStr;

use crate::random::fill_nonzero;

/// Why a string is not an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdError {
    /// Not exactly `expected` characters (twice the id's byte count).
    WrongLength { expected: usize, found: usize },
    /// A character outside `0-9a-fA-F`.
    NotHex,
    /// All zero: W3C Trace Context and OTLP both reserve it for "no id".
    AllZero,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::WrongLength { expected, found } => {
                write!(f, "an id needs {expected} hex digits, found {found}")
            }
            IdError::NotHex => f.write_str("an id holds only hex digits"),
            IdError::AllZero => f.write_str("an id may not be all zero"),
        }
    }
}

impl std::error::Error for IdError {}

/// Declares one id type: a fixed number of random bytes, never all zero.
macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident, $bytes:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; $bytes]);

        impl $name {
            /// A fresh random id.
            pub fn random() -> $name {
                let mut bytes = [0u8; $bytes];
                fill_nonzero(&mut bytes);
                $name(bytes)
            }

            /// The id with these bytes, or `None` when they are all zero.
            pub fn from_bytes(bytes: [u8; $bytes]) -> Option<$name> {
                bytes.iter().any(|&b| b != 0).then_some($name(bytes))
            }

            pub fn to_bytes(self) -> [u8; $bytes] {
                self.0
            }

            /// Parses the hex form: exactly two digits per byte, of either case, not all
            /// zero. Protocols that demand lowercase (W3C `traceparent`) check that first.
            pub fn parse(text: &str) -> Result<$name, IdError> {
                if text.len() != 2 * $bytes {
                    return Err(IdError::WrongLength { expected: 2 * $bytes, found: text.len() });
                }
                let mut bytes = [0u8; $bytes];
                hex::decode_to_slice(text, &mut bytes).map_err(|_| IdError::NotHex)?;
                $name::from_bytes(bytes).ok_or(IdError::AllZero)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut text = [0u8; 2 * $bytes];
                hex::encode_to_slice(self.0, &mut text).map_err(|_| fmt::Error)?;
                // hex digits are ASCII, so the buffer is always UTF-8.
                f.pad(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<$name, IdError> {
                $name::parse(text)
            }
        }
    };
}

hex_id!(
    /// A 16-byte trace id, shared by every span of one trace.
    TraceId,
    16
);
hex_id!(
    /// An 8-byte span id, unique within its trace.
    SpanId,
    8
);

/// A random UUID v4, lowercase and hyphenated: the form of LuminaLog's id generators. Its
/// bytes come from the same generator as the other ids (`Uuid::new_v4` asks the OS every time).
pub fn generate_trace_id_uuid() -> String {
    let mut bytes = [0u8; 16];
    fill_nonzero(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_print_as_lowercase_hex_and_parse_back() {
        let trace = TraceId::parse("4BF92F3577B34DA6A3CE929D0E0E4736").unwrap();
        assert_eq!(trace.to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(trace.to_bytes()[0], 0x4b);
        let span: SpanId = "00f067aa0ba902b7".parse().unwrap();
        assert_eq!(span.to_string(), "00f067aa0ba902b7");
        assert_eq!(format!("{span:?}"), "SpanId(00f067aa0ba902b7)");
        for _ in 0..100 {
            let id = TraceId::random();
            assert_eq!(TraceId::parse(&id.to_string()), Ok(id));
        }
    }

    #[test]
    fn parse_rejects_wrong_length_non_hex_and_zero() {
        assert_eq!(
            SpanId::parse("00f067aa0ba902b"),
            Err(IdError::WrongLength {
                expected: 16,
                found: 15
            })
        );
        assert!(matches!(
            TraceId::parse("4bf92f3577b34da6a3ce929d0e0e47360"),
            Err(IdError::WrongLength { .. })
        ));
        assert_eq!(SpanId::parse("00f067aa0ba902bg"), Err(IdError::NotHex));
        assert_eq!(SpanId::parse("00f067aa0ba902+7"), Err(IdError::NotHex));
        // 16 bytes of text, but one character is two bytes of UTF-8.
        assert!(SpanId::parse("00f067aa0ba902é").is_err());
        assert_eq!(SpanId::parse(&"0".repeat(16)), Err(IdError::AllZero));
        assert_eq!(TraceId::parse(&"0".repeat(32)), Err(IdError::AllZero));
        assert_eq!(TraceId::from_bytes([0; 16]), None);
        assert_eq!(
            SpanId::parse(""),
            Err(IdError::WrongLength {
                expected: 16,
                found: 0
            })
        );
    }

    #[test]
    fn random_ids_do_not_repeat_and_are_never_zero() {
        let traces: HashSet<TraceId> = (0..100_000).map(|_| TraceId::random()).collect();
        let spans: HashSet<SpanId> = (0..100_000).map(|_| SpanId::random()).collect();
        assert_eq!((traces.len(), spans.len()), (100_000, 100_000));
        assert!(traces.iter().all(|id| id.to_bytes() != [0; 16]));
        assert!(spans.iter().all(|id| id.to_bytes() != [0; 8]));
    }

    #[test]
    fn random_bytes_are_spread_over_every_bit() {
        // Each of the 128 bits of 10 000 ids is set about half the time: a stuck or biased
        // bit (a constant, a truncated seed) lands far outside 40–60 %.
        let mut ones = [0u32; 128];
        let count = 10_000;
        for _ in 0..count {
            let value = u128::from_be_bytes(TraceId::random().to_bytes());
            for (bit, total) in ones.iter_mut().enumerate() {
                *total += ((value >> bit) & 1) as u32;
            }
        }
        assert!(
            ones.iter().all(|&n| (4_000..=6_000).contains(&n)),
            "{ones:?}"
        );
    }

    #[test]
    fn threads_do_not_share_a_sequence() {
        let batch = || (0..1000).map(|_| SpanId::random()).collect::<Vec<_>>();
        let here = batch();
        let there = std::thread::spawn(batch).join().unwrap();
        let all: HashSet<_> = here.iter().chain(&there).collect();
        assert_eq!(all.len(), 2000);
    }

    #[test]
    fn uuid_ids_are_lowercase_hyphenated_v4() {
        let id = generate_trace_id_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id, id.to_lowercase());
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(id.matches('-').count(), 4);
        let many: HashSet<String> = (0..10_000).map(|_| generate_trace_id_uuid()).collect();
        assert_eq!(many.len(), 10_000);
    }
}
