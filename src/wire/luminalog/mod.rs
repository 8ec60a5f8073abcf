//! The LuminaLog JSON batch protocol (`shared/spec/luminalog.md`).

pub mod decode;
