//! `/api/*`: what the collector received, and the fault controls.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use ferrolog::level::Level;
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode};
use serde::Serialize;
use serde_json::{json, Value};

use crate::body::{self, BodyError};
use crate::faults::FaultSpec;
use crate::query::EntryQuery;
use crate::respond::{self, Response};
use crate::state::{lock, State};

/// Largest `POST /api/faults` body; a fault is a few dozen bytes.
const MAX_FAULT_BODY: usize = 64 * 1024;

pub async fn handle(state: &State, request: Request<Incoming>) -> Response {
    let method = request.method().clone();
    match (request.uri().path(), method) {
        ("/api/entries", Method::GET) => entries(state, request.uri().query().unwrap_or("")),
        ("/api/entries", Method::DELETE) => deleted(lock(&state.store).clear()),
        ("/api/requests", Method::GET) => {
            respond::json(StatusCode::OK, lock(&state.requests).records())
        }
        ("/api/requests", Method::DELETE) => deleted(lock(&state.requests).clear()),
        ("/api/entries" | "/api/requests", _) => respond::method_not_allowed("GET, DELETE"),
        ("/api/stats", Method::GET) => stats(state),
        ("/api/stats", _) => respond::method_not_allowed("GET"),
        ("/api/faults", Method::GET) => fault_view(state),
        ("/api/faults", Method::POST) => set_fault(state, request.into_body()).await,
        ("/api/faults", Method::DELETE) => {
            lock(&state.faults).clear();
            fault_view(state)
        }
        ("/api/faults", _) => respond::method_not_allowed("GET, POST, DELETE"),
        (path, _) => respond::not_found(path),
    }
}

fn entries(state: &State, query: &str) -> Response {
    let query = match EntryQuery::parse(query) {
        Ok(query) => query,
        Err(message) => return respond::message(StatusCode::BAD_REQUEST, &message),
    };
    let store = lock(&state.store);
    let matching: Vec<_> = store
        .entries()
        .filter(|stored| query.matches(&stored.entry))
        .take(query.limit.unwrap_or(usize::MAX))
        .collect();
    respond::json(StatusCode::OK, &matching)
}

fn deleted(count: usize) -> Response {
    respond::json(StatusCode::OK, &json!({ "deleted": count }))
}

/// `GET /api/stats`.
#[derive(Serialize)]
struct Stats<'a> {
    /// Entries kept in memory.
    entries: usize,
    /// Entries stored since start, including those no longer kept in memory.
    stored_total: u64,
    rejected_total: u64,
    /// Requests whose batch was stored before, answered without storing it again.
    duplicate_batches: u64,
    /// Over the entries kept in memory.
    by_level: BTreeMap<&'static str, u64>,
    by_kind: BTreeMap<String, u64>,
    requests_total: u64,
    requests_by_status: &'a BTreeMap<u16, u64>,
    /// Requests currently held by the hang fault.
    hanging: usize,
    uptime_ms: u64,
}

fn stats(state: &State) -> Response {
    let store = lock(&state.store);
    let mut by_level = BTreeMap::new();
    let mut by_kind = BTreeMap::new();
    for stored in store.entries() {
        let level = Level::from_number(stored.entry.level).map_or("unknown", Level::name);
        *by_level.entry(level).or_default() += 1;
        if let Ok(Value::String(kind)) = serde_json::to_value(stored.entry.kind) {
            *by_kind.entry(kind).or_default() += 1;
        }
    }
    let requests = lock(&state.requests);
    let stats = Stats {
        entries: store.entries().count(),
        stored_total: store.stored_total(),
        rejected_total: store.rejected_total(),
        duplicate_batches: store.duplicate_batches(),
        by_level,
        by_kind,
        requests_total: requests.total(),
        requests_by_status: requests.by_status(),
        hanging: state.hanging.load(Ordering::Relaxed),
        uptime_ms: state.elapsed_ms(),
    };
    respond::json(StatusCode::OK, &stats)
}

/// `{"fault": <the active fault, or null>}`.
#[derive(Serialize)]
struct FaultView<'a> {
    fault: Option<&'a FaultSpec>,
}

fn fault_view(state: &State) -> Response {
    let faults = lock(&state.faults);
    respond::json(
        StatusCode::OK,
        &FaultView {
            fault: faults.active(),
        },
    )
}

async fn set_fault(state: &State, body: Incoming) -> Response {
    let bad_request = |message: &str| respond::message(StatusCode::BAD_REQUEST, message);
    let body = match body::read(body, MAX_FAULT_BODY).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return respond::message(StatusCode::PAYLOAD_TOO_LARGE, "fault body is too large")
        }
        Err(_) => return bad_request("the body could not be read"),
    };
    let spec: FaultSpec = match serde_json::from_slice(&body) {
        Ok(spec) => spec,
        Err(e) => return bad_request(&format!("invalid fault: {e}")),
    };
    if let Err(message) = spec.validate() {
        return bad_request(&message);
    }
    lock(&state.faults).set(spec);
    fault_view(state)
}
