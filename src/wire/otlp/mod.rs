//! OTLP/HTTP with JSON-encoded protobuf (`shared/spec/otlp.md`): logs, traces and metrics, each
//! on its own path.
//!
//! The encoder turns ferrolog records into `Export*ServiceRequest` bodies and judges the
//! answers; the decoder is the collector's inverse, into the shared [`DecodedEntry`] view.
//!
//! [`DecodedEntry`]: crate::wire::decoded::DecodedEntry

pub mod decode;
pub mod encode;
mod judge;
mod options;
mod proto_json;
mod severity;
mod signal;

#[cfg(test)]
mod proto3_check;
#[cfg(test)]
mod round_trip;

pub use decode::{decode, DecodeError, DecodedBatch};
pub use encode::OtlpEncoder;
pub use judge::{judge, Judgement};
pub use options::{Options, DEFAULT_ENDPOINT};
pub use signal::Signal;

/// The instrumentation scope every ferrolog envelope names (spec §4).
const SCOPE_NAME: &str = "ferrolog";
const CRATE_VERSION: &str = env!("CARGO_PKG_VERSION");
