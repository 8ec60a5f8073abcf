//! The LuminaLog JSON batch protocol (`shared/spec/luminalog.md`).

pub mod decode;
pub mod encode;

pub use encode::LuminaLogEncoder;
