//! Everything that is not `/health` or `/api/*` is an ingest request: it is logged, draws the
//! active fault, and is then routed to its protocol: OTLP on `/v1/traces` and `/v1/metrics`,
//! LuminaLog or OTLP on `/v1/logs` by the body's shape.

use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use ferrolog::pipeline::batch::BatchId;
use ferrolog::wire::decoded::DecodedEntry;
use ferrolog::wire::otlp::Signal;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, RETRY_AFTER};
use hyper::{Method, Request, StatusCode};

use crate::faults::{Action, Fault};
use crate::requests::{Completion, RequestRecord};
use crate::respond::{self, Response};
use crate::state::{lock, State};
use crate::{batches, body};
use crate::{ingest_luminalog, ingest_otlp, intake, logflux, protocol};

/// Returned to hyper to make it drop the connection without answering.
#[derive(Debug)]
pub struct InjectedClose;

impl fmt::Display for InjectedClose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for InjectedClose {}

/// A request refused as a whole.
pub struct Refusal {
    status: StatusCode,
    message: String,
    /// The answer's body when the protocol words it; else `{"message":<message>}`.
    body: Option<String>,
}

impl Refusal {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
            body: None,
        }
    }

    /// A refusal answered with `body`; `message` is what the request log shows.
    pub fn with_body(status: StatusCode, message: impl Into<String>, body: String) -> Refusal {
        Refusal {
            body: Some(body),
            ..Refusal::new(status, message)
        }
    }

    pub fn into_parts(self) -> (Response, Completion) {
        let response = match self.body {
            Some(body) => respond::json_text(self.status, body),
            None => respond::message(self.status, &self.message),
        };
        let completion = Completion {
            status: Some(self.status.as_u16()),
            error: Some(self.message),
            ..Completion::default()
        };
        (response, completion)
    }
}

pub async fn handle(state: &State, request: Request<Incoming>) -> Result<Response, InjectedClose> {
    let record = RequestRecord::new(
        request.method().as_str(),
        request.uri().path(),
        request.headers(),
        state.elapsed_ms(),
    );
    let id = lock(&state.requests).begin(record);
    let fault = lock(&state.faults).take(request.uri().path());

    if let Some(Fault { delay, action }) = fault {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let faulted = |status: Option<u16>| Completion {
            status,
            fault: Some(action.name()),
            ..Completion::default()
        };
        match action {
            Action::Proceed | Action::Cut => {}
            Action::Status {
                status,
                retry_after,
            } => {
                body::discard(request.into_body()).await;
                lock(&state.requests).complete(id, faulted(Some(status)));
                return Ok(injected_status(status, retry_after));
            }
            Action::Close => {
                lock(&state.requests).complete(id, faulted(None));
                return Err(InjectedClose);
            }
            Action::Hang => {
                lock(&state.requests).complete(id, faulted(None));
                // hyper drops this future when the client goes away, which ends the hold.
                let _held = Held::new(&state.hanging);
                body::discard(request.into_body()).await;
                let never: Infallible = std::future::pending().await;
                match never {}
            }
        }
    }

    let (response, mut completion) = route(state, request).await;
    completion.fault = fault.map(|f| f.action.name());
    lock(&state.requests).complete(id, completion);
    if fault.is_some_and(|f| f.action == Action::Cut) {
        return Err(InjectedClose);
    }
    Ok(response)
}

async fn route(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    let path = request.uri().path();
    // LogFlux has routes of its own, with their own checks and answers.
    if logflux::serves(path) {
        return logflux::handle(state, request).await;
    }
    let Some(signal) = Signal::from_path(path) else {
        let answer = Refusal::new(StatusCode::NOT_FOUND, format!("no endpoint at {path}"));
        return body::answer_unread(request.into_body(), answer.into_parts()).await;
    };
    if request.method() != Method::POST {
        let completion = Completion {
            status: Some(405),
            error: Some("method not allowed".to_owned()),
            ..Completion::default()
        };
        let answer = (respond::method_not_allowed("POST"), completion);
        return body::answer_unread(request.into_body(), answer).await;
    }
    if state.discard {
        body::discard(request.into_body()).await;
        let completion = Completion {
            status: Some(200),
            ..Completion::default()
        };
        return (discarded(signal), completion);
    }

    let batch = match batches::batch_id(request.headers()) {
        Ok(batch) => batch,
        Err(message) => {
            let answer = Refusal::new(StatusCode::BAD_REQUEST, message).into_parts();
            return body::answer_unread(request.into_body(), answer).await;
        }
    };
    let body = match intake::json_body(request, read_limit(state, signal)).await {
        Ok(body) => body,
        Err(refusal) => return refusal.into_parts(),
    };
    if signal == Signal::Logs && protocol::is_luminalog(&body) {
        ingest_luminalog::handle(state, batch, &body)
    } else {
        ingest_otlp::handle(state, signal, batch, &body)
    }
}

/// The most a body on `signal`'s path may hold: before the body is parsed, `/v1/logs` may be
/// either protocol, so it gets the larger limit and each protocol then applies its own.
fn read_limit(state: &State, signal: Signal) -> usize {
    match signal {
        Signal::Logs => state.max_body_bytes.max(ingest_otlp::MAX_BODY_BYTES),
        Signal::Traces | Signal::Metrics => ingest_otlp::MAX_BODY_BYTES,
    }
}

/// The `--discard` answer, without a look at the body: `/v1/logs` keeps LuminaLog's `OK`, which
/// an OTLP client also takes as full success; the OTLP-only paths answer OTLP's `{}`.
fn discarded(signal: Signal) -> Response {
    match signal {
        Signal::Logs => respond::message(StatusCode::OK, "OK"),
        Signal::Traces | Signal::Metrics => respond::json_text(StatusCode::OK, "{}".to_owned()),
    }
}

/// Stores one request's accepted entries; a failed write refuses the request, storing nothing.
pub fn store(
    state: &State,
    batch: Option<BatchId>,
    entries: Vec<DecodedEntry>,
    rejected: usize,
) -> Result<(), Refusal> {
    lock(&state.store)
        .append(batch, entries, rejected)
        .map_err(|e| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("could not write entries.jsonl: {e}"),
            )
        })
}

fn injected_status(status: u16, retry_after: Option<u64>) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // A 429 reads as LuminaLog's own quota answer (spec §8 step 5).
    let text = if status == 429 {
        "Quota Exceeded".to_owned()
    } else {
        format!("injected fault: HTTP {status}")
    };
    let mut response = respond::message(code, &text);
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Counts a request held by the hang fault for as long as it is held.
struct Held<'a>(&'a AtomicUsize);

impl<'a> Held<'a> {
    fn new(counter: &'a AtomicUsize) -> Held<'a> {
        counter.fetch_add(1, Ordering::Relaxed);
        Held(counter)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
