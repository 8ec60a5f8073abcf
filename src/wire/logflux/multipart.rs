//! The ingest request body (spec §9, §12 steps 4–5): `multipart/mixed` in Go's byte layout on
//! the way out; on the way in, every layout the public SDKs send, parsed by `multer`.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;

use bytes::Bytes;
use memchr::memmem;

use super::crypto::random_bytes;
use super::Limits;

const CRLF: &[u8] = b"\r\n";

/// One part: headers in the order they are written, and the body bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    pub headers: Vec<(Cow<'static, str>, String)>,
    pub body: Vec<u8>,
}

impl Part {
    /// The first header of that name, compared case-insensitively as the spec requires.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A request's multipart boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary(String);

impl Boundary {
    /// Hex of 30 CSPRNG bytes (60 chars), as Go's `mime/multipart` makes them; fresh per
    /// request so no part body can contain it except by a 2^-240 chance.
    pub fn random() -> Boundary {
        let bytes: [u8; 30] = random_bytes();
        Boundary(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A given boundary: 1–70 characters of RFC 2046's `bchars`, not ending in a space.
    pub fn new(text: &str) -> Result<Boundary, MultipartError> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c);
        if text.is_empty() || text.len() > 70 || text.ends_with(' ') || !text.chars().all(allowed) {
            return Err(MultipartError::InvalidBoundary);
        }
        Ok(Boundary(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The request's `Content-Type`, boundary unquoted as the SDKs send it.
    pub fn content_type(&self) -> String {
        format!("multipart/mixed; boundary={}", self.0)
    }
}

/// Frames `parts` in Go's layout: no CRLF before the first delimiter, CRLF before every
/// following one and before the close, CRLF after the close.
pub fn encode(parts: &[Part], boundary: &Boundary) -> Vec<u8> {
    let delimiter_len = 2 + boundary.0.len() + 2 * CRLF.len();
    let size: usize = parts
        .iter()
        .map(|p| {
            let headers: usize = p.headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum();
            delimiter_len + headers + CRLF.len() + p.body.len()
        })
        .sum();
    let mut out = Vec::with_capacity(size + delimiter_len + 2);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.extend_from_slice(CRLF);
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.0.as_bytes());
        out.extend_from_slice(CRLF);
        for (name, value) in &part.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(CRLF);
        }
        out.extend_from_slice(CRLF);
        out.extend_from_slice(&part.body);
    }
    out.extend_from_slice(CRLF);
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.0.as_bytes());
    out.extend_from_slice(b"--\r\n");
    out
}

/// Why an ingest body is refused as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MultipartError {
    /// The media type is not `multipart/mixed`.
    UnsupportedMediaType,
    /// No `boundary` parameter, or one that is not 1–70 boundary characters.
    InvalidBoundary,
    /// The body is over the request size limit.
    BodyTooLarge,
    /// More parts than the batch limit.
    TooManyParts,
    /// The body holds no part.
    NoParts,
    /// The framing is broken (say, no close delimiter); says what the parser found.
    Malformed(String),
}

impl MultipartError {
    /// The HTTP status the collector answers (spec §12).
    pub fn status(&self) -> u16 {
        match self {
            MultipartError::UnsupportedMediaType => 415,
            MultipartError::BodyTooLarge | MultipartError::TooManyParts => 413,
            MultipartError::InvalidBoundary
            | MultipartError::NoParts
            | MultipartError::Malformed(_) => 400,
        }
    }

    /// The `error.code` of the error answer (spec §12).
    pub fn code(&self) -> &'static str {
        match self.status() {
            415 => "unsupported_media_type",
            413 => "payload_too_large",
            _ => "invalid_multipart",
        }
    }
}

impl fmt::Display for MultipartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MultipartError::UnsupportedMediaType => {
                f.write_str("media type is not multipart/mixed")
            }
            MultipartError::InvalidBoundary => f.write_str("missing or invalid boundary"),
            MultipartError::BodyTooLarge => f.write_str("request body is too large"),
            MultipartError::TooManyParts => f.write_str("too many parts"),
            MultipartError::NoParts => f.write_str("no parts"),
            MultipartError::Malformed(why) => write!(f, "malformed multipart body: {why}"),
        }
    }
}

impl std::error::Error for MultipartError {}

/// The boundary of a `multipart/mixed` content type, quoted or bare (spec §12 step 4). The
/// media type is checked first since a wrong one is a 415 whatever its parameters.
pub fn boundary_of(content_type: &str) -> Result<Boundary, MultipartError> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("multipart/mixed") {
        return Err(MultipartError::UnsupportedMediaType);
    }
    let mime: mime::Mime = content_type
        .parse()
        .map_err(|_| MultipartError::InvalidBoundary)?;
    let boundary = mime
        .get_param(mime::BOUNDARY)
        .ok_or(MultipartError::InvalidBoundary)?;
    Boundary::new(boundary.as_str())
}

/// Splits an ingest body into its parts (spec §12 steps 4–5), within `limits`' request size
/// and part count. Header names match case-insensitively through [`Part::header`] and values
/// are trimmed. A header repeated within one part keeps its last value, not the first as
/// §12 says: multer keeps only that one.
pub async fn parse(
    content_type: &str,
    body: Bytes,
    limits: &Limits,
) -> Result<Vec<Part>, MultipartError> {
    let boundary = boundary_of(content_type)?;
    if body.len() > limits.max_request_size {
        return Err(MultipartError::BodyTooLarge);
    }
    let body = with_crlf_before_delimiters(body, boundary.as_str());
    let stream = futures_util::stream::once(async { Ok::<Bytes, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary.0);
    let malformed = |e: multer::Error| MultipartError::Malformed(e.to_string());
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        if parts.len() == limits.max_batch_size {
            return Err(MultipartError::TooManyParts);
        }
        let headers = field
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
                (Cow::Owned(name.as_str().to_owned()), value)
            })
            .collect();
        let body = field.bytes().await.map_err(malformed)?;
        parts.push(Part {
            headers,
            body: body.to_vec(),
        });
    }
    if parts.is_empty() {
        return Err(MultipartError::NoParts);
    }
    Ok(parts)
}

/// The JS SDK writes no CRLF before the delimiters after the first part; RFC 2046 parsers
/// (multer among them) need it. A `--B` is a delimiter where the spec says so: followed by
/// `--`, or by optional spaces and tabs and a CRLF. Go, Java and Swift bodies pass uncopied.
fn with_crlf_before_delimiters(body: Bytes, boundary: &str) -> Bytes {
    let delimiter = format!("--{boundary}");
    let ends_delimiter = |rest: &[u8]| {
        let after_padding = rest.iter().position(|&b| b != b' ' && b != b'\t');
        rest.starts_with(b"--") || after_padding.is_some_and(|i| rest[i..].starts_with(CRLF))
    };
    let missing: Vec<usize> = memmem::find_iter(&body, delimiter.as_bytes())
        .filter(|&at| {
            at > 0 && !body[..at].ends_with(CRLF) && ends_delimiter(&body[at + delimiter.len()..])
        })
        .collect();
    if missing.is_empty() {
        return body;
    }
    let mut fixed = Vec::with_capacity(body.len() + CRLF.len() * missing.len());
    let mut copied = 0;
    for at in missing {
        fixed.extend_from_slice(&body[copied..at]);
        fixed.extend_from_slice(CRLF);
        copied = at;
    }
    fixed.extend_from_slice(&body[copied..]);
    Bytes::from(fixed)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::wire::logflux::vectors::{hex_bytes, section, text};

    pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
            .block_on(future)
    }

    fn parse_now(
        content_type: &str,
        body: &[u8],
        limits: &Limits,
    ) -> Result<Vec<Part>, MultipartError> {
        block_on(parse(content_type, Bytes::copy_from_slice(body), limits))
    }

    fn part(n: usize, name_style: fn(&str) -> String) -> Part {
        let headers = [
            ("Content-Type", "application/octet-stream".to_owned()),
            ("X-LF-Entry-Type", "1".to_owned()),
            ("X-LF-Timestamp", format!("2026-01-01T00:00:0{n}Z")),
        ];
        Part {
            headers: headers
                .into_iter()
                .map(|(k, v)| (Cow::Owned(name_style(k)), v))
                .collect(),
            body: format!("body {n} \r\n--not-the-boundary").into_bytes(),
        }
    }

    fn same(name: &str) -> String {
        name.to_owned()
    }

    fn go_spelling(name: &str) -> String {
        name.replace("X-LF-", "X-Lf-")
    }

    #[test]
    fn go_vector_parses_to_its_one_part() {
        let v = section("multipart_single_go_layout");
        let body = hex_bytes(&v, "body_hex");
        let parts = parse_now(text(&v, "content_type"), &body, &Limits::default()).unwrap();
        assert_eq!(parts.len(), 1);
        let p = &parts[0];
        assert_eq!(p.header("content-type"), Some("application/octet-stream"));
        assert_eq!(p.header("X-LF-Entry-Type"), Some("1"));
        assert_eq!(
            p.header("X-LF-Key-ID"),
            Some("7f8a9b0c-1d2e-3f4a-5b6c-7d8e9f0a1b2c")
        );
        assert_eq!(p.header("x-lf-nonce"), Some("AAECAwQFBgcICQoL"));
        assert_eq!(p.header("X-LF-PAYLOAD-TYPE"), Some("1"));
        assert_eq!(p.header("X-Lf-Timestamp"), Some("2026-01-01T00:00:00Z"));
        assert_eq!(
            p.body,
            hex_bytes(&section("aes_gcm_gzip"), "ciphertext_and_tag_hex")
        );
    }

    #[test]
    fn encoder_reproduces_the_go_vector_with_lf_spellings() {
        let v = section("multipart_single_go_layout");
        let expected = String::from_utf8_lossy(&hex_bytes(&v, "body_hex"))
            .replace("X-Lf-Key-Id", "X-LF-Key-ID")
            .replace("X-Lf-", "X-LF-");
        let parsed = &parse_now(
            text(&v, "content_type"),
            &hex_bytes(&v, "body_hex"),
            &Limits::default(),
        )
        .unwrap()[0];
        let names = [
            "Content-Type",
            "X-LF-Entry-Type",
            "X-LF-Key-ID",
            "X-LF-Nonce",
            "X-LF-Payload-Type",
            "X-LF-Timestamp",
        ];
        let part = Part {
            headers: names
                .iter()
                .map(|&n| (Cow::Borrowed(n), parsed.header(n).unwrap().to_owned()))
                .collect(),
            body: parsed.body.clone(),
        };
        let boundary = boundary_of(text(&v, "content_type")).unwrap();
        let encoded = encode(&[part], &boundary);
        assert_eq!(encoded.len(), 454);
        let mut want = hex_bytes(&v, "body_hex");
        for (go, ours) in [
            (&b"X-Lf-Key-Id"[..], &b"X-LF-Key-ID"[..]),
            (b"X-Lf-", b"X-LF-"),
        ] {
            for at in memmem::find_iter(&want.clone(), go).collect::<Vec<_>>() {
                want[at..at + go.len()].copy_from_slice(ours);
            }
        }
        assert_eq!(encoded, want);
        assert_eq!(String::from_utf8_lossy(&encoded).len(), expected.len());
        assert_eq!(boundary.content_type(), text(&v, "content_type"));
    }

    #[test]
    fn random_boundaries_are_sixty_hex_chars() {
        let a = Boundary::random();
        assert_eq!(a.as_str().len(), 60);
        assert!(a
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(a, Boundary::random());
    }

    #[test]
    fn one_and_many_parts_round_trip() {
        for count in [1, 3, 1000] {
            let parts: Vec<Part> = (0..count).map(|n| part(n % 10, same)).collect();
            let boundary = Boundary::random();
            let parsed = parse_now(
                &boundary.content_type(),
                &encode(&parts, &boundary),
                &Limits::default(),
            )
            .unwrap();
            assert_eq!(parsed.len(), count);
            for (got, sent) in parsed.iter().zip(&parts) {
                assert_eq!(got.body, sent.body);
                for (name, value) in &sent.headers {
                    assert_eq!(got.header(name), Some(value.as_str()));
                }
            }
        }
    }

    /// The same three parts as Go, Java/Swift and JS frame them (spec §9, checklist 9).
    #[test]
    fn every_sdk_layout_parses_to_three_parts() {
        let b = Boundary::new("b0undary").unwrap();
        let go = encode(
            &(0..3).map(|n| part(n, go_spelling)).collect::<Vec<_>>(),
            &b,
        );
        let java = encode(&(0..3).map(|n| part(n, same)).collect::<Vec<_>>(), &b);
        let head = |n| {
            format!("--b0undary\r\nContent-Type: application/octet-stream\r\nX-LF-Entry-Type: 1\r\nX-LF-Timestamp: 2026-01-01T00:00:0{n}Z\r\n\r\nbody {n} \r\n--not-the-boundary")
        };
        let js = format!("{}{}{}--b0undary--\r\n", head(0), head(1), head(2));
        let with_preamble = [b"preamble\r\n".as_slice(), &java, b"epilogue"].concat();
        for body in [go, java, js.into_bytes(), with_preamble] {
            let parts = parse_now(
                "Multipart/Mixed; boundary=\"b0undary\"",
                &body,
                &Limits::default(),
            )
            .unwrap();
            assert_eq!(parts.len(), 3, "{}", String::from_utf8_lossy(&body));
            for (n, p) in parts.iter().enumerate() {
                assert_eq!(
                    p.body,
                    format!("body {n} \r\n--not-the-boundary").into_bytes()
                );
                assert_eq!(p.header("x-lf-entry-type"), Some("1"));
            }
        }
    }

    #[test]
    fn headers_are_trimmed_and_unknown_ones_kept_aside() {
        let body = b"--B\r\nx-lf-ENTRY-type:   2  \r\nX-Unknown: y\r\n\r\npayload\r\n--B--\r\n";
        let parts = parse_now("multipart/mixed; boundary=B", body, &Limits::default()).unwrap();
        assert_eq!(parts[0].header("X-LF-Entry-Type"), Some("2"));
        assert_eq!(parts[0].header("x-unknown"), Some("y"));
        assert_eq!(parts[0].body, b"payload");
    }

    #[test]
    fn content_type_and_boundary_are_checked() {
        let body = encode(&[part(0, same)], &Boundary::new("B").unwrap());
        for (content_type, err) in [
            ("application/json", MultipartError::UnsupportedMediaType),
            (
                "multipart/form-data; boundary=B",
                MultipartError::UnsupportedMediaType,
            ),
            ("", MultipartError::UnsupportedMediaType),
            ("multipart/mixed", MultipartError::InvalidBoundary),
            (
                "multipart/mixed; boundary=\"\"",
                MultipartError::InvalidBoundary,
            ),
        ] {
            let got = parse_now(content_type, &body, &Limits::default()).unwrap_err();
            assert_eq!(got, err, "{content_type}");
        }
        let long = format!("multipart/mixed; boundary={}", "a".repeat(71));
        assert_eq!(
            parse_now(&long, &body, &Limits::default()).unwrap_err(),
            MultipartError::InvalidBoundary
        );
        assert_eq!(MultipartError::UnsupportedMediaType.status(), 415);
        assert_eq!(MultipartError::InvalidBoundary.code(), "invalid_multipart");
    }

    #[test]
    fn limits_refuse_large_bodies_and_many_parts() {
        let b = Boundary::random();
        let body = encode(&(0..5).map(|n| part(n, same)).collect::<Vec<_>>(), &b);
        let few_parts = Limits {
            max_batch_size: 4,
            ..Limits::default()
        };
        let err = parse_now(&b.content_type(), &body, &few_parts).unwrap_err();
        assert_eq!((err.status(), err.code()), (413, "payload_too_large"));
        assert_eq!(err, MultipartError::TooManyParts);
        let small = Limits {
            max_request_size: body.len() - 1,
            ..Limits::default()
        };
        assert_eq!(
            parse_now(&b.content_type(), &body, &small).unwrap_err(),
            MultipartError::BodyTooLarge
        );
        assert!(parse_now(
            &b.content_type(),
            &body,
            &Limits {
                max_request_size: body.len(),
                max_batch_size: 5,
                ..Limits::default()
            }
        )
        .is_ok());
    }

    #[test]
    fn broken_framing_is_a_bad_request_not_a_panic() {
        let b = Boundary::new("B").unwrap();
        let whole = encode(&[part(0, same)], &b);
        // Cut anywhere before the close delimiter is complete (its final CRLF is optional).
        let close_done = whole.len() - 2;
        let mut cases: Vec<Vec<u8>> = (0..close_done).map(|n| whole[..n].to_vec()).collect();
        cases.push(b"--B--\r\n".to_vec());
        cases.push(b"no delimiter at all".to_vec());
        cases.push(b"--B\r\nBad Header Line\r\n\r\nx\r\n--B--".to_vec());
        cases.push(b"--B\r\nX-LF-Entry-Type: 1\r\n\r\nx\r\n--Bxyz".to_vec());
        for body in cases {
            let err =
                parse_now("multipart/mixed; boundary=B", &body, &Limits::default()).unwrap_err();
            assert_eq!(
                err.status(),
                400,
                "{:?} -> {err}",
                String::from_utf8_lossy(&body)
            );
        }
    }
}
