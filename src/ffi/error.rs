//! Error objects: the detail a failed call returns alongside its result code.

use std::ffi::{c_char, CString};

use super::{boundary, ferrolog_result};

/// An error: a result code and a message naming what was wrong. Free with `ferrolog_error_free`.
#[allow(non_camel_case_types)]
pub struct ferrolog_error {
    code: ferrolog_result,
    message: CString,
}

impl ferrolog_error {
    pub(crate) fn boxed(code: ferrolog_result, message: impl Into<String>) -> *mut ferrolog_error {
        // Interior NULs cannot come from our messages, but a user's key name might carry one.
        let text = message.into().replace('\0', "\\0");
        let message = CString::new(text).unwrap_or_default();
        Box::into_raw(Box::new(ferrolog_error { code, message }))
    }
}

/// Hands an error to the caller through `out` (when not NULL) and returns its code.
///
/// # Safety
/// `out` must be NULL or valid for a write.
pub(crate) unsafe fn fail(
    out: *mut *mut ferrolog_error,
    code: ferrolog_result,
    message: impl Into<String>,
) -> ferrolog_result {
    if !out.is_null() {
        unsafe { out.write(ferrolog_error::boxed(code, message)) };
    }
    code
}

/// The error's message, NUL-terminated, valid until the error is freed. NULL gives "".
#[no_mangle]
pub extern "C" fn ferrolog_error_message(error: *const ferrolog_error) -> *const c_char {
    boundary!(c"".as_ptr(), {
        match unsafe { error.as_ref() } {
            Some(error) => error.message.as_ptr(),
            None => c"".as_ptr(),
        }
    })
}

/// The error's result code. NULL gives `FERROLOG_NULL_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrolog_error_code(error: *const ferrolog_error) -> ferrolog_result {
    boundary!(ferrolog_result::FERROLOG_PANIC, {
        unsafe { error.as_ref() }.map_or(ferrolog_result::FERROLOG_NULL_ARGUMENT, |e| e.code)
    })
}

#[no_mangle]
pub extern "C" fn ferrolog_error_free(error: *mut ferrolog_error) {
    boundary!((), {
        if !error.is_null() {
            drop(unsafe { Box::from_raw(error) });
        }
    })
}
