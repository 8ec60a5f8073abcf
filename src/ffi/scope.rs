//! Scopes and breadcrumbs from C: a scope is a logger whose context its setters change, with a
//! breadcrumb trail of its own.

use super::entries::ferrolog_str;
use super::logger::level_arg;
use super::{boundary, ferrolog_logger, ferrolog_result, write_out};
use crate::breadcrumbs::{data_from_json, DataError};
use crate::client::ScopeError;

use ferrolog_result::*;

/// A scope of `logger`: a logger whose attributes start as `logger`'s and then change with
/// `ferrolog_logger_set_user`, `_set_request` and `_set_attribute`, under each entry's own
/// attributes, and whose breadcrumb trail starts as a copy of `logger`'s. One per request,
/// say; scopes nest. A scope holds at most 128 attributes, inherited ones included: past
/// that a setter with a new key returns `FERROLOG_TOO_LARGE` and changes nothing, while keys
/// it holds still take new values. Free it with `ferrolog_logger_free`.
#[no_mangle]
pub extern "C" fn ferrolog_logger_scope(
    logger: *const ferrolog_logger,
    out: *mut *mut ferrolog_logger,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(logger), false) = (unsafe { logger.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        unsafe { write_out(out, ferrolog_logger::boxed(logger.inner.scope())) };
        FERROLOG_OK
    })
}

/// Runs a scope setter: `FERROLOG_INVALID_ARGUMENT` when `logger` is not a scope,
/// `FERROLOG_TOO_LARGE` when the key is new and the scope already holds 128 attributes.
fn set_on_scope(
    logger: *const ferrolog_logger,
    set: impl FnOnce(&ferrolog_logger) -> Result<Result<(), ScopeError>, ferrolog_result>,
) -> ferrolog_result {
    let Some(logger) = (unsafe { logger.as_ref() }) else {
        return FERROLOG_NULL_ARGUMENT;
    };
    match set(logger) {
        Ok(Ok(())) => FERROLOG_OK,
        Ok(Err(ScopeError::NotAScope)) => FERROLOG_INVALID_ARGUMENT,
        Ok(Err(ScopeError::Full)) => FERROLOG_TOO_LARGE,
        Err(code) => code,
    }
}

/// Sets the scope's `user.id`.
#[no_mangle]
pub extern "C" fn ferrolog_logger_set_user(
    logger: *const ferrolog_logger,
    user_id: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        set_on_scope(logger, |logger| unsafe {
            Ok(logger.inner.set_user(user_id.get()?))
        })
    })
}

/// Sets the scope's request: `http.method`, `http.path` and, unless empty, `http.request_id`.
#[no_mangle]
pub extern "C" fn ferrolog_logger_set_request(
    logger: *const ferrolog_logger,
    method: ferrolog_str,
    path: ferrolog_str,
    request_id: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        set_on_scope(logger, |logger| unsafe {
            Ok(logger
                .inner
                .set_request(method.get()?, path.get()?, request_id.get()?))
        })
    })
}

/// Sets one string attribute of the scope's later entries.
#[no_mangle]
pub extern "C" fn ferrolog_logger_set_attribute(
    logger: *const ferrolog_logger,
    key: ferrolog_str,
    value: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        set_on_scope(logger, |logger| unsafe {
            Ok(logger.inner.set_attribute(key.get()?, value.get()?))
        })
    })
}

/// Adds a breadcrumb to the trail of `logger` (its scope's, or the client's): `category` and
/// `level` (1–8, or 0 for none) are optional, `data_json` is an object of string values or
/// empty. Logs at info or more severe and events add breadcrumbs by themselves.
#[no_mangle]
pub extern "C" fn ferrolog_logger_add_breadcrumb(
    logger: *const ferrolog_logger,
    category: ferrolog_str,
    message: ferrolog_str,
    level: i32,
    data_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(logger) = (unsafe { logger.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let add = || unsafe {
            let level = match level {
                0 => None,
                level => Some(level_arg(level)?),
            };
            let data = data_from_json(data_json.get()?).map_err(|error| match error {
                DataError::NotAnObject => FERROLOG_INVALID_JSON,
                DataError::NotAString(_) => FERROLOG_INVALID_ARGUMENT,
            })?;
            let category = category.get()?;
            let category = (!category.is_empty()).then_some(category);
            logger
                .inner
                .add_breadcrumb(category, message.get()?, level, data);
            Ok::<_, ferrolog_result>(FERROLOG_OK)
        };
        add().unwrap_or_else(|code| code)
    })
}
