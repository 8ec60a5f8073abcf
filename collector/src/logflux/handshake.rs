//! `POST /v1/handshake/init` and `/v1/handshake/complete` (spec §6).

use ferrolog::wire::logflux::crypto::{PrivateKey, PublicKey};
use ferrolog::wire::logflux::handshake::{self, HandshakeRequest};
use hyper::body::Incoming;
use hyper::header::AUTHORIZATION;
use hyper::Request;

use super::answer::{self, Failure};
use super::authenticate;
use crate::body;
use crate::requests::Completion;
use crate::respond::Response;
use crate::state::{lock, State};

/// Largest handshake body; the biggest, complete's, holds a key and a 4096-bit secret.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub async fn init(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    match public_key(state, request).await {
        Ok(public_key) => {
            let body = handshake::init_response_body(&public_key, &state.logflux.limits);
            answer::handshake_success(&body)
        }
        Err(failure) => failure.into_parts(),
    }
}

pub async fn complete(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    match create_key_id(state, request).await {
        Ok(key_id) => answer::handshake_success(&handshake::complete_response_body(&key_id)),
        Err(failure) => failure.into_parts(),
    }
}

async fn public_key(state: &State, request: Request<Incoming>) -> Result<PublicKey, Failure> {
    read(state, request).await?;
    Ok(private_key(state).await?.public_key())
}

async fn create_key_id(state: &State, request: Request<Incoming>) -> Result<String, Failure> {
    let (api_key, request) = read(state, request).await?;
    let key = request.unwrap_secret(private_key(state).await?)?;
    lock(&state.logflux.sessions)
        .create(&api_key, key)
        .map_err(|e| Failure::internal(format!("cannot save the key id: {e}")))
}

async fn private_key(state: &State) -> Result<&PrivateKey, Failure> {
    state
        .logflux
        .key_pair
        .private_key()
        .await
        .map_err(Failure::internal)
}

/// Reads and authenticates a handshake request. The key comes from `Authorization: Bearer`,
/// else from the body; a refused key outranks a malformed body, so a caller without a valid
/// key learns nothing about what the body should be.
async fn read(
    state: &State,
    request: Request<Incoming>,
) -> Result<(String, HandshakeRequest), Failure> {
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let body = body::read(request.into_body(), MAX_BODY_BYTES).await?;
    let parsed = HandshakeRequest::parse(&body);
    let api_key = match &parsed {
        Ok(request) => request.api_key(authorization.as_deref()),
        Err(_) => authorization.as_deref().and_then(handshake::bearer_token),
    };
    let api_key = authenticate(state, api_key)?;
    Ok((api_key, parsed?))
}
