//! `ferrolog_logger`: children with inherited attributes, and the log calls.

use std::ffi::c_char;

use super::{boundary, bytes_arg, ferrolog_result, str_arg, write_out};
use crate::client::{LogStatus, Logger};
use crate::entry::RecordError;
use crate::level::Level;

use ferrolog_result::*;

/// A logger: a client plus inherited attributes. Thread-safe. Free with `ferrolog_logger_free`.
#[allow(non_camel_case_types)]
pub struct ferrolog_logger {
    pub(crate) inner: Logger,
}

impl ferrolog_logger {
    pub(crate) fn boxed(inner: Logger) -> *mut ferrolog_logger {
        Box::into_raw(Box::new(ferrolog_logger { inner }))
    }
}

/// One string attribute, for the key/value forms. Neither string needs a NUL terminator.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_attribute {
    pub key: *const c_char,
    pub key_len: usize,
    pub value: *const c_char,
    pub value_len: usize,
}

pub const FERROLOG_LEVEL_EMERGENCY: i32 = 1;
pub const FERROLOG_LEVEL_ALERT: i32 = 2;
pub const FERROLOG_LEVEL_CRITICAL: i32 = 3;
pub const FERROLOG_LEVEL_ERROR: i32 = 4;
pub const FERROLOG_LEVEL_WARNING: i32 = 5;
pub const FERROLOG_LEVEL_NOTICE: i32 = 6;
pub const FERROLOG_LEVEL_INFO: i32 = 7;
pub const FERROLOG_LEVEL_DEBUG: i32 = 8;

pub(crate) fn level_arg(level: i32) -> Result<Level, ferrolog_result> {
    u8::try_from(level)
        .ok()
        .and_then(Level::from_number)
        .ok_or(FERROLOG_INVALID_ARGUMENT)
}

pub(crate) fn status(status: LogStatus) -> ferrolog_result {
    match status {
        LogStatus::Accepted => FERROLOG_OK,
        LogStatus::Filtered => FERROLOG_FILTERED,
        LogStatus::Dropped => FERROLOG_DROPPED,
        LogStatus::ShutDown => FERROLOG_SHUT_DOWN,
    }
}

pub(crate) fn record_error(error: RecordError) -> ferrolog_result {
    match error {
        RecordError::InvalidJson => FERROLOG_INVALID_JSON,
        RecordError::TooLarge => FERROLOG_TOO_LARGE,
        RecordError::InvalidUtf8 => FERROLOG_INVALID_UTF8,
        RecordError::NotFinite => FERROLOG_INVALID_ARGUMENT,
    }
}

/// Lends out the attributes' keys and values as bytes, checking only for NULL.
///
/// # Safety
/// `attributes` must be NULL (with `count` 0) or point to `count` attributes whose strings
/// are readable for their lengths.
unsafe fn attribute_bytes<'a>(
    attributes: *const ferrolog_attribute,
    count: usize,
) -> Result<impl Iterator<Item = (&'a [u8], &'a [u8])> + Clone, ferrolog_result> {
    let attributes: &[ferrolog_attribute] = match (attributes.is_null(), count) {
        (_, 0) => &[],
        (true, _) => return Err(FERROLOG_NULL_ARGUMENT),
        (false, n) => unsafe { std::slice::from_raw_parts(attributes, n) },
    };
    for a in attributes {
        unsafe {
            bytes_arg(a.key, a.key_len)?;
            bytes_arg(a.value, a.value_len)?;
        }
    }
    // Checked for NULL just above, so these cannot fail.
    Ok(attributes.iter().map(|a| unsafe {
        (
            bytes_arg(a.key, a.key_len).unwrap_or_default(),
            bytes_arg(a.value, a.value_len).unwrap_or_default(),
        )
    }))
}

/// The shape every log call shares: the logger, then the level gate — so a call below the
/// minimum level reads none of its other arguments — then the call's own arguments.
pub(super) fn log_call(
    logger: *const ferrolog_logger,
    level: i32,
    log: impl FnOnce(&Logger, Level) -> Result<LogStatus, ferrolog_result>,
) -> ferrolog_result {
    let Some(logger) = (unsafe { logger.as_ref() }) else {
        return FERROLOG_NULL_ARGUMENT;
    };
    let level = match level_arg(level) {
        Ok(level) => level,
        Err(code) => return code,
    };
    if !logger.inner.enabled(level) {
        return FERROLOG_FILTERED;
    }
    log(&logger.inner, level).map_or_else(|code| code, status)
}

/// Logs `message` at `level` (1 emergency … 8 debug) with attributes given as one JSON
/// object (`json` may be NULL with `json_len` 0 for none) nested at most 64 levels. Returns
/// `FERROLOG_OK` when the entry was accepted, `FERROLOG_FILTERED`, `FERROLOG_DROPPED` or
/// `FERROLOG_SHUT_DOWN`, or an argument error (`FERROLOG_INVALID_JSON` when the JSON is not
/// one such object). A call below the minimum level returns `FERROLOG_FILTERED` at once,
/// without reading its other arguments.
#[no_mangle]
pub extern "C" fn ferrolog_log(
    logger: *const ferrolog_logger,
    level: i32,
    message: *const c_char,
    message_len: usize,
    json: *const c_char,
    json_len: usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        log_call(logger, level, |logger, level| {
            let message = unsafe { bytes_arg(message, message_len)? };
            let json = unsafe { bytes_arg(json, json_len)? };
            // UTF-8 is checked by the core in one pass over the packed record.
            logger
                .log_utf8_json(level, message, json)
                .map_err(record_error)
        })
    })
}

/// As `ferrolog_log`, with 32-bit lengths: for foreign-function layers that pass a plain
/// integer as a C `int` when the function has no declared prototype, and whose prototyped
/// calls cost more than the log call itself (Python's ctypes). Texts of 4 GiB or more cannot
/// be passed this way; the core refuses them in any case.
#[no_mangle]
pub extern "C" fn ferrolog_log32(
    logger: *const ferrolog_logger,
    level: i32,
    message: *const c_char,
    message_len: u32,
    json: *const c_char,
    json_len: u32,
) -> ferrolog_result {
    ferrolog_log(
        logger,
        level,
        message,
        message_len as usize,
        json,
        json_len as usize,
    )
}

/// Logs `message` at `level` with `count` string attributes. Results as `ferrolog_log`.
#[no_mangle]
pub extern "C" fn ferrolog_log_kv(
    logger: *const ferrolog_logger,
    level: i32,
    message: *const c_char,
    message_len: usize,
    attributes: *const ferrolog_attribute,
    count: usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        log_call(logger, level, |logger, level| {
            let message = unsafe { bytes_arg(message, message_len)? };
            let pairs = unsafe { attribute_bytes(attributes, count)? };
            // UTF-8 is checked by the core in one pass over the packed record.
            logger
                .log_utf8_pairs(level, message, pairs)
                .map_err(record_error)
        })
    })
}

/// Whether an entry at `level` would pass the minimum level.
#[no_mangle]
pub extern "C" fn ferrolog_logger_enabled(logger: *const ferrolog_logger, level: i32) -> bool {
    boundary!(false, {
        match (unsafe { logger.as_ref() }, level_arg(level)) {
            (Some(logger), Ok(level)) => logger.inner.enabled(level),
            _ => false,
        }
    })
}

/// A child logger whose attributes are this logger's with the JSON object `json` on top
/// (nested at most 64 levels, as for `ferrolog_log`).
#[no_mangle]
pub extern "C" fn ferrolog_logger_child(
    logger: *const ferrolog_logger,
    json: *const c_char,
    json_len: usize,
    out: *mut *mut ferrolog_logger,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(logger), false) = (unsafe { logger.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let json = match unsafe { str_arg(json, json_len) } {
            Ok(json) => json,
            Err(code) => return code,
        };
        match logger.inner.child_json(json) {
            Ok(child) => {
                unsafe { write_out(out, ferrolog_logger::boxed(child)) };
                FERROLOG_OK
            }
            Err(error) => record_error(error),
        }
    })
}

/// A child logger with `count` string attributes added.
#[no_mangle]
pub extern "C" fn ferrolog_logger_child_kv(
    logger: *const ferrolog_logger,
    attributes: *const ferrolog_attribute,
    count: usize,
    out: *mut *mut ferrolog_logger,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(logger), false) = (unsafe { logger.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let pairs = match unsafe { attribute_bytes(attributes, count) } {
            Ok(pairs) => pairs,
            Err(code) => return code,
        };
        match logger.inner.child_utf8_pairs(pairs) {
            Ok(child) => {
                unsafe { write_out(out, ferrolog_logger::boxed(child)) };
                FERROLOG_OK
            }
            Err(error) => record_error(error),
        }
    })
}

#[no_mangle]
pub extern "C" fn ferrolog_logger_free(logger: *mut ferrolog_logger) {
    boundary!((), {
        if !logger.is_null() {
            drop(unsafe { Box::from_raw(logger) });
        }
    })
}
