//! LuminaLog batches on `/v1/logs`, checked in the order of luminalog.md §8 from step 3 on:
//! the media type, coding and body bounds are [`crate::intake`]'s.

use ferrolog::pipeline::batch::BatchId;
use ferrolog::wire::luminalog::decode::decode_batch_with_keys;
use hyper::StatusCode;
use serde::Serialize;

use crate::ingest::{self, Refusal};
use crate::intake;
use crate::requests::{Completion, RejectionView};
use crate::respond::{self, Response};
use crate::state::State;

/// The 200 answer, members in the order spec §8 lists them.
#[derive(Serialize)]
struct Accepted {
    message: &'static str,
    processed: usize,
    rejected: usize,
    /// Opaque; the SDK warns in debug mode when it is missing.
    debug_user_id: &'static str,
}

/// Decodes and stores one decompressed body.
pub fn handle(state: &State, batch: Option<BatchId>, body: &[u8]) -> (Response, Completion) {
    match ingest(state, batch, body) {
        Ok(completion) => {
            let accepted = Accepted {
                message: "OK",
                processed: completion.processed,
                rejected: completion.rejected,
                debug_user_id: "local",
            };
            let response = respond::json(StatusCode::OK, &accepted);
            (response, completion)
        }
        Err(refusal) => refusal.into_parts(),
    }
}

fn ingest(state: &State, batch: Option<BatchId>, body: &[u8]) -> Result<Completion, Refusal> {
    // The shared `/v1/logs` reads up to the larger OTLP limit, so LuminaLog's own limit is
    // applied once the body is known to be LuminaLog.
    if body.len() > state.max_body_bytes {
        return Err(intake::too_large("body", state.max_body_bytes));
    }
    let decoded = decode_batch_with_keys(body, |key| state.accepts_key(key)).map_err(|e| {
        let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
        Refusal::new(status, e.message)
    })?;

    let processed = decoded.entries.len();
    let rejected = decoded.rejected.len();
    ingest::store(state, batch, decoded.entries, rejected)?;
    Ok(Completion {
        status: Some(200),
        processed,
        rejected,
        rejections: decoded
            .rejected
            .into_iter()
            .map(|r| RejectionView {
                index: Some(r.index),
                reason: r.reason,
            })
            .collect(),
        ..Completion::default()
    })
}
