//! What a capture call takes beyond the error itself.

use crate::level::Level;

/// Options of [`crate::Logger::capture_error`]; the defaults suit most calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaptureOptions<'a> {
    /// The entry's message instead of the error's text, which then travels as the attribute
    /// `error` (LogFlux §7).
    pub message: Option<&'a str>,
    /// One JSON object of attributes, or empty for none.
    pub attributes: &'a str,
    /// The entry's level; `error` when unset.
    pub level: Option<Level>,
    /// A grouping fingerprint of the caller's, sent where a protocol has a place for one.
    pub fingerprint: Option<&'a str>,
    /// Take the calling thread's stack as the frames (for C and Rust callers, who bring none).
    pub native_stack: bool,
}

/// The attribute a custom message moves the error's text to.
pub const ERROR_TEXT_ATTRIBUTE: &str = "error";
