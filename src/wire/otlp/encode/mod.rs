//! The OTLP encoder: one `Export*ServiceRequest` per signal present in a batch (spec §2–§9).
//!
//! The pipeline's [`Encoder`] makes one request of a batch, so a batch must first be split
//! with [`OtlpEncoder::partition`] into single-signal batches within the per-request limit.

mod attributes;
mod envelope;
mod logs;
mod metrics;
#[cfg(test)]
pub(super) mod tests;
mod traces;

use std::io::Write;
use std::time::Duration;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;
use std::time::SystemTime;

use self::envelope::{Envelope, Resource};
use super::judge::judge;
use super::options::Options;
use super::Signal;
use crate::config::DEFAULT_COMPRESSION_LEVEL;
use crate::diagnostics::Diagnostics;
use crate::entry::{MetricKind, Payload, Record};
use crate::pipeline::encoder::{Encoded, Encoder, Verdict};
use crate::transport::{Request, Response};

pub(crate) use logs::{
    AUDIT_ACTION, AUDIT_ACTOR, AUDIT_ACTOR_TYPE, AUDIT_OUTCOME, AUDIT_RESOURCE, AUDIT_RESOURCE_ID,
    ENTRY_TYPE, EVENT_NAME, EXCEPTION_MESSAGE, EXCEPTION_STACKTRACE, EXCEPTION_TYPE, LOGGER,
};
pub(crate) use traces::{OPERATION, STATUS_ERROR};

/// The most log records, spans or data points one request holds (spec §9).
pub const MAX_ITEMS_PER_REQUEST: usize = 1000;

pub struct OtlpEncoder {
    urls: [String; 3],
    headers: Vec<(&'static str, String)>,
    resource: Resource,
    gzip: bool,
    gzip_level: Compression,
    diagnostics: Diagnostics,
    attributes_dropped: u64,
}

impl OtlpEncoder {
    pub fn new(options: Options) -> OtlpEncoder {
        OtlpEncoder {
            urls: Signal::ALL.map(|signal| options.url(signal)),
            resource: Resource::new(&options),
            headers: options.headers,
            gzip: options.gzip,
            gzip_level: Compression::new(DEFAULT_COMPRESSION_LEVEL),
            diagnostics: Diagnostics::new(options.debug),
            attributes_dropped: 0,
        }
    }

    /// The level request bodies are gzipped at, when compression is on.
    pub fn with_gzip_level(self, gzip_level: Compression) -> OtlpEncoder {
        OtlpEncoder { gzip_level, ..self }
    }

    pub fn url(&self, signal: Signal) -> &str {
        &self.urls[signal as usize]
    }

    /// The JSON body for `records`, which must be non-empty and of one signal, as
    /// [`partition`](Self::partition) yields them.
    pub fn body(&mut self, records: &[Record]) -> Vec<u8> {
        let signal = Signal::of(&records[0]);
        debug_assert!(records.iter().all(|r| Signal::of(r) == signal));
        let dropped = &mut self.attributes_dropped;
        let resource = &self.resource;
        match signal {
            Signal::Logs => {
                let items: Vec<_> = records
                    .iter()
                    .map(|r| logs::log_record(r, dropped))
                    .collect();
                to_json(signal, resource, &items)
            }
            Signal::Traces => {
                let items: Vec<_> = records
                    .iter()
                    .filter_map(|r| match r.payload() {
                        Some(Payload::Span(span)) => Some(traces::span(r, span, dropped)),
                        _ => None,
                    })
                    .collect();
                to_json(signal, resource, &items)
            }
            Signal::Metrics => to_json(signal, resource, &metrics::metrics(records, dropped)),
        }
    }
}

fn to_json<T: Serialize>(signal: Signal, resource: &Resource, items: &[T]) -> Vec<u8> {
    let envelope = Envelope {
        signal,
        resource,
        items,
    };
    // Finite numbers, strings and maps serialize into a Vec without fail; `accepts` keeps
    // non-finite values out.
    serde_json::to_vec(&envelope).unwrap_or_default()
}

/// What a record adds to the per-request item limit.
fn items(record: &Record) -> usize {
    match record.payload() {
        Some(Payload::Telemetry { readings, .. }) => readings.len(),
        _ => 1,
    }
}

fn chunks(records: Vec<Record>) -> Vec<Vec<Record>> {
    let mut chunks: Vec<Vec<Record>> = Vec::new();
    let mut held = 0;
    for record in records {
        let count = items(&record);
        match chunks.last_mut() {
            Some(chunk) if held + count <= MAX_ITEMS_PER_REQUEST => {
                held += count;
                chunk.push(record);
            }
            _ => {
                held = count;
                chunks.push(vec![record]);
            }
        }
    }
    chunks
}

fn gzip(json: &[u8], level: Compression) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 4), level);
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(json);
    gz.finish().unwrap_or_default()
}

impl Encoder for OtlpEncoder {
    /// Non-finite values and negative counters have no valid OTLP form (spec §3, §8); a
    /// telemetry entry without readings would make an empty request.
    fn accepts(&self, record: &Record) -> bool {
        match record.payload() {
            Some(payload) if !payload.is_finite() => false,
            Some(Payload::Metric {
                value,
                kind: MetricKind::Counter,
                ..
            }) => *value >= 0.0,
            Some(Payload::Telemetry { readings, .. }) => !readings.is_empty(),
            _ => true,
        }
    }

    /// Splits a batch into batches of one signal each (logs, then traces, then metrics), each
    /// within [`MAX_ITEMS_PER_REQUEST`], keeping the order of records within a signal. A
    /// telemetry record counts one item per reading and is never split.
    fn partition(&self, records: Vec<Record>) -> Vec<Vec<Record>> {
        let mut by_signal: [Vec<Record>; 3] = Default::default();
        for record in records {
            by_signal[Signal::of(&record) as usize].push(record);
        }
        by_signal.into_iter().flat_map(chunks).collect()
    }

    /// Encodes a single-signal batch, as `partition` makes them.
    fn encode(&mut self, records: &[Record]) -> Result<Encoded, Verdict> {
        let signal = Signal::of(&records[0]);
        let json = self.body(records);
        let mut headers = self.headers.clone();
        let body = if self.gzip {
            headers.push(("Content-Encoding", "gzip".to_owned()));
            gzip(&json, self.gzip_level)
        } else {
            json
        };
        Ok(Request {
            url: self.url(signal).to_owned(),
            content_type: "application/json".into(),
            headers,
            body,
        }
        .into())
    }

    fn judge(&mut self, response: &Response) -> Verdict {
        let judgement = judge(response, SystemTime::now().into());
        if let Some(diagnostic) = &judgement.diagnostic {
            self.diagnostics.warn(format_args!("{diagnostic}"));
        }
        judgement.verdict
    }

    /// User attributes dropped because they used a key the record's type reserves.
    fn take_attributes_dropped(&mut self) -> u64 {
        std::mem::take(&mut self.attributes_dropped)
    }

    /// Four attempts in all (spec §10).
    fn default_max_retries(&self) -> u32 {
        3
    }

    fn default_http_timeout(&self) -> Duration {
        Duration::from_secs(10)
    }
}
