//! `ferrolog_stats`: a snapshot of a client's counters, read by name or as JSON.

use super::misc::write_str_out;
use super::{boundary, ferrolog_result, str_arg, write_out};
use crate::pipeline::stats::Stats;
use std::ffi::c_char;

use ferrolog_result::*;

/// A snapshot of a client's counters. Free with `ferrolog_stats_free`.
#[allow(non_camel_case_types)]
pub struct ferrolog_stats {
    inner: Stats,
}

impl ferrolog_stats {
    pub(crate) fn boxed(inner: Stats) -> *mut ferrolog_stats {
        Box::into_raw(Box::new(ferrolog_stats { inner }))
    }
}

/// Reads one counter by name: `accepted`, `sent`, `retried`, `requests`, `queued`,
/// `attributes_dropped`, `values_truncated`, the spool's `spooled`, `replayed`,
/// `spool_recovered`, `spool_pending` and `spool_corrupt` (frames skipped), `dropped` (all
/// reasons), or a drop reason (`queue_overflow`, `network_error`, `send_error`,
/// `ratelimit_backoff`, `quota_exceeded`, `before_send`, `validation_error`, `sampled`,
/// `shutdown`, `internal_error`, `folded`, `spool_evicted`, `spool_lost`). An unknown name
/// gives `FERROLOG_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrolog_stats_get(
    stats: *const ferrolog_stats,
    name: *const c_char,
    name_len: usize,
    out: *mut u64,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(stats), false) = (unsafe { stats.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let name = match unsafe { str_arg(name, name_len) } {
            Ok(name) => name,
            Err(code) => return code,
        };
        match stats.inner.counter(name) {
            Some(value) => {
                unsafe { write_out(out, value) };
                FERROLOG_OK
            }
            None => FERROLOG_INVALID_ARGUMENT,
        }
    })
}

/// The whole snapshot as a JSON object, NUL-terminated, into `buf` of `capacity` bytes.
/// `*needed` (when not NULL) receives the bytes required, NUL included; a short buffer gives
/// `FERROLOG_BUFFER_TOO_SMALL` and is left untouched.
#[no_mangle]
pub extern "C" fn ferrolog_stats_json(
    stats: *const ferrolog_stats,
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(stats) = (unsafe { stats.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let json = stats.inner.to_json().to_string();
        unsafe { write_str_out(&json, buf, capacity, needed) }
    })
}

#[no_mangle]
pub extern "C" fn ferrolog_stats_free(stats: *mut ferrolog_stats) {
    boundary!((), {
        if !stats.is_null() {
            drop(unsafe { Box::from_raw(stats) });
        }
    })
}
