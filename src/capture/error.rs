//! A captured error: type, message, cause chain, frames and fingerprint, within fixed caps.

use serde::{Deserialize, Serialize};

use super::fingerprint::fingerprint;

/// Causes kept, counting the error itself (logflux.md §7: "up to 10 deep").
pub const MAX_CHAIN: usize = 10;

/// Frames kept in the core, innermost first. Encoders cut further from the same end (LogFlux
/// sends at most 20, logflux.md §7); OTLP and LuminaLog send what the core keeps.
pub const MAX_FRAMES: usize = 64;

/// One stack frame, as a shim or the native capture reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub function: String,
    /// The module, or the source file, the function belongs to (a path, a Python module, a
    /// Rust module path): whatever the language reports. Fingerprints normalize it.
    pub module: String,
    pub line: Option<u32>,
}

impl Frame {
    pub fn new(function: impl Into<String>, module: impl Into<String>, line: Option<u32>) -> Frame {
        Frame {
            function: function.into(),
            module: module.into(),
            line,
        }
    }
}

/// One link of an error chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    pub error_type: String,
    pub message: String,
}

/// Serialized as it is held, fingerprint included, so a spooled error is sent as it was first
/// settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedError {
    error_type: String,
    message: String,
    chain: Vec<Cause>,
    frames: Vec<Frame>,
    fingerprint: String,
}

impl CapturedError {
    /// An error and the causes beneath it (outermost cause first), with its frames innermost
    /// first (the frame that raised comes first). The chain is cut to [`MAX_CHAIN`] links and the
    /// frames to the innermost [`MAX_FRAMES`]; the fingerprint is computed from what is kept.
    pub fn new(
        error_type: impl Into<String>,
        message: impl Into<String>,
        causes: impl IntoIterator<Item = Cause>,
        frames: impl IntoIterator<Item = Frame>,
    ) -> CapturedError {
        let error_type = error_type.into();
        let message = message.into();
        let itself = Cause {
            error_type: error_type.clone(),
            message: message.clone(),
        };
        let chain: Vec<Cause> = std::iter::once(itself)
            .chain(causes)
            .take(MAX_CHAIN)
            .collect();
        let frames: Vec<Frame> = frames.into_iter().take(MAX_FRAMES).collect();
        let fingerprint = fingerprint(&error_type, &message, &frames);
        CapturedError {
            error_type,
            message,
            chain,
            frames,
            fingerprint,
        }
    }

    /// Replaces the computed fingerprint with the caller's own (LuminaLog lets callers send one).
    pub fn with_fingerprint(mut self, fingerprint: impl Into<String>) -> CapturedError {
        self.fingerprint = fingerprint.into();
        self
    }

    pub fn error_type(&self) -> &str {
        &self.error_type
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error itself, then its causes: at least one link, at most [`MAX_CHAIN`].
    pub fn chain(&self) -> &[Cause] {
        &self.chain
    }

    /// The chain when there is one to send: LogFlux's `error_chain` needs two or more links.
    pub fn error_chain(&self) -> Option<&[Cause]> {
        (self.chain.len() >= 2).then_some(self.chain.as_slice())
    }

    /// Innermost first, at most [`MAX_FRAMES`].
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The innermost `limit` frames, for an encoder with a tighter cap.
    pub fn innermost_frames(&self, limit: usize) -> &[Frame] {
        &self.frames[..self.frames.len().min(limit)]
    }

    /// 32 lowercase hex digits (docs/fingerprint.md), unless the caller supplied one.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered_frames(count: usize) -> Vec<Frame> {
        (0..count)
            .map(|i| Frame::new(format!("f{i}"), "app.py", Some(i as u32)))
            .collect()
    }

    fn causes(count: usize) -> Vec<Cause> {
        (0..count)
            .map(|i| Cause {
                error_type: format!("E{i}"),
                message: format!("cause {i}"),
            })
            .collect()
    }

    #[test]
    fn the_chain_starts_with_the_error_and_stops_at_ten() {
        let error = CapturedError::new("Top", "failed", causes(15), vec![]);
        assert_eq!(error.chain().len(), MAX_CHAIN);
        assert_eq!(error.chain()[0].error_type, "Top");
        assert_eq!(error.chain()[0].message, "failed");
        assert_eq!(error.chain()[1].error_type, "E0");
        assert_eq!(error.chain()[9].error_type, "E8");
        assert_eq!(error.error_chain().map(<[Cause]>::len), Some(10));
    }

    #[test]
    fn a_lone_error_has_no_chain_to_send() {
        let error = CapturedError::new("ValueError", "bad", vec![], vec![]);
        assert_eq!(error.chain().len(), 1);
        assert_eq!(error.error_chain(), None);
        let with_cause = CapturedError::new("ValueError", "bad", causes(1), vec![]);
        assert_eq!(with_cause.error_chain().map(<[Cause]>::len), Some(2));
    }

    #[test]
    fn frames_keep_the_innermost_up_to_the_cap() {
        let error = CapturedError::new("E", "m", vec![], numbered_frames(100));
        assert_eq!(error.frames().len(), MAX_FRAMES);
        assert_eq!(error.frames()[0].function, "f0");
        assert_eq!(error.frames()[MAX_FRAMES - 1].function, "f63");
        let logflux = error.innermost_frames(20);
        assert_eq!((logflux.len(), logflux[19].function.as_str()), (20, "f19"));
        let few = CapturedError::new("E", "m", vec![], numbered_frames(3));
        assert_eq!(few.innermost_frames(20).len(), 3);
    }

    #[test]
    fn the_fingerprint_is_computed_and_may_be_replaced() {
        let error = CapturedError::new("E", "m", vec![], numbered_frames(2));
        assert_eq!(error.fingerprint(), fingerprint("E", "m", error.frames()));
        assert_eq!(error.fingerprint().len(), 32);
        assert_eq!(error.with_fingerprint("mine").fingerprint(), "mine");
    }

    #[test]
    fn frames_beyond_the_cap_do_not_change_the_fingerprint() {
        let capped = CapturedError::new("E", "m", vec![], numbered_frames(MAX_FRAMES));
        let longer = CapturedError::new("E", "m", vec![], numbered_frames(MAX_FRAMES + 5));
        assert_eq!(capped.fingerprint(), longer.fingerprint());
    }
}
