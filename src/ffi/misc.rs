//! Versions, level names, and the buffer convention for strings out.

use std::ffi::c_char;

use super::{boundary, ferrolog_result, str_arg, write_out};
use crate::level::Level;

use ferrolog_result::*;

/// Bumped whenever an exported signature or a result number changes meaning; every binding
/// refuses to load a library whose number differs from the one it was written for.
pub const FERROLOG_ABI_VERSION: u32 = 1;

/// The library's version, e.g. "0.1.0": static and NUL-terminated.
#[no_mangle]
pub extern "C" fn ferrolog_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version this library implements; compare with `FERROLOG_ABI_VERSION` from the header.
#[no_mangle]
pub extern "C" fn ferrolog_abi_version() -> u32 {
    FERROLOG_ABI_VERSION
}

/// Parses a level name from either name set (`warn`, `warning`, `fatal`, `critical`, …,
/// case-insensitive) or a number "1".."8" into `*out`.
#[no_mangle]
pub extern "C" fn ferrolog_level_from_name(
    name: *const c_char,
    name_len: usize,
    out: *mut i32,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        if out.is_null() {
            return FERROLOG_NULL_ARGUMENT;
        }
        let name = match unsafe { str_arg(name, name_len) } {
            Ok(name) => name,
            Err(code) => return code,
        };
        match Level::from_name(name) {
            Some(level) => {
                unsafe { write_out(out, i32::from(level.number())) };
                FERROLOG_OK
            }
            None => FERROLOG_INVALID_ARGUMENT,
        }
    })
}

/// Copies `text` and a NUL into `buf` when it fits, and reports the size needed.
///
/// # Safety
/// `buf` must be NULL or valid for `capacity` bytes; `needed` NULL or valid for a write.
pub(crate) unsafe fn write_str_out(
    text: &str,
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    let size = text.len() + 1;
    unsafe { write_out(needed, size) };
    if buf.is_null() || capacity < size {
        return FERROLOG_BUFFER_TOO_SMALL;
    }
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        buf.add(text.len()).write(0);
    }
    FERROLOG_OK
}
