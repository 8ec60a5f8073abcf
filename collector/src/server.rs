//! Accepting connections and routing requests.

use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::HOST;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;

use crate::api;
use crate::ingest::{self, InjectedClose};
use crate::respond::{self, Response};
use crate::state::State;

/// How long a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn serve(listener: TcpListener, state: Arc<State>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Usually out of file descriptors: wait for some to close instead of spinning.
                eprintln!("ferrolog-collector: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { route(&state, request).await }
            });
            // A failed connection concerns only its client (a reset, a malformed request, an
            // injected close), so there is nothing to report.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn route(state: &State, request: Request<Incoming>) -> Result<Response, InjectedClose> {
    let path = request.uri().path();
    if path == "/health" {
        return Ok(match *request.method() {
            Method::GET | Method::HEAD => respond::text(StatusCode::OK, "OK"),
            _ => respond::method_not_allowed("GET, HEAD"),
        });
    }
    if path == "/" && request.method() == Method::GET {
        return Ok(discovery(&request));
    }
    if path == "/api" || path.starts_with("/api/") {
        return Ok(api::handle(state, request).await);
    }
    ingest::handle(state, request).await
}

/// LogFlux's static discovery answer (its spec §3): this collector is the ingestor, at the
/// address the client reached it by.
fn discovery(request: &Request<Incoming>) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or_default();
    respond::json(
        StatusCode::OK,
        &json!({
            "version": "1.0",
            "region": "local",
            "endpoints": { "ingestor_url": format!("http://{host}") },
        }),
    )
}
