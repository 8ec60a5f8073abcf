//! LogFlux v3 (`shared/spec/logflux.md`), collector side: the handshake that hands a client's
//! AES key over under the collector's RSA key (§6), and multipart ingest of entries sealed
//! under it (§12). The protocol itself is the library's `ferrolog::wire::logflux`; this module
//! adds the HTTP, the keys kept on disk and the mapping to stored entries.

mod answer;
mod handshake;
mod ingest;
mod keys;
mod payload;
mod private_file;
mod sessions;

use std::path::Path;
use std::sync::{Arc, Mutex};

use ferrolog::wire::logflux::Limits;
use hyper::body::Incoming;
use hyper::{Method, Request};

use self::answer::Failure;
use self::keys::KeyPair;
use self::sessions::Sessions;
use crate::body;
use crate::requests::Completion;
use crate::respond::Response;
use crate::state::State;

const INIT: &str = "/v1/handshake/init";
const COMPLETE: &str = "/v1/handshake/complete";
const INGEST: &str = "/v1/ingest";

/// The collector's LogFlux keys and limits.
pub struct LogFlux {
    key_pair: KeyPair,
    sessions: Mutex<Sessions>,
    /// Announced at init and applied at ingest, so a client that honours them is never refused.
    limits: Limits,
}

impl LogFlux {
    /// Loads the key pair and the key ids kept in `data_dir`. The request size limit is the
    /// protocol's, lowered by `--max-body-bytes`.
    pub fn open(data_dir: &Path, max_body_bytes: usize) -> Result<LogFlux, String> {
        let defaults = Limits::default();
        Ok(LogFlux {
            key_pair: KeyPair::open(data_dir)?,
            sessions: Mutex::new(Sessions::load(data_dir)?),
            limits: Limits {
                max_request_size: defaults.max_request_size.min(max_body_bytes),
                ..defaults
            },
        })
    }
}

/// Starts making the key pair if the data dir has none, so it exists from the first start on
/// without delaying the listening line, and the first handshake rarely waits for it.
pub fn prepare(state: &Arc<State>) {
    let state = Arc::clone(state);
    tokio::spawn(async move {
        if let Err(e) = state.logflux.key_pair.private_key().await {
            eprintln!("ferrolog-collector: {e}");
        }
    });
}

/// Whether `path` is one of LogFlux's (spec §3).
pub fn serves(path: &str) -> bool {
    matches!(path, INIT | COMPLETE | INGEST)
}

/// Answers a request on one of the paths [`serves`] accepts.
pub async fn handle(state: &State, request: Request<Incoming>) -> (Response, Completion) {
    if request.method() != Method::POST {
        return body::answer_unread(request.into_body(), answer::method_not_allowed()).await;
    }
    match request.uri().path() {
        INIT => handshake::init(state, request).await,
        COMPLETE => handshake::complete(state, request).await,
        _ if state.discard => {
            body::discard(request.into_body()).await;
            answer::discarded()
        }
        _ => ingest::handle(state, request).await,
    }
}

/// The `--api-key` policy (spec §6): a missing or unlisted key is 401. The collector has no
/// disabled keys, so it never answers 403.
fn authenticate(state: &State, api_key: Option<&str>) -> Result<String, Failure> {
    let api_key = api_key.ok_or_else(|| Failure::unauthorized("the API key is missing"))?;
    if !state.accepts_key(api_key) {
        return Err(Failure::unauthorized(
            "the API key is not accepted by this collector",
        ));
    }
    Ok(api_key.to_owned())
}
