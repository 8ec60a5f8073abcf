//! Batch ids: every request carries one, the same on every retry and every replay from the
//! spool, so a receiver that remembers recent ids stores a batch once however often it came.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::entry::Record;

/// The HTTP header a batch id travels in.
pub const BATCH_HEADER: &str = "X-Ferrolog-Batch";

/// 128 random bits, written as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct BatchId([u8; 16]);

impl BatchId {
    pub fn random() -> BatchId {
        let mut bytes = [0u8; 16];
        crate::random::fill_nonzero(&mut bytes);
        BatchId(bytes)
    }

    /// The id of part `index` of this batch when a protocol splits it into several requests:
    /// the same parts of the same batch get the same ids on every replay.
    pub fn part(self, index: usize) -> BatchId {
        if index == 0 {
            return self;
        }
        let mut bytes = self.0;
        for (byte, extra) in bytes[12..].iter_mut().zip((index as u32).to_be_bytes()) {
            *byte ^= extra;
        }
        BatchId(bytes)
    }

    pub fn parse(text: &str) -> Option<BatchId> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(BatchId(bytes))
    }
}

impl fmt::Display for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for BatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchId({self})")
    }
}

impl From<BatchId> for String {
    fn from(id: BatchId) -> String {
        id.to_string()
    }
}

impl TryFrom<String> for BatchId {
    type Error = String;

    fn try_from(text: String) -> Result<BatchId, String> {
        BatchId::parse(&text).ok_or_else(|| "a batch id is 32 hex digits".to_owned())
    }
}

/// Entries that travel as one request, under one id.
#[derive(Debug)]
pub(crate) struct Batch {
    pub id: BatchId,
    pub records: Vec<Record>,
}

impl Batch {
    pub fn new(records: Vec<Record>) -> Batch {
        Batch {
            id: BatchId::random(),
            records,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hex_and_parse_back() {
        let id = BatchId::random();
        let text = id.to_string();
        assert_eq!(text.len(), 32);
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(BatchId::parse(&text), Some(id));
        assert_ne!(BatchId::random(), id);
        assert_eq!(BatchId::parse("xyz"), None);
    }

    #[test]
    fn parts_are_stable_and_distinct() {
        let id = BatchId::random();
        assert_eq!(id.part(0), id);
        assert_eq!(id.part(3), id.part(3));
        assert_ne!(id.part(1), id);
        assert_ne!(id.part(1), id.part(2));
    }
}
