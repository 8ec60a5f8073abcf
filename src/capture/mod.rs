//! Error capture: captured errors with chains and frames, fingerprints, storm protection.
//!
//! Frames are always innermost first: the frame that raised comes first, `main` last.

mod error;
mod fingerprint;
mod mask;
mod native;
mod normalize;
mod storm;

pub use error::{CapturedError, Cause, Frame, MAX_CHAIN, MAX_FRAMES};
pub use fingerprint::{canonical_text, fingerprint};
pub use mask::mask_message;
pub use native::{release_symbol_cache, NativeBacktrace};
pub use normalize::{normalize_function, normalize_module};
pub use storm::{Admission, FoldSummary, StormConfig, StormGuard};
