//! The C ABI: the only code with `extern "C"`. It converts and delegates; the logic lives in
//! the core. Every export runs inside [`boundary!`], so a panic becomes a result code, never
//! an unwind into C.
//!
//! Conventions (the header's preamble says the same to C users):
//! - strings in are `(const char *ptr, size_t len)` UTF-8, not NUL-terminated; `ptr` may be
//!   NULL only when `len` is 0;
//! - outputs come last and are written only on success;
//! - every object has one `_free`, and `_free(NULL)` does nothing;
//! - every handle may be used from any thread.

// The exports are called from C, where `unsafe` means nothing; their pointer contracts are
// stated once in the header's preamble and on each function instead.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

use std::ffi::c_char;

mod capture;
mod client;
mod config;
mod entries;
mod error;
mod fork;
mod hooks;
mod logger;
mod misc;
mod result;
mod scope;
mod spans;
mod stats;
mod typed;

pub use capture::*;
pub use client::*;
pub use config::*;
pub use entries::*;
pub use error::*;
pub use fork::*;
pub use hooks::*;
pub use logger::*;
pub use misc::*;
pub use result::*;
pub use scope::*;
pub use spans::*;
pub use stats::*;
pub use typed::*;

/// Runs an export's body, turning a panic into `$on_panic`.
macro_rules! boundary {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(_) => $on_panic,
        }
    };
}
pub(crate) use boundary;

/// Reads a `(ptr, len)` byte argument without checking its encoding.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes.
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const c_char,
    len: usize,
) -> Result<&'a [u8], ferrolog_result> {
    match (ptr.is_null(), len) {
        (_, 0) => Ok(&[]),
        (true, _) => Err(ferrolog_result::FERROLOG_NULL_ARGUMENT),
        (false, _) => Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }),
    }
}

/// Reads a `(ptr, len)` string argument.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    len: usize,
) -> Result<&'a str, ferrolog_result> {
    let bytes = unsafe { bytes_arg(ptr, len)? };
    std::str::from_utf8(bytes).map_err(|_| ferrolog_result::FERROLOG_INVALID_UTF8)
}

/// Writes `value` through `out` when `out` is not NULL.
///
/// # Safety
/// `out` must be NULL or valid for a write.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) {
    if !out.is_null() {
        unsafe { out.write(value) };
    }
}
