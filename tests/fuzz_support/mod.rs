//! Shared pieces of the property tests over bad input.

pub mod cases;
pub mod client;
pub mod inputs;
pub mod json;
