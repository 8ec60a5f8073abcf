//! LogFlux's answer bodies (spec §12) and what the request log records of them.

use ferrolog::wire::logflux::handshake::HandshakeRejection;
use ferrolog::wire::logflux::multipart::MultipartError;
use hyper::StatusCode;
use serde::Serialize;
use serde_json::json;

use crate::body::BodyError;
use crate::requests::{Completion, RejectionView};
use crate::respond::{self, Response};

/// A LogFlux request refused as a whole: `{"status":"error","error":{"code","message"},
/// "request_id"}`.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized(message: &str) -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// A failure of the collector itself (a failed save), which the spec's codes do not cover.
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
    }

    pub fn into_parts(self) -> (Response, Completion) {
        let body = json!({
            "status": "error",
            "error": {"code": self.code, "message": self.message},
            "request_id": request_id(),
        });
        let completion = completion(self.status, 0, Vec::new(), Some(self.message));
        (respond::json(self.status, &body), completion)
    }
}

impl From<BodyError> for Failure {
    fn from(e: BodyError) -> Failure {
        match e {
            BodyError::TooLarge => Failure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "request body is too large",
            ),
            BodyError::TimedOut => Failure::new(
                StatusCode::REQUEST_TIMEOUT,
                "invalid_request",
                "the body took too long to arrive",
            ),
            BodyError::Unreadable | BodyError::BadGzip => Failure::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the body could not be read",
            ),
        }
    }
}

impl From<MultipartError> for Failure {
    fn from(e: MultipartError) -> Failure {
        Failure::new(status(e.status()), e.code(), e.to_string())
    }
}

impl From<HandshakeRejection> for Failure {
    fn from(e: HandshakeRejection) -> Failure {
        Failure::new(status(e.status()), e.code(), e.to_string())
    }
}

/// A status number from the protocol layer, which only ever names valid ones.
pub fn status(number: u16) -> StatusCode {
    StatusCode::from_u16(number).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A successful handshake step; the protocol layer wrote the body.
pub fn handshake_success(body: &[u8]) -> (Response, Completion) {
    let body = String::from_utf8_lossy(body).into_owned();
    let completion = completion(StatusCode::OK, 0, Vec::new(), None);
    (respond::json_text(StatusCode::OK, body), completion)
}

/// One part that failed while the others went on (spec §12 step 7).
pub struct PartFailure {
    pub index: usize,
    pub code: &'static str,
    /// The code and what exactly was wrong, for the request log.
    pub reason: String,
}

#[derive(Serialize)]
struct Accepted {
    status: &'static str,
    request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Counts>,
}

#[derive(Serialize)]
struct Counts {
    total: usize,
    succeeded: usize,
    failed: usize,
    failures: Vec<FailureView>,
}

#[derive(Serialize)]
struct FailureView {
    index: usize,
    error: &'static str,
}

/// The 202 of an ingest: `partial` iff a part failed.
pub fn ingested(succeeded: usize, failures: Vec<PartFailure>) -> (Response, Completion) {
    let counts = Counts {
        total: succeeded + failures.len(),
        succeeded,
        failed: failures.len(),
        failures: failures
            .iter()
            .map(|f| FailureView {
                index: f.index,
                error: f.code,
            })
            .collect(),
    };
    let accepted = Accepted {
        status: if failures.is_empty() {
            "success"
        } else {
            "partial"
        },
        request_id: request_id(),
        data: Some(counts),
    };
    let rejected = failures
        .into_iter()
        .map(|f| RejectionView {
            index: Some(f.index),
            reason: f.reason,
        })
        .collect();
    let completion = completion(StatusCode::ACCEPTED, succeeded, rejected, None);
    (respond::json(StatusCode::ACCEPTED, &accepted), completion)
}

/// The `--discard` 202: nothing was looked at, so there is nothing to count.
pub fn discarded() -> (Response, Completion) {
    let accepted = Accepted {
        status: "success",
        request_id: request_id(),
        data: None,
    };
    let completion = completion(StatusCode::ACCEPTED, 0, Vec::new(), None);
    (respond::json(StatusCode::ACCEPTED, &accepted), completion)
}

pub fn method_not_allowed() -> (Response, Completion) {
    let message = "method not allowed".to_owned();
    let completion = completion(StatusCode::METHOD_NOT_ALLOWED, 0, Vec::new(), Some(message));
    (respond::method_not_allowed("POST"), completion)
}

/// The one place a LogFlux outcome becomes a request-log record.
fn completion(
    status: StatusCode,
    processed: usize,
    rejections: Vec<RejectionView>,
    error: Option<String>,
) -> Completion {
    Completion {
        status: Some(status.as_u16()),
        processed,
        rejected: rejections.len(),
        rejections,
        error,
        ..Completion::default()
    }
}

/// Opaque to clients; unique so a report can name one answer.
fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
