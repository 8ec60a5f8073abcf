//! `ferrolog_client`: create, flush, shut down, read stats, free.

use std::time::Duration;

use super::error::fail;
use super::{
    boundary, ferrolog_config, ferrolog_error, ferrolog_logger, ferrolog_result, ferrolog_stats,
    write_out,
};
use crate::client::Client;
use crate::level::Level;
use crate::pipeline::FlushReport;

use ferrolog_result::*;

/// How long `ferrolog_client_free` waits for owed entries when the client was not shut down.
const FREE_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(2);

/// A running client. Thread-safe. Free with `ferrolog_client_free`.
#[allow(non_camel_case_types)]
pub struct ferrolog_client {
    pub(crate) inner: Client,
}

/// Validates `config` and starts the client; `config` is not consumed and may be freed at once.
/// Nothing touches the network here. On `FERROLOG_CONFIG_ERROR`, `*error` (when `error` is
/// not NULL) names the option and the reason.
#[no_mangle]
pub extern "C" fn ferrolog_client_new(
    config: *const ferrolog_config,
    out: *mut *mut ferrolog_client,
    error: *mut *mut ferrolog_error,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(config) = (unsafe { config.as_ref() }) else {
            return unsafe { fail(error, FERROLOG_NULL_ARGUMENT, "config is NULL") };
        };
        if out.is_null() {
            return unsafe { fail(error, FERROLOG_NULL_ARGUMENT, "out is NULL") };
        }
        match Client::new(config.inner.clone()) {
            Ok(client) => {
                unsafe {
                    write_out(
                        out,
                        Box::into_raw(Box::new(ferrolog_client { inner: client })),
                    )
                };
                FERROLOG_OK
            }
            Err(e) => unsafe { fail(error, FERROLOG_CONFIG_ERROR, e.to_string()) },
        }
    })
}

/// The root logger, with no attributes of its own. Free it with `ferrolog_logger_free`; it
/// stays valid after the client is freed (its calls then return `FERROLOG_SHUT_DOWN`).
#[no_mangle]
pub extern "C" fn ferrolog_client_logger(
    client: *const ferrolog_client,
    out: *mut *mut ferrolog_logger,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(client), false) = (unsafe { client.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let logger = ferrolog_logger::boxed(client.inner.logger());
        unsafe { write_out(out, logger) };
        FERROLOG_OK
    })
}

/// Flush and shutdown: wait at most `timeout_ms`, report what is still owed through `left`,
/// and say whether everything was settled in time.
fn deadline_call(
    client: *const ferrolog_client,
    timeout_ms: u64,
    left: *mut u64,
    call: fn(&Client, Duration) -> FlushReport,
) -> ferrolog_result {
    let Some(client) = (unsafe { client.as_ref() }) else {
        return FERROLOG_NULL_ARGUMENT;
    };
    let report = call(&client.inner, Duration::from_millis(timeout_ms));
    unsafe { write_out(left, report.left) };
    if report.completed {
        FERROLOG_OK
    } else {
        FERROLOG_TIMEOUT
    }
}

/// Sends everything logged before the call, waiting at most `timeout_ms`. Returns
/// `FERROLOG_OK` when all of it was settled (sent or dropped with a reason) in time, else
/// `FERROLOG_TIMEOUT`; `*left` (when not NULL) receives the entries still owed.
#[no_mangle]
pub extern "C" fn ferrolog_client_flush(
    client: *const ferrolog_client,
    timeout_ms: u64,
    left: *mut u64,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        deadline_call(client, timeout_ms, left, Client::flush)
    })
}

/// Stops accepting entries, delivers what is owed within `timeout_ms`, drops the rest with
/// a reason, and stops the workers. Returns `FERROLOG_OK` when everything owed was settled
/// before the deadline — sent, or dropped for a reason of its own such as `network_error` —
/// and `FERROLOG_TIMEOUT` when the deadline cut something short; `*left` (when not NULL)
/// receives the entries still in
/// a request that began before the shutdown and had not ended by its deadline. A second
/// call does nothing and reports the same way.
#[no_mangle]
pub extern "C" fn ferrolog_client_shutdown(
    client: *const ferrolog_client,
    timeout_ms: u64,
    left: *mut u64,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        deadline_call(client, timeout_ms, left, Client::shutdown)
    })
}

/// Changes the minimum level at run time (1 emergency … 8 debug).
#[no_mangle]
pub extern "C" fn ferrolog_client_set_min_level(
    client: *const ferrolog_client,
    level: i32,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(client) = (unsafe { client.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        match u8::try_from(level).ok().and_then(Level::from_number) {
            Some(level) => {
                client.inner.set_min_level(level);
                FERROLOG_OK
            }
            None => FERROLOG_INVALID_ARGUMENT,
        }
    })
}

/// A snapshot of the client's counters. Free it with `ferrolog_stats_free`.
#[no_mangle]
pub extern "C" fn ferrolog_client_stats(
    client: *const ferrolog_client,
    out: *mut *mut ferrolog_stats,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(client), false) = (unsafe { client.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        unsafe { write_out(out, ferrolog_stats::boxed(client.inner.stats())) };
        FERROLOG_OK
    })
}

/// Shuts the client down (waiting up to 2 s for owed entries, if it was still running) and
/// frees it.
#[no_mangle]
pub extern "C" fn ferrolog_client_free(client: *mut ferrolog_client) {
    boundary!((), {
        if !client.is_null() {
            let client = unsafe { Box::from_raw(client) };
            client.inner.shutdown(FREE_SHUTDOWN_TIMEOUT);
        }
    })
}
