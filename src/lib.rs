//! ferrolog: one telemetry client for every language, a Rust core behind a C ABI.

pub mod context;
pub mod entry;
pub mod level;
pub mod wire;
