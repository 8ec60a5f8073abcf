//! Everything that is not `/health` or `/api/*` is an ingest request: it is logged, draws the
//! active fault, and is then routed to its protocol.

use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use hyper::body::Incoming;
use hyper::header::{HeaderValue, RETRY_AFTER};
use hyper::{Method, Request, StatusCode};

use crate::body;
use crate::faults::{Action, Fault};
use crate::requests::{Completion, RequestRecord};
use crate::respond::{self, Response};
use crate::state::{lock, State};
use crate::{ingest_luminalog, logflux};

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
}

impl Refusal {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }

    pub fn into_parts(self) -> (Response, Completion) {
        let response = respond::message(self.status, &self.message);
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
    let fault = lock(&state.faults).take();

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
            Action::Proceed => {}
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
    Ok(response)
}

async fn route(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    match (request.method(), request.uri().path()) {
        (&Method::POST, "/v1/logs") if state.discard => {
            body::discard(request.into_body()).await;
            let completion = Completion {
                status: Some(200),
                ..Completion::default()
            };
            (respond::message(StatusCode::OK, "OK"), completion)
        }
        (&Method::POST, "/v1/logs") => ingest_luminalog::handle(state, request).await,
        (_, path) if logflux::serves(path) => logflux::handle(state, request).await,
        (_, "/v1/logs") => {
            let completion = Completion {
                status: Some(405),
                error: Some("method not allowed".to_owned()),
                ..Completion::default()
            };
            (respond::method_not_allowed("POST"), completion)
        }
        (_, path) => {
            Refusal::new(StatusCode::NOT_FOUND, format!("no endpoint at {path}")).into_parts()
        }
    }
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
