//! The result codes. Their numbers are the ABI: never renumber, only append.

use std::ffi::c_char;

use super::boundary;

#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ferrolog_result {
    /// Success; for a log call, the entry was accepted.
    FERROLOG_OK = 0,
    /// The entry was below the minimum level or left out by sampling.
    FERROLOG_FILTERED = 1,
    /// The queue was full and the overflow policy refused the entry.
    FERROLOG_DROPPED = 2,
    /// The client has been shut down.
    FERROLOG_SHUT_DOWN = 3,
    /// A required pointer was NULL.
    FERROLOG_NULL_ARGUMENT = 4,
    /// A string was not valid UTF-8.
    FERROLOG_INVALID_UTF8 = 5,
    /// An attribute argument was not one JSON object.
    FERROLOG_INVALID_JSON = 6,
    /// An argument was out of range (a level number, an unknown name).
    FERROLOG_INVALID_ARGUMENT = 7,
    /// The configuration was refused; the error object says which option and why.
    FERROLOG_CONFIG_ERROR = 8,
    /// The output buffer was too small; the needed length was reported.
    FERROLOG_BUFFER_TOO_SMALL = 9,
    /// A flush or shutdown reached its deadline with entries still owed.
    FERROLOG_TIMEOUT = 10,
    /// The library caught a panic; the call had no effect.
    FERROLOG_PANIC = 11,
    /// The input was larger than an entry may be.
    FERROLOG_TOO_LARGE = 12,
}

use ferrolog_result::*;

const ALL: [ferrolog_result; 13] = [
    FERROLOG_OK,
    FERROLOG_FILTERED,
    FERROLOG_DROPPED,
    FERROLOG_SHUT_DOWN,
    FERROLOG_NULL_ARGUMENT,
    FERROLOG_INVALID_UTF8,
    FERROLOG_INVALID_JSON,
    FERROLOG_INVALID_ARGUMENT,
    FERROLOG_CONFIG_ERROR,
    FERROLOG_BUFFER_TOO_SMALL,
    FERROLOG_TIMEOUT,
    FERROLOG_PANIC,
    FERROLOG_TOO_LARGE,
];

impl ferrolog_result {
    fn describe(self) -> &'static std::ffi::CStr {
        match self {
            FERROLOG_OK => c"ok",
            FERROLOG_FILTERED => c"filtered by level or sampling",
            FERROLOG_DROPPED => c"dropped: the queue is full",
            FERROLOG_SHUT_DOWN => c"the client has been shut down",
            FERROLOG_NULL_ARGUMENT => c"a required pointer was NULL",
            FERROLOG_INVALID_UTF8 => c"a string was not valid UTF-8",
            FERROLOG_INVALID_JSON => c"attributes must be one JSON object",
            FERROLOG_INVALID_ARGUMENT => c"an argument was out of range",
            FERROLOG_CONFIG_ERROR => c"the configuration was refused",
            FERROLOG_BUFFER_TOO_SMALL => c"the output buffer is too small",
            FERROLOG_TIMEOUT => c"the deadline passed with entries still owed",
            FERROLOG_PANIC => c"internal error: a panic was caught",
            FERROLOG_TOO_LARGE => c"the input is larger than an entry may be",
        }
    }
}

/// A static, NUL-terminated description of a result code; unknown codes get "unknown result".
#[no_mangle]
pub extern "C" fn ferrolog_result_str(result: i32) -> *const c_char {
    boundary!(c"internal error".as_ptr(), {
        ALL.iter()
            .find(|r| **r as i32 == result)
            .map_or(c"unknown result", |r| r.describe())
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_dense_and_described() {
        for (i, result) in ALL.iter().enumerate() {
            assert_eq!(*result as usize, i);
            assert!(!result.describe().to_bytes().is_empty());
        }
        let unknown = unsafe { std::ffi::CStr::from_ptr(ferrolog_result_str(999)) };
        assert_eq!(unknown.to_str().unwrap(), "unknown result");
    }
}
