//! `POST /v1/ingest` (spec §12): the whole-request checks in the spec's order, then each part
//! on its own. Nothing is stored unless every whole-request check passed, so a client that
//! retries a refused request cannot duplicate entries.

use std::collections::HashMap;

use ferrolog::pipeline::batch::BatchId;
use ferrolog::wire::logflux::crypto::AesKey;
use ferrolog::wire::logflux::handshake::bearer_token;
use ferrolog::wire::logflux::multipart::{self, Part};
use ferrolog::wire::logflux::part::{self, KEY_ID, PAYLOAD_TYPE};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, StatusCode};

use super::answer::{self, Failure, PartFailure};
use super::{authenticate, payload};
use crate::batches;
use crate::body;
use crate::requests::Completion;
use crate::respond::Response;
use crate::state::{lock, State};

pub async fn handle(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    let (head, body) = request.into_parts();
    let outcome = match admit(state, &head.headers) {
        Ok(admitted) => ingest(state, admitted, body).await,
        Err(failure) => body::answer_unread(body, Err(failure)).await,
    };
    match outcome {
        Ok((stored, failures)) => answer::ingested(stored, failures),
        Err(failure) => failure.into_parts(),
    }
}

/// What the headers of a request that passed their checks say.
struct Admitted {
    api_key: String,
    batch: Option<BatchId>,
    content_type: String,
}

/// The whole-request checks made on the headers alone, before any of the body is read.
fn admit(state: &State, headers: &HeaderMap) -> Result<Admitted, Failure> {
    let header = |name| headers.get(name).and_then(|value| value.to_str().ok());
    // Step 2: ingest bodies carry no key, so only the header authenticates.
    let api_key = authenticate(state, header(AUTHORIZATION).and_then(bearer_token))?;
    let batch = batches::batch_id(headers)
        .map_err(|message| Failure::new(StatusCode::BAD_REQUEST, "invalid_batch_id", message))?;
    // Step 4: the media type and boundary before the body, so a wrong one costs no read.
    let content_type = header(CONTENT_TYPE).unwrap_or_default().to_owned();
    multipart::boundary_of(&content_type)?;
    Ok(Admitted {
        api_key,
        batch,
        content_type,
    })
}

/// Returns how many entries were stored and which parts failed.
async fn ingest(
    state: &State,
    admitted: Admitted,
    body: Incoming,
) -> Result<(usize, Vec<PartFailure>), Failure> {
    let Admitted {
        api_key,
        batch,
        content_type,
    } = admitted;
    let limits = state.logflux.limits;
    let body = body::read(body, limits.max_request_size).await?;
    // Step 5.
    let parts = multipart::parse(&content_type, body.into(), &limits).await?;
    // Step 6.
    let keys = keys_for(state, &api_key, &parts)?;
    // Step 7.
    let mut entries = Vec::with_capacity(parts.len());
    let mut failures = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        let decoded = match part::decode(part, |id| keys.get(id), &limits) {
            Ok(decoded) => payload::decode(&decoded).map_err(|e| (e.code, e.to_string())),
            Err(e) => match e.request_status() {
                Some(status) => {
                    return Err(Failure::new(
                        answer::status(status),
                        e.code(),
                        e.to_string(),
                    ))
                }
                None => Err((e.code(), e.to_string())),
            },
        };
        match decoded {
            Ok(entry) => entries.push(entry),
            Err((code, reason)) => failures.push(PartFailure {
                index,
                code,
                reason,
            }),
        }
    }
    // Step 9 (steps 3 and 8, rate limit and quota, are not configurable here).
    let stored = entries.len();
    lock(&state.store)
        .append(batch, entries, failures.len())
        .map_err(|e| Failure::internal(format!("could not write entries.jsonl: {e}")))?;
    Ok((stored, failures))
}

/// The keys of every key id named by a sealed part, all of which the API key must own; any
/// other fails the whole request, which drives the client to a new handshake (spec §12 step 6).
fn keys_for(
    state: &State,
    api_key: &str,
    parts: &[Part],
) -> Result<HashMap<String, AesKey>, Failure> {
    let key_ids = parts
        .iter()
        .filter(|part| part.header(PAYLOAD_TYPE) == Some("1"))
        .filter_map(|part| part.header(KEY_ID));
    lock(&state.logflux.sessions)
        .keys_for(api_key, key_ids)
        .map_err(|key_id| {
            Failure::new(
                StatusCode::UNAUTHORIZED,
                "unknown_key_id",
                format!("key id {key_id:?} is not one of this API key's"),
            )
        })
}
