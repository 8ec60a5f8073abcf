//! ferrolog: one telemetry client for every language, a Rust core behind a C ABI.
//!
//! ```no_run
//! use std::time::Duration;
//! let mut config = ferrolog::Config::new("my-api-key");
//! config.set("endpoint", "http://127.0.0.1:4318/v1/logs").unwrap();
//! let client = ferrolog::Client::new(config).unwrap();
//! let logger = client.logger();
//! logger.log(ferrolog::Level::Info, "user signed in", &[("user_id", "42")]);
//! client.shutdown(Duration::from_secs(2));
//! ```

pub mod breadcrumbs;
pub mod capture;
pub mod capture_call;
pub mod client;
pub mod config;
pub mod context;
mod diagnostics;
pub mod entry;
pub mod env;
pub mod ffi;
pub mod fork;
pub mod hooks;
pub mod level;
pub mod pipeline;
mod protocols;
mod random;
mod sampling;
pub mod scrub;
pub mod span;
mod spool;
pub mod trace;
pub mod transport;
pub mod wire;

#[cfg(test)]
#[path = "testing/collector.rs"]
mod test_collector;

pub use capture_call::{CaptureOptions, CaptureSettings};
pub use client::{Client, LogStatus, Logger};
pub use config::{Config, ConfigError, Overflow, Protocol};
pub use entry::{EntryKind, RecordError};
pub use level::Level;
pub use pipeline::stats::{DropReason, Stats};
pub use pipeline::FlushReport;
