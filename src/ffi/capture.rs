//! `ferrolog_capture_error`: a captured error, its frames and causes as arrays in one call,
//! so a binding converts its language's exception once and crosses the boundary once.

use super::entries::ferrolog_str;
use super::logger::{record_error, status};
use super::{boundary, ferrolog_logger, ferrolog_result};
use crate::capture::{CapturedError, Cause, Frame};
use crate::capture_call::CaptureSettings;

use ferrolog_result::*;

/// One stack frame: the function, its module or source file, and the line (0: unknown).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_frame {
    pub function: ferrolog_str,
    pub module: ferrolog_str,
    pub line: u32,
}

/// One cause beneath the error: its type and message.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_cause {
    pub error_type: ferrolog_str,
    pub message: ferrolog_str,
}

/// Reads `count` items of a C array, converting each; NULL is allowed only with `count` 0.
///
/// # Safety
/// `items` must be NULL or point to `count` items whose strings are valid.
unsafe fn array_arg<T: Copy, U>(
    items: *const T,
    count: usize,
    convert: impl Fn(T) -> Result<U, ferrolog_result>,
) -> Result<Vec<U>, ferrolog_result> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if items.is_null() {
        return Err(FERROLOG_NULL_ARGUMENT);
    }
    unsafe { std::slice::from_raw_parts(items, count) }
        .iter()
        .map(|item| convert(*item))
        .collect()
}

/// Captures an error through `logger`, with its breadcrumb trail and attributes.
///
/// `frames` are innermost first (the frame that raised comes first); NULL takes the calling
/// thread's own stack instead, resolved off the calling thread; a non-NULL array with
/// `frame_count` 0 means no frames. `causes` follow the chain outward from the error, at most
/// 10 links in all. `options_json` (empty for none) is one object with any of `message` (the
/// entry's message; the error's text then travels as the attribute `error`), `level` (1–8 or
/// a name; default error) and `fingerprint` (the caller's grouping key).
///
/// Errors are not held to the minimum level. Returns as a log call does; beyond the storm
/// limit an identical error gives `FERROLOG_FILTERED` (counted as `folded`).
#[no_mangle]
pub extern "C" fn ferrolog_capture_error(
    logger: *const ferrolog_logger,
    error_type: ferrolog_str,
    message: ferrolog_str,
    frames: *const ferrolog_frame,
    frame_count: usize,
    causes: *const ferrolog_cause,
    cause_count: usize,
    attributes_json: ferrolog_str,
    options_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(logger) = (unsafe { logger.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let native_stack = frames.is_null();
        let capture = || unsafe {
            let frames = array_arg(frames, frame_count, |frame: ferrolog_frame| {
                let line = (frame.line > 0).then_some(frame.line);
                Ok(Frame::new(frame.function.get()?, frame.module.get()?, line))
            })?;
            let causes = array_arg(causes, cause_count, |cause: ferrolog_cause| {
                Ok(Cause {
                    error_type: cause.error_type.get()?.to_owned(),
                    message: cause.message.get()?.to_owned(),
                })
            })?;
            let error = CapturedError::new(error_type.get()?, message.get()?, causes, frames);
            let attributes = attributes_json.get()?;
            let settings = CaptureSettings::from_json(options_json.get()?)
                .map_err(|_| FERROLOG_INVALID_ARGUMENT)?;
            let options = settings.options(attributes, native_stack);
            logger
                .inner
                .capture_error(error, &options)
                .map(status)
                .map_err(record_error)
        };
        capture().unwrap_or_else(|code| code)
    })
}
