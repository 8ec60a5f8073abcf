//! `ferrolog_span`: spans timed by the library, their propagation headers, and the id helpers.

use std::ffi::c_char;

use super::entries::ferrolog_str;
use super::logger::status;
use super::misc::write_str_out;
use super::{boundary, ferrolog_logger, ferrolog_result, write_out};
use crate::span::{ActiveSpan, HeaderKind};
use crate::trace::{self, SpanId, TraceId};

use ferrolog_result::*;

/// A span being timed. Thread-safe. End it with `ferrolog_span_end`, which sends its entry,
/// and free it with `ferrolog_span_free` (freeing an unended span sends nothing).
#[allow(non_camel_case_types)]
pub struct ferrolog_span {
    inner: ActiveSpan,
}

/// One HTTP header, for continuing a trace and reading request ids.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_header {
    pub name: ferrolog_str,
    pub value: ferrolog_str,
}

/// W3C `traceparent`.
pub const FERROLOG_HEADER_TRACEPARENT: i32 = 1;
/// LogFlux's `X-LogFlux-Trace`.
pub const FERROLOG_HEADER_LOGFLUX: i32 = 2;

fn boxed(inner: ActiveSpan, out: *mut *mut ferrolog_span) -> ferrolog_result {
    unsafe { write_out(out, Box::into_raw(Box::new(ferrolog_span { inner }))) };
    FERROLOG_OK
}

/// Reads `count` headers; a header that is not UTF-8 fails the whole call.
///
/// # Safety
/// `headers` must be NULL with `count` 0, or point to `count` headers whose strings are valid.
unsafe fn headers_arg<'a>(
    headers: *const ferrolog_header,
    count: usize,
) -> Result<Vec<(&'a str, &'a str)>, ferrolog_result> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if headers.is_null() {
        return Err(FERROLOG_NULL_ARGUMENT);
    }
    let headers = unsafe { std::slice::from_raw_parts(headers, count) };
    headers
        .iter()
        .map(|header| unsafe { Ok((header.name.get()?, header.value.get()?)) })
        .collect()
}

/// Starts a span from `logger`: a child of the span the logger is bound to (see
/// `ferrolog_span_logger`), else the root of a new trace, which the traces sampling rate keeps
/// or leaves out whole. `name` names this span (`GET /orders`), `operation` its kind
/// (`http.server`).
#[no_mangle]
pub extern "C" fn ferrolog_span_start(
    logger: *const ferrolog_logger,
    name: ferrolog_str,
    operation: ferrolog_str,
    out: *mut *mut ferrolog_span,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        start_from(
            logger,
            name,
            operation,
            out,
            |logger: &ferrolog_logger, name, operation| {
                Ok(logger.inner.start_span(name, operation))
            },
        )
    })
}

/// Starts a span from `from` by `start`, once every argument has been read.
fn start_from<T>(
    from: *const T,
    name: ferrolog_str,
    operation: ferrolog_str,
    out: *mut *mut ferrolog_span,
    start: impl FnOnce(&T, &str, &str) -> Result<ActiveSpan, ferrolog_result>,
) -> ferrolog_result {
    let (Some(from), false) = (unsafe { from.as_ref() }, out.is_null()) else {
        return FERROLOG_NULL_ARGUMENT;
    };
    let started = unsafe { name.get() }
        .and_then(|name| Ok((name, unsafe { operation.get() }?)))
        .and_then(|(name, operation)| start(from, name, operation));
    match started {
        Ok(span) => boxed(span, out),
        Err(code) => code,
    }
}

/// Starts a child of `parent`: the same trace and sampling decision.
#[no_mangle]
pub extern "C" fn ferrolog_span_start_child(
    parent: *const ferrolog_span,
    name: ferrolog_str,
    operation: ferrolog_str,
    out: *mut *mut ferrolog_span,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        start_from(
            parent,
            name,
            operation,
            out,
            |parent: &ferrolog_span, name, operation| Ok(parent.inner.start_child(name, operation)),
        )
    })
}

/// Starts a span continuing the trace an incoming request's `headers` carry (`traceparent`,
/// else `X-LogFlux-Trace`, names matched case-insensitively) with the caller's sampling
/// decision; without a valid one, as `ferrolog_span_start`.
#[no_mangle]
pub extern "C" fn ferrolog_span_continue_from_headers(
    logger: *const ferrolog_logger,
    headers: *const ferrolog_header,
    count: usize,
    name: ferrolog_str,
    operation: ferrolog_str,
    out: *mut *mut ferrolog_span,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        start_from(
            logger,
            name,
            operation,
            out,
            |logger: &ferrolog_logger, name, operation| {
                let headers = unsafe { headers_arg(headers, count) }?;
                Ok(logger
                    .inner
                    .continue_from_headers(&headers, name, operation))
            },
        )
    })
}

/// Sets a string attribute of the span's entry; after the end it does nothing.
#[no_mangle]
pub extern "C" fn ferrolog_span_set_attribute(
    span: *const ferrolog_span,
    key: ferrolog_str,
    value: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(span) = (unsafe { span.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        match unsafe { (key.get(), value.get()) } {
            (Ok(key), Ok(value)) => {
                span.inner.set_attribute(key, value);
                FERROLOG_OK
            }
            (Err(code), _) | (_, Err(code)) => code,
        }
    })
}

/// Marks the span failed, with `message` as its `error.message`.
#[no_mangle]
pub extern "C" fn ferrolog_span_set_error(
    span: *const ferrolog_span,
    message: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(span) = (unsafe { span.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        match unsafe { message.get() } {
            Ok(message) => {
                span.inner.set_error(message);
                FERROLOG_OK
            }
            Err(code) => code,
        }
    })
}

/// A logger with the span's logger's attributes that stamps the span's trace and span ids on
/// every entry; spans started from it are children of this span. Free it with
/// `ferrolog_logger_free`.
#[no_mangle]
pub extern "C" fn ferrolog_span_logger(
    span: *const ferrolog_span,
    out: *mut *mut ferrolog_logger,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let (Some(span), false) = (unsafe { span.as_ref() }, out.is_null()) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        unsafe { write_out(out, ferrolog_logger::boxed(span.inner.logger())) };
        FERROLOG_OK
    })
}

/// The value of the propagation header `kind` (`FERROLOG_HEADER_*`) for a request this span
/// makes, NUL-terminated, into `buf` of `capacity` bytes; `*needed` (when not NULL) receives
/// the bytes required, NUL included.
#[no_mangle]
pub extern "C" fn ferrolog_span_header(
    span: *const ferrolog_span,
    kind: i32,
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(span) = (unsafe { span.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        let kind = match kind {
            FERROLOG_HEADER_TRACEPARENT => HeaderKind::TraceParent,
            FERROLOG_HEADER_LOGFLUX => HeaderKind::LogFlux,
            _ => return FERROLOG_INVALID_ARGUMENT,
        };
        let (_, value) = span.inner.header(kind);
        unsafe { write_str_out(&value, buf, capacity, needed) }
    })
}

/// Ends the span and sends its entry: `FERROLOG_OK`, or `FERROLOG_FILTERED` when its trace is
/// not sampled (counted as `sampled`), or a log call's other results. A second end gives
/// `FERROLOG_INVALID_ARGUMENT` and sends nothing.
#[no_mangle]
pub extern "C" fn ferrolog_span_end(span: *const ferrolog_span) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let Some(span) = (unsafe { span.as_ref() }) else {
            return FERROLOG_NULL_ARGUMENT;
        };
        span.inner.end().map_or(FERROLOG_INVALID_ARGUMENT, status)
    })
}

#[no_mangle]
pub extern "C" fn ferrolog_span_free(span: *mut ferrolog_span) {
    boundary!((), {
        if !span.is_null() {
            drop(unsafe { Box::from_raw(span) });
        }
    })
}

/// A new trace id in LuminaLog's form, a random UUID v4 (36 chars, lowercase), into `buf`.
#[no_mangle]
pub extern "C" fn ferrolog_generate_trace_id(
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        unsafe { write_str_out(&trace::generate_trace_id_uuid(), buf, capacity, needed) }
    })
}

/// A new W3C-style id: 32 lowercase hex digits for a trace id when `bytes` is 16, 16 for a
/// span id when it is 8; never all zeros.
#[no_mangle]
pub extern "C" fn ferrolog_generate_hex_id(
    bytes: usize,
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        let id = match bytes {
            16 => TraceId::random().to_string(),
            8 => SpanId::random().to_string(),
            _ => return FERROLOG_INVALID_ARGUMENT,
        };
        unsafe { write_str_out(&id, buf, capacity, needed) }
    })
}

/// The trace id of an incoming request in LuminaLog's order: `x-trace-id`, else
/// `x-request-id` (verbatim), else a valid `traceparent`'s trace id, else a new UUID v4.
#[no_mangle]
pub extern "C" fn ferrolog_trace_id_from_headers(
    headers: *const ferrolog_header,
    count: usize,
    buf: *mut c_char,
    capacity: usize,
    needed: *mut usize,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        match unsafe { headers_arg(headers, count) } {
            Ok(headers) => {
                let id = trace::trace_id_from_headers(&headers);
                unsafe { write_str_out(&id, buf, capacity, needed) }
            }
            Err(code) => code,
        }
    })
}
