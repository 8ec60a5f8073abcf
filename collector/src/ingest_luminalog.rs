//! `POST /v1/logs`: LuminaLog batches, checked in the order of spec §8.

use ferrolog::wire::luminalog::decode::decode_batch_with_keys;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, CONTENT_ENCODING, CONTENT_TYPE};
use hyper::{Request, StatusCode};
use serde::Serialize;

use crate::body::{self, BodyError};
use crate::ingest::Refusal;
use crate::requests::Completion;
use crate::respond::{self, Response};
use crate::state::{lock, State};

/// The 200 answer, members in the order spec §8 lists them.
#[derive(Serialize)]
struct Accepted {
    message: &'static str,
    processed: usize,
    rejected: usize,
    /// Opaque; the SDK warns in debug mode when it is missing.
    debug_user_id: &'static str,
}

pub async fn handle(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    match ingest(state, request).await {
        Ok(completion) => {
            let accepted = Accepted {
                message: "OK",
                processed: completion.processed,
                rejected: completion.rejected.len(),
                debug_user_id: "local",
            };
            let response = respond::json(StatusCode::OK, &accepted);
            (response, completion)
        }
        Err(refusal) => refusal.into_parts(),
    }
}

async fn ingest(state: &State, request: Request<Incoming>) -> Result<Completion, Refusal> {
    let unsupported = |message: String| Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message);
    if !is_json(request.headers()) {
        return Err(unsupported(
            "Content-Type must be application/json".to_owned(),
        ));
    }
    let gzip = is_gzip(request.headers()).map_err(unsupported)?;

    let limit = state.max_body_bytes;
    let too_large = |what: &str| {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{what} is larger than {limit} bytes"),
        )
    };
    let mut body = body::read(request.into_body(), limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => too_large("body"),
            BodyError::TimedOut => Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                "the body took too long to arrive",
            ),
            BodyError::Unreadable | BodyError::BadGzip => {
                Refusal::new(StatusCode::BAD_REQUEST, "the body could not be read")
            }
        })?;
    if gzip {
        body = body::gunzip(&body, limit).map_err(|e| match e {
            BodyError::TooLarge => too_large("decompressed body"),
            _ => Refusal::new(StatusCode::BAD_REQUEST, "the body is not valid gzip"),
        })?;
    }

    let batch = decode_batch_with_keys(&body, |key| state.accepts_key(key)).map_err(|e| {
        let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
        Refusal::new(status, e.message)
    })?;

    let processed = batch.entries.len();
    lock(&state.store)
        .append(batch.entries, batch.rejected.len())
        .map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("could not write entries.jsonl: {e}"),
            )
        })?;
    Ok(Completion {
        status: Some(200),
        processed,
        rejected: batch.rejected,
        ..Completion::default()
    })
}

/// The media type, parameters such as `charset` ignored.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
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
            assert!(is_json(&headers(&[(CONTENT_TYPE, ok)])), "{ok}");
        }
        for bad in ["text/plain", "application/jsonx", "application/x-ndjson"] {
            assert!(!is_json(&headers(&[(CONTENT_TYPE, bad)])), "{bad}");
        }
        assert!(!is_json(&HeaderMap::new()));
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
