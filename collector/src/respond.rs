//! Building responses.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::StatusCode;
use serde::Serialize;
use serde_json::json;

pub type Response = hyper::Response<Full<Bytes>>;

pub fn json(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => with_body(status, "application/json", body),
        Err(e) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("could not serialize the answer: {e}"),
        ),
    }
}

/// The error body every endpoint uses: `{"message":"<text>"}`.
pub fn message(status: StatusCode, text: &str) -> Response {
    json_text(status, json!({ "message": text }).to_string())
}

/// A JSON body serialized elsewhere, such as by a decoder that owns its protocol's answers.
pub fn json_text(status: StatusCode, body: String) -> Response {
    with_body(status, "application/json", body.into_bytes())
}

pub fn text(status: StatusCode, text: &'static str) -> Response {
    with_body(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

pub fn method_not_allowed(allowed: &'static str) -> Response {
    let mut response = message(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allowed));
    response
}

pub fn not_found(path: &str) -> Response {
    message(StatusCode::NOT_FOUND, &format!("no endpoint at {path}"))
}

fn with_body(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
