//! One entry as one multipart part (spec §8, §9 headers, §12 step 7): serialized JSON in,
//! gzipped and sealed part out, and the collector's way back.

use std::borrow::Cow;
use std::fmt;

use flate2::Compression;

use super::crypto::{AesKey, CryptoError, Nonce, Sealer, TAG_LEN};
use super::gzip::{self, GunzipError, Gzip};
use super::multipart::Part;
use super::{Limits, Session};
use crate::config::DEFAULT_COMPRESSION_LEVEL;
use crate::entry::EntryKind;

pub const CONTENT_TYPE: &str = "Content-Type";
pub const ENTRY_TYPE: &str = "X-LF-Entry-Type";
pub const KEY_ID: &str = "X-LF-Key-ID";
pub const NONCE: &str = "X-LF-Nonce";
pub const PAYLOAD_TYPE: &str = "X-LF-Payload-Type";
pub const SEARCH_TOKENS: &str = "X-LF-Search-Tokens";
pub const TIMESTAMP: &str = "X-LF-Timestamp";

/// `X-LF-Payload-Type`; 2 is undefined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadType {
    /// AES-256-GCM over (usually gzipped) JSON: entry types 1–6.
    Encrypted = 1,
    /// (Usually gzipped) JSON in the clear: managed telemetry, type 7.
    Plain = 3,
}

/// Why a part could not be built or opened, with its spec §12 error code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartError {
    /// The JSON is over the entry limit: the client drops it (`validation_error`); the
    /// collector refuses the whole request (413).
    EntryTooLarge {
        size: usize,
        limit: usize,
    },
    InvalidEntryType,
    UnsupportedPayloadType,
    MissingKeyId,
    InvalidNonce,
    /// The key id is not one of the sender's; the collector refuses the whole request (401).
    UnknownKeyId,
    DecryptFailed,
    DecompressFailed,
}

impl PartError {
    /// The error code of spec §12 (a failure entry's `error`, or the error answer's code).
    pub fn code(&self) -> &'static str {
        match self {
            PartError::EntryTooLarge { .. } => "payload_too_large",
            PartError::InvalidEntryType => "invalid_entry_type",
            PartError::UnsupportedPayloadType => "unsupported_payload_type",
            PartError::MissingKeyId => "missing_key_id",
            PartError::InvalidNonce => "invalid_nonce",
            PartError::UnknownKeyId => "unknown_key_id",
            PartError::DecryptFailed => "decrypt_failed",
            PartError::DecompressFailed => "decompress_failed",
        }
    }

    /// The status for the whole request when this failure fails it; `None` when only the
    /// part fails and the request goes on (spec §12 steps 6–7).
    pub fn request_status(&self) -> Option<u16> {
        match self {
            PartError::EntryTooLarge { .. } => Some(413),
            PartError::UnknownKeyId => Some(401),
            _ => None,
        }
    }
}

impl fmt::Display for PartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartError::EntryTooLarge { size, limit } => {
                write!(f, "entry of {size} bytes is over the {limit}-byte limit")
            }
            other => f.write_str(other.code()),
        }
    }
}

impl std::error::Error for PartError {}

/// One entry ready for [`PartEncoder::encode`].
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub kind: EntryKind,
    /// The entry's §7 JSON, already serialized.
    pub json: &'a [u8],
    /// The entry's `ts`, repeated in `X-LF-Timestamp`.
    pub timestamp: &'a str,
}

/// gzip's header and trailer (18 bytes) and deflate's block overhead, rounded up.
const GZIP_FRAMING: usize = 64;
/// Above this many bytes of JSON, a part's body is not sized for the whole entry up front.
const LARGE_ENTRY: usize = 64 * 1024;

/// Builds parts, keeping one gzip state and one cipher for all of them.
pub struct PartEncoder {
    gzip: Option<Gzip>,
    /// Expanded from the session key on first use, and again when a new session brings a
    /// new key.
    sealer: Option<Sealer>,
}

impl PartEncoder {
    /// `compress` is the client's compression option (on by default in spec §8), at the
    /// default level.
    pub fn new(compress: bool) -> PartEncoder {
        PartEncoder::with_compression(compress.then(|| Compression::new(DEFAULT_COMPRESSION_LEVEL)))
    }

    /// Compresses at `level`, or not at all when `None`.
    pub fn with_compression(level: Option<Compression>) -> PartEncoder {
        PartEncoder {
            gzip: level.map(Gzip::new),
            sealer: None,
        }
    }

    /// The part for `entry` under `session`: sealed under a fresh nonce for types 1–6, in the
    /// clear for type 7, headers in the table order of spec §9.
    pub fn encode(&mut self, entry: &Entry<'_>, session: &Session) -> Result<Part, PartError> {
        let limit = session.limits.max_payload_size;
        if entry.json.len() > limit {
            return Err(PartError::EntryTooLarge {
                size: entry.json.len(),
                limit,
            });
        }
        // The body is built once, in place. A small entry barely shrinks in gzip, so it gets
        // room for all of it, the framing and the tag; a large one grows as it compresses
        // instead of holding its full size for as long as its batch waits.
        let room = entry.json.len().min(LARGE_ENTRY) + GZIP_FRAMING + TAG_LEN;
        let mut body = Vec::with_capacity(room);
        match &mut self.gzip {
            Some(gzip) => gzip.compress_into(entry.json, &mut body),
            None => body.extend_from_slice(entry.json),
        }
        let mut headers: Vec<(Cow<'static, str>, String)> = Vec::with_capacity(6);
        let mut header = |name: &'static str, value: String| headers.push((name.into(), value));
        header(CONTENT_TYPE, "application/octet-stream".into());
        header(ENTRY_TYPE, (entry.kind as u8).to_string());
        let payload_type = if entry.kind == EntryKind::TelemetryManaged {
            PayloadType::Plain
        } else {
            let nonce = self.sealer_for(&session.key).seal_in_place(&mut body);
            header(KEY_ID, session.key_id.clone());
            header(NONCE, nonce.to_base64());
            PayloadType::Encrypted
        };
        header(PAYLOAD_TYPE, (payload_type as u8).to_string());
        header(TIMESTAMP, entry.timestamp.to_owned());
        Ok(Part { headers, body })
    }

    fn sealer_for(&mut self, key: &AesKey) -> &mut Sealer {
        if !self
            .sealer
            .as_ref()
            .is_some_and(|sealer| sealer.is_for(key))
        {
            self.sealer = Some(Sealer::new(key));
        }
        self.sealer.get_or_insert_with(|| Sealer::new(key))
    }
}

/// A part opened back to its entry JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedPart {
    pub kind: EntryKind,
    pub payload_type: PayloadType,
    pub key_id: Option<String>,
    /// `X-LF-Timestamp` and `X-LF-Search-Tokens`, stored as given.
    pub timestamp: Option<String>,
    pub search_tokens: Option<String>,
    /// The entry's JSON; not yet checked to be JSON.
    pub json: Vec<u8>,
}

/// Opens a part as the collector does (spec §12 step 7), checks in the spec's order.
/// `key_for` looks up the AES key of a key id owned by the sender; the plaintext must fit in
/// `limits.max_payload_size`, which also bounds what a gzip body may inflate to.
pub fn decode<'k>(
    part: &Part,
    key_for: impl FnOnce(&str) -> Option<&'k AesKey>,
    limits: &Limits,
) -> Result<DecodedPart, PartError> {
    let kind = part
        .header(ENTRY_TYPE)
        .and_then(|v| v.parse::<u8>().ok())
        .and_then(entry_kind)
        .ok_or(PartError::InvalidEntryType)?;
    let payload_type = match part.header(PAYLOAD_TYPE) {
        Some("1") => PayloadType::Encrypted,
        Some("3") if kind == EntryKind::TelemetryManaged => PayloadType::Plain,
        _ => return Err(PartError::UnsupportedPayloadType),
    };
    let key_id = part.header(KEY_ID).map(str::to_owned);
    let data = match payload_type {
        PayloadType::Plain => Cow::Borrowed(&part.body[..]),
        PayloadType::Encrypted => {
            let key_id = key_id.as_deref().ok_or(PartError::MissingKeyId)?;
            let nonce = part
                .header(NONCE)
                .ok_or(PartError::InvalidNonce)
                .and_then(|n| Nonce::from_base64(n).map_err(|_| PartError::InvalidNonce))?;
            let key = key_for(key_id).ok_or(PartError::UnknownKeyId)?;
            let opened = key.open(&nonce, &part.body).map_err(|e| match e {
                CryptoError::DecryptFailed => PartError::DecryptFailed,
                _ => PartError::InvalidNonce,
            })?;
            Cow::Owned(opened)
        }
    };
    let limit = limits.max_payload_size;
    let json = if gzip::is_gzip(&data) {
        gzip::gunzip(&data, limit).map_err(|e| match e {
            GunzipError::Invalid => PartError::DecompressFailed,
            GunzipError::TooLarge => PartError::EntryTooLarge {
                size: limit + 1,
                limit,
            },
        })?
    } else if data.len() > limit {
        return Err(PartError::EntryTooLarge {
            size: data.len(),
            limit,
        });
    } else {
        data.into_owned()
    };
    Ok(DecodedPart {
        kind,
        payload_type,
        key_id,
        timestamp: part.header(TIMESTAMP).map(str::to_owned),
        search_tokens: part.header(SEARCH_TOKENS).map(str::to_owned),
        json,
    })
}

fn entry_kind(number: u8) -> Option<EntryKind> {
    Some(match number {
        1 => EntryKind::Log,
        2 => EntryKind::Metric,
        3 => EntryKind::Trace,
        4 => EntryKind::Event,
        5 => EntryKind::Audit,
        6 => EntryKind::Telemetry,
        7 => EntryKind::TelemetryManaged,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;
    use crate::wire::logflux::vectors::{hex_bytes, section, text};

    const JSON: &[u8] = br#"{"v":"2.0","type":"log","source":"svc","level":7,"ts":"2026-01-01T00:00:00Z","message":"hello hello hello"}"#;
    const TS: &str = "2026-01-01T00:00:00.5Z";

    fn session() -> Session {
        Session {
            key_id: "7f8a9b0c-1d2e-3f4a-5b6c-7d8e9f0a1b2c".into(),
            key: AesKey::generate(),
            limits: Limits::default(),
        }
    }

    fn entry(kind: EntryKind) -> Entry<'static> {
        Entry {
            kind,
            json: JSON,
            timestamp: TS,
        }
    }

    fn open(part: &Part, session: &Session) -> Result<DecodedPart, PartError> {
        decode(
            part,
            |id| (id == session.key_id).then_some(&session.key),
            &session.limits,
        )
    }

    fn with_header(part: &Part, name: &str, value: Option<&str>) -> Part {
        let mut part = part.clone();
        part.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            part.headers
                .push((name.to_owned().into(), value.to_owned()));
        }
        part
    }

    #[test]
    fn every_type_round_trips_with_and_without_compression() {
        let session = session();
        for compress in [true, false] {
            let mut encoder = PartEncoder::new(compress);
            for kind in EntryKind::ALL {
                let part = encoder.encode(&entry(kind), &session).unwrap();
                assert_eq!(
                    gzip::is_gzip(&part.body),
                    compress && kind == EntryKind::TelemetryManaged
                );
                let decoded = open(&part, &session).unwrap();
                assert_eq!(decoded.kind, kind);
                assert_eq!(decoded.json, JSON);
                assert_eq!(decoded.timestamp.as_deref(), Some(TS));
            }
        }
    }

    #[test]
    fn headers_follow_the_table_for_sealed_and_plain_parts() {
        let session = session();
        let mut encoder = PartEncoder::new(true);
        let sealed = encoder.encode(&entry(EntryKind::Audit), &session).unwrap();
        let names: Vec<&str> = sealed.headers.iter().map(|(n, _)| n.as_ref()).collect();
        assert_eq!(
            names,
            [
                CONTENT_TYPE,
                ENTRY_TYPE,
                KEY_ID,
                NONCE,
                PAYLOAD_TYPE,
                TIMESTAMP
            ]
        );
        assert_eq!(sealed.header(ENTRY_TYPE), Some("5"));
        assert_eq!(sealed.header(PAYLOAD_TYPE), Some("1"));
        assert_eq!(sealed.header(KEY_ID), Some(session.key_id.as_str()));
        assert_eq!(sealed.header(NONCE).unwrap().len(), 16);

        let plain = encoder
            .encode(&entry(EntryKind::TelemetryManaged), &session)
            .unwrap();
        let names: Vec<&str> = plain.headers.iter().map(|(n, _)| n.as_ref()).collect();
        assert_eq!(names, [CONTENT_TYPE, ENTRY_TYPE, PAYLOAD_TYPE, TIMESTAMP]);
        assert_eq!(plain.header(ENTRY_TYPE), Some("7"));
        assert_eq!(plain.header(PAYLOAD_TYPE), Some("3"));
        assert_eq!(plain.header(CONTENT_TYPE), Some("application/octet-stream"));
    }

    #[test]
    fn a_new_session_key_is_used_at_once() {
        let (first, second) = (session(), session());
        let mut encoder = PartEncoder::new(true);
        for session in [&first, &second, &first] {
            let part = encoder.encode(&entry(EntryKind::Log), session).unwrap();
            assert_eq!(open(&part, session).unwrap().json, JSON);
        }
    }

    #[test]
    fn the_level_reaches_the_part_body() {
        let json: Vec<u8> = (0..300)
            .flat_map(|i| format!("{{\"k{}\":\"value {i}\"}}", i % 9).into_bytes())
            .collect();
        let managed = Entry {
            json: &json,
            ..entry(EntryKind::TelemetryManaged)
        };
        let session = session();
        let body = |level| {
            PartEncoder::with_compression(Some(Compression::new(level)))
                .encode(&managed, &session)
                .unwrap()
        };
        let (fast, best) = (body(1), body(9));
        assert!(best.body.len() < fast.body.len());
        for part in [fast, best] {
            assert_eq!(open(&part, &session).unwrap().json, json);
        }
        let plain = PartEncoder::with_compression(None)
            .encode(&managed, &session)
            .unwrap();
        assert_eq!(plain.body, json);
    }

    #[test]
    fn nonces_differ_across_entries() {
        let session = session();
        let mut encoder = PartEncoder::new(true);
        let nonces: std::collections::HashSet<String> = (0..100)
            .map(|_| encoder.encode(&entry(EntryKind::Log), &session).unwrap())
            .map(|part| part.header(NONCE).unwrap().to_owned())
            .collect();
        assert_eq!(nonces.len(), 100);
    }

    #[test]
    fn oversized_entries_are_not_encoded() {
        let mut session = session();
        session.limits.max_payload_size = JSON.len() - 1;
        let err = PartEncoder::new(true)
            .encode(&entry(EntryKind::Log), &session)
            .unwrap_err();
        assert_eq!(
            err,
            PartError::EntryTooLarge {
                size: JSON.len(),
                limit: JSON.len() - 1
            }
        );
        session.limits.max_payload_size = JSON.len();
        assert!(PartEncoder::new(true)
            .encode(&entry(EntryKind::Log), &session)
            .is_ok());
    }

    #[test]
    fn vector_part_decodes_to_the_vector_json() {
        let v = section("multipart_single_go_layout");
        let parts = crate::wire::logflux::multipart::tests::block_on(
            crate::wire::logflux::multipart::parse(
                text(&v, "content_type"),
                hex_bytes(&v, "body_hex").into(),
                &Limits::default(),
            ),
        )
        .unwrap();
        let key = AesKey::from_slice(&hex_bytes(&section("aes_gcm_gzip"), "key_hex")).unwrap();
        let decoded = decode(
            &parts[0],
            |id| (id == "7f8a9b0c-1d2e-3f4a-5b6c-7d8e9f0a1b2c").then_some(&key),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            decoded.json,
            text(&section("aes_gcm_plain"), "plaintext_utf8").as_bytes()
        );
        assert_eq!(decoded.kind, EntryKind::Log);
    }

    #[test]
    fn header_problems_fail_the_part_with_their_codes() {
        let session = session();
        let part = PartEncoder::new(true)
            .encode(&entry(EntryKind::Log), &session)
            .unwrap();
        let cases = [
            (
                with_header(&part, ENTRY_TYPE, None),
                PartError::InvalidEntryType,
            ),
            (
                with_header(&part, ENTRY_TYPE, Some("8")),
                PartError::InvalidEntryType,
            ),
            (
                with_header(&part, ENTRY_TYPE, Some("0")),
                PartError::InvalidEntryType,
            ),
            (
                with_header(&part, ENTRY_TYPE, Some("log")),
                PartError::InvalidEntryType,
            ),
            (
                with_header(&part, PAYLOAD_TYPE, None),
                PartError::UnsupportedPayloadType,
            ),
            (
                with_header(&part, PAYLOAD_TYPE, Some("2")),
                PartError::UnsupportedPayloadType,
            ),
            (
                with_header(&part, PAYLOAD_TYPE, Some("3")),
                PartError::UnsupportedPayloadType,
            ),
            (with_header(&part, KEY_ID, None), PartError::MissingKeyId),
            (with_header(&part, NONCE, None), PartError::InvalidNonce),
            (
                with_header(&part, NONCE, Some("AAECAwQFBgcICQ==")),
                PartError::InvalidNonce,
            ),
            (
                with_header(&part, KEY_ID, Some("someone-elses")),
                PartError::UnknownKeyId,
            ),
        ];
        for (bad, err) in cases {
            assert_eq!(open(&bad, &session), Err(err.clone()), "{err}");
            assert_eq!(
                err.request_status().is_some(),
                err == PartError::UnknownKeyId
            );
        }
        assert_eq!(PartError::UnknownKeyId.request_status(), Some(401));
        assert_eq!(PartError::InvalidNonce.code(), "invalid_nonce");
    }

    #[test]
    fn body_problems_fail_the_part_with_their_codes() {
        let session = session();
        let mut encoder = PartEncoder::new(true);
        let part = encoder.encode(&entry(EntryKind::Log), &session).unwrap();
        let mut tampered = part.clone();
        tampered.body[20] ^= 4;
        let mut truncated = part.clone();
        truncated.body.truncate(part.body.len() - 1);
        let foreign = Session {
            key: AesKey::generate(),
            ..session.clone()
        };
        for bad in [&tampered, &truncated] {
            assert_eq!(open(bad, &session), Err(PartError::DecryptFailed));
        }
        assert_eq!(open(&part, &foreign), Err(PartError::DecryptFailed));

        // Labelled gzip by its magic bytes, but not gzip.
        let (nonce, sealed) = session.key.seal(&[0x1f, 0x8b, 1, 2, 3]);
        let not_gzip = with_header(&part, NONCE, Some(&nonce.to_base64()));
        let not_gzip = Part {
            body: sealed,
            ..not_gzip
        };
        assert_eq!(open(&not_gzip, &session), Err(PartError::DecompressFailed));
        let plain_not_gzip = Part {
            body: vec![0x1f, 0x8b, 0],
            ..encoder
                .encode(&entry(EntryKind::TelemetryManaged), &session)
                .unwrap()
        };
        assert_eq!(
            open(&plain_not_gzip, &session),
            Err(PartError::DecompressFailed)
        );
    }

    #[test]
    fn bombs_and_oversized_plaintext_fail_the_request() {
        let mut session = session();
        let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
        for _ in 0..32 {
            bomb.write_all(&[b' '; 1 << 20]).unwrap();
        }
        let bomb = bomb.finish().unwrap();
        let (nonce, sealed) = session.key.seal(&bomb);
        let template = PartEncoder::new(true)
            .encode(&entry(EntryKind::Log), &session)
            .unwrap();
        let part = Part {
            body: sealed,
            ..with_header(&template, NONCE, Some(&nonce.to_base64()))
        };
        let err = open(&part, &session).unwrap_err();
        assert_eq!(
            (err.request_status(), err.code()),
            (Some(413), "payload_too_large")
        );

        let uncompressed = PartEncoder::new(false)
            .encode(&entry(EntryKind::Log), &session)
            .unwrap();
        session.limits.max_payload_size = JSON.len() - 1;
        assert!(matches!(
            open(&uncompressed, &session),
            Err(PartError::EntryTooLarge { .. })
        ));
    }
}
