//! The collector side of OTLP/HTTP JSON (spec §11, rules 6–7): one already-decompressed
//! request body in, decoded entries and a partial-success count out.
//!
//! A body that is not JSON, not an object, or holds a known member of the wrong JSON type is
//! refused whole, as a [`DecodeError`] (400). An item the spec rejects on its own (a span with
//! a bad id, a severity outside 0–24, an unsupported metric point) is skipped and counted, and
//! the answer reports it as partial success. Size limits are the caller's.

mod attributes;
mod logs;
mod metrics;
mod reader;
mod resource;
mod traces;

use serde_json::{json, Map, Value};

use self::reader::Obj;
use self::resource::Resource;
use super::Signal;
use crate::entry::EntryKind;
pub use crate::wire::decoded::DecodeError;
use crate::wire::decoded::DecodedEntry;
use crate::wire::rfc3339_micros;

/// What one request decoded into.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecodedBatch {
    /// The accepted entries, in request order.
    pub entries: Vec<DecodedEntry>,
    /// Items (log records, spans, data points) skipped as invalid.
    pub rejected: u64,
    /// Why the first of them was skipped.
    pub first_rejection: Option<String>,
}

/// Why one item failed: skipped and counted, or the whole request refused.
enum Failure {
    Reject(String),
    Invalid(DecodeError),
}

impl From<DecodeError> for Failure {
    fn from(error: DecodeError) -> Failure {
        Failure::Invalid(error)
    }
}

impl DecodedBatch {
    /// Keeps an item's entry or counts its rejection; a malformed item fails the request.
    fn add(&mut self, item: Result<DecodedEntry, Failure>) -> Result<(), DecodeError> {
        match item {
            Ok(entry) => self.entries.push(entry),
            Err(Failure::Reject(reason)) => {
                self.rejected += 1;
                self.first_rejection.get_or_insert(reason);
            }
            Err(Failure::Invalid(error)) => return Err(error),
        }
        Ok(())
    }

    /// The 200 answer: `{}` when all was accepted, else `partialSuccess` with the signal's
    /// count as an int64 string and the first reason.
    pub fn response_body(&self, signal: Signal) -> String {
        if self.rejected == 0 {
            return "{}".to_owned();
        }
        let mut partial = Map::new();
        partial.insert(
            signal.rejected_key().to_owned(),
            Value::String(self.rejected.to_string()),
        );
        let reason = self.first_rejection.clone().unwrap_or_default();
        partial.insert("errorMessage".to_owned(), Value::String(reason));
        json!({ "partialSuccess": partial }).to_string()
    }
}

/// Decodes one `Export*ServiceRequest` of `signal`. `received_ns` (Unix nanoseconds) dates
/// log records that carry no time of their own.
pub fn decode(signal: Signal, body: &[u8], received_ns: u64) -> Result<DecodedBatch, DecodeError> {
    let document: Value = serde_json::from_slice(body)
        .map_err(|e| DecodeError::bad_request(format!("body is not valid JSON: {e}")))?;
    let request = Obj::root(&document)?;
    let mut batch = DecodedBatch::default();
    for group in request.objects(signal.resource_key())? {
        let resource = Resource::decode(&group)?;
        for scope in group.objects(signal.scope_key())? {
            for item in scope.objects(signal.items_key())? {
                match signal {
                    Signal::Logs => batch.add(logs::decode(&item, &resource, received_ns))?,
                    Signal::Traces => batch.add(traces::decode(&item, &resource))?,
                    Signal::Metrics => {
                        for point in metrics::decode(&item, &resource)? {
                            batch.add(point)?;
                        }
                    }
                }
            }
        }
    }
    Ok(batch)
}

/// The fields every decoded entry shares, filled from the resource.
fn entry(resource: &Resource, kind: EntryKind, level: u8, ts: u64) -> DecodedEntry {
    DecodedEntry {
        protocol: "otlp".to_owned(),
        kind,
        level,
        timestamp: rfc3339_micros(ts),
        message: String::new(),
        attributes: Map::new(),
        environment: resource.environment.clone(),
        project_id: None,
        privacy_mode: None,
        error: None,
        trace_id: None,
        span_id: None,
        parent_span_id: None,
        details: None,
    }
}

#[cfg(test)]
mod tests;
