//! What every ingest protocol checks before it looks at a body (luminalog.md §8 steps 1–2,
//! otlp.md §11 rules 4–5): the media type, the content coding, and the size before and after
//! gunzip.

use hyper::body::Incoming;
use hyper::header::{HeaderMap, CONTENT_ENCODING, CONTENT_TYPE};
use hyper::{Request, StatusCode};

use crate::body::{self, BodyError};
use crate::ingest::Refusal;

/// The decompressed body of a JSON request with at most `limit` bytes on the wire and after
/// gunzip.
pub async fn json_body(request: Request<Incoming>, limit: usize) -> Result<Vec<u8>, Refusal> {
    let unsupported = |message: String| Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message);
    check_media_type(request.headers()).map_err(unsupported)?;
    let gzip = is_gzip(request.headers()).map_err(unsupported)?;

    let body = body::read(request.into_body(), limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => too_large("body", limit),
            BodyError::TimedOut => Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                "the body took too long to arrive",
            ),
            BodyError::Unreadable | BodyError::BadGzip => {
                Refusal::new(StatusCode::BAD_REQUEST, "the body could not be read")
            }
        })?;
    if !gzip {
        return Ok(body);
    }
    body::gunzip(&body, limit).map_err(|e| match e {
        BodyError::TooLarge => too_large("decompressed body", limit),
        _ => Refusal::new(StatusCode::BAD_REQUEST, "the body is not valid gzip"),
    })
}

/// The 413 answer for `what` over `limit` bytes.
pub fn too_large(what: &str, limit: usize) -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("{what} is larger than {limit} bytes"),
    )
}

/// Accepts the media type `application/json`, parameters such as `charset` ignored.
fn check_media_type(headers: &HeaderMap) -> Result<(), String> {
    let media = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    match media {
        Some(media) if media.eq_ignore_ascii_case("application/json") => Ok(()),
        // OTLP allows binary protobuf, and a client may try it first: say what to send instead.
        Some(media) if media.eq_ignore_ascii_case("application/x-protobuf") => Err(
            "Content-Type application/x-protobuf is not supported; send OTLP as JSON with \
             Content-Type application/json"
                .to_owned(),
        ),
        _ => Err("Content-Type must be application/json".to_owned()),
    }
}

/// Whether the body is gzipped; any coding but gzip and identity is refused.
fn is_gzip(headers: &HeaderMap) -> Result<bool, String> {
    let mut codings = headers.get_all(CONTENT_ENCODING).iter();
    let coding = match (codings.next(), codings.next()) {
        (None, _) => return Ok(false),
        (Some(coding), None) => coding,
        (Some(_), Some(_)) => return Err("send at most one Content-Encoding".to_owned()),
    };
    let coding = String::from_utf8_lossy(coding.as_bytes());
    match coding.trim().to_ascii_lowercase().as_str() {
        "gzip" => Ok(true),
        "identity" | "" => Ok(false),
        _ => Err(format!(
            "Content-Encoding {:?} is not supported; use gzip or identity",
            coding.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(pairs: &[(hyper::header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn content_type_parameters_are_ignored() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
        ] {
            assert!(
                check_media_type(&headers(&[(CONTENT_TYPE, ok)])).is_ok(),
                "{ok}"
            );
        }
        for bad in ["text/plain", "application/jsonx", "application/x-ndjson"] {
            let refused = check_media_type(&headers(&[(CONTENT_TYPE, bad)]));
            assert_eq!(
                refused,
                Err("Content-Type must be application/json".to_owned()),
                "{bad}"
            );
        }
        assert!(check_media_type(&HeaderMap::new()).is_err());
    }

    #[test]
    fn protobuf_is_refused_with_what_to_send_instead() {
        let protobuf = headers(&[(CONTENT_TYPE, "application/x-protobuf")]);
        let message = check_media_type(&protobuf).unwrap_err();
        assert!(message.contains("x-protobuf is not supported"), "{message}");
        assert!(message.contains("application/json"), "{message}");
    }

    #[test]
    fn content_encodings() {
        assert_eq!(is_gzip(&HeaderMap::new()), Ok(false));
        assert_eq!(is_gzip(&headers(&[(CONTENT_ENCODING, "GZIP")])), Ok(true));
        assert_eq!(
            is_gzip(&headers(&[(CONTENT_ENCODING, "identity")])),
            Ok(false)
        );
        assert!(is_gzip(&headers(&[(CONTENT_ENCODING, "br")])).is_err());
        assert!(is_gzip(&headers(&[(CONTENT_ENCODING, "gzip, br")])).is_err());
        let twice = headers(&[(CONTENT_ENCODING, "gzip"), (CONTENT_ENCODING, "gzip")]);
        assert!(is_gzip(&twice).is_err());
    }
}
