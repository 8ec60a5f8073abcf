//! `ferrolog_config`: options through one string-keyed setter, so new options never change
//! the ABI.

use super::error::fail;
use super::{boundary, ferrolog_error, ferrolog_result, str_arg, write_out};
use crate::config::Config;
use std::ffi::c_char;

use ferrolog_result::*;

/// Client options. Create with `ferrolog_config_new`, free with `ferrolog_config_free`.
#[allow(non_camel_case_types)]
pub struct ferrolog_config {
    pub(crate) inner: Config,
}

/// Creates a configuration with every option at its default; `api_key` must still be set.
#[no_mangle]
pub extern "C" fn ferrolog_config_new(out: *mut *mut ferrolog_config) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        if out.is_null() {
            return FERROLOG_NULL_ARGUMENT;
        }
        let config = Box::new(ferrolog_config {
            inner: Config::default(),
        });
        unsafe { write_out(out, Box::into_raw(config)) };
        FERROLOG_OK
    })
}

/// Sets one option from its string form (see the README's option table). On failure returns
/// `FERROLOG_CONFIG_ERROR` (or the argument error) and, when `error` is not NULL, an error
/// object naming the option and the reason; the configuration is then unchanged.
#[no_mangle]
pub extern "C" fn ferrolog_config_set(
    config: *mut ferrolog_config,
    key: *const c_char,
    key_len: usize,
    value: *const c_char,
    value_len: usize,
    error: *mut *mut ferrolog_error,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(config) = (unsafe { config.as_mut() }) else {
            return unsafe { fail(error, FERROLOG_NULL_ARGUMENT, "config is NULL") };
        };
        let key = match unsafe { str_arg(key, key_len) } {
            Ok(key) => key,
            Err(code) => return unsafe { fail(error, code, "option key is not a valid string") },
        };
        let value = match unsafe { str_arg(value, value_len) } {
            Ok(value) => value,
            Err(code) => {
                return unsafe {
                    fail(
                        error,
                        code,
                        format!("option `{key}`: value is not a valid string"),
                    )
                }
            }
        };
        match config.inner.set(key, value) {
            Ok(()) => FERROLOG_OK,
            Err(e) => unsafe { fail(error, FERROLOG_CONFIG_ERROR, e.to_string()) },
        }
    })
}

/// Applies the environment over the current values: every `FERROLOG_<OPTION>` variable that
/// is set, and the reference SDKs' names (`LOGFLUX_API_KEY`, `LOGFLUX_BATCH_SIZE`,
/// `LUMINALOG_API_KEY`, `ENVIRONMENT`, …), the most specific winning. Call it before the
/// setters so that explicit options win. On error nothing changes and the message names the
/// variable.
#[no_mangle]
pub extern "C" fn ferrolog_config_apply_env(
    config: *mut ferrolog_config,
    error: *mut *mut ferrolog_error,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(config) = (unsafe { config.as_mut() }) else {
            return unsafe { fail(error, FERROLOG_NULL_ARGUMENT, "config is NULL") };
        };
        match config.inner.apply_env() {
            Ok(()) => FERROLOG_OK,
            Err(e) => unsafe { fail(error, FERROLOG_CONFIG_ERROR, e.to_string()) },
        }
    })
}

#[no_mangle]
pub extern "C" fn ferrolog_config_free(config: *mut ferrolog_config) {
    boundary!((), {
        if !config.is_null() {
            drop(unsafe { Box::from_raw(config) });
        }
    })
}
