//! OTLP/HTTP JSON on `/v1/logs`, `/v1/traces` and `/v1/metrics` (otlp.md §11 rules 6–7): the
//! library's decoder judges the body and words the answers; this stores what it accepted.

use std::time::{SystemTime, UNIX_EPOCH};

use ferrolog::pipeline::batch::BatchId;
use ferrolog::wire::otlp::{decode, DecodeError, Signal};
use hyper::StatusCode;

use crate::ingest::{self, Refusal};
use crate::intake;
use crate::requests::{Completion, RejectionView};
use crate::respond::{self, Response};
use crate::state::State;

/// The OTLP recommended limit on a decompressed body (otlp.md §11 rule 5).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Decodes and stores one decompressed body of `signal`.
pub fn handle(
    state: &State,
    signal: Signal,
    batch_id: Option<BatchId>,
    body: &[u8],
) -> (Response, Completion) {
    // `/v1/logs` may have been read up to a larger LuminaLog limit.
    if body.len() > MAX_BODY_BYTES {
        return intake::too_large("body", MAX_BODY_BYTES).into_parts();
    }
    let batch = match decode(signal, body, now_ns()) {
        Ok(batch) => batch,
        Err(error) => return refused(error).into_parts(),
    };

    let answer = batch.response_body(signal);
    let processed = batch.entries.len();
    let rejected = usize::try_from(batch.rejected).unwrap_or(usize::MAX);
    if let Err(refusal) = ingest::store(state, batch_id, batch.entries, rejected) {
        return refusal.into_parts();
    }
    let completion = Completion {
        status: Some(200),
        processed,
        rejected,
        // OTLP reports only the first reason, and no position.
        rejections: batch
            .first_rejection
            .map(|reason| RejectionView {
                index: None,
                reason,
            })
            .into_iter()
            .collect(),
        ..Completion::default()
    };
    (respond::json_text(StatusCode::OK, answer), completion)
}

fn refused(error: DecodeError) -> Refusal {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = error.response_body();
    Refusal::with_body(status, error.message, body)
}

/// Dates log records that carry no time of their own.
fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
        })
}
