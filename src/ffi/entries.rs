//! The non-log entry calls: metrics, events, audit, telemetry and finished span records.
//! Their name-like argument (metric or event name, audit action, device id, span name) is
//! the entry's message. They are not held to the minimum level; audit is never sampled.

use std::ffi::c_char;

use super::logger::{record_error, status};
use super::{boundary, ferrolog_logger, ferrolog_result, str_arg};
use crate::entry::{Audit, MetricKind, Payload, Reading, Span, SpanStatus};
use crate::trace::{SpanId, TraceId};

use ferrolog_result::*;

/// A UTF-8 string argument passed by value: `ptr` may be NULL only when `len` is 0.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_str {
    pub ptr: *const c_char,
    pub len: usize,
}

/// One telemetry reading; `unit` may be empty.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ferrolog_reading {
    pub name: ferrolog_str,
    pub value: f64,
    pub unit: ferrolog_str,
}

pub const FERROLOG_METRIC_COUNTER: i32 = 1;
pub const FERROLOG_METRIC_GAUGE: i32 = 2;
pub const FERROLOG_METRIC_DISTRIBUTION: i32 = 3;

impl ferrolog_str {
    /// # Safety
    /// `ptr` must be NULL or point to `len` readable bytes.
    pub(crate) unsafe fn get<'a>(self) -> Result<&'a str, ferrolog_result> {
        unsafe { str_arg(self.ptr, self.len) }
    }

    /// The string, or `None` when empty.
    ///
    /// # Safety
    /// As [`ferrolog_str::get`].
    unsafe fn optional(self) -> Result<Option<String>, ferrolog_result> {
        let text = unsafe { self.get()? };
        Ok((!text.is_empty()).then(|| text.to_owned()))
    }
}

/// Runs the conversion of an entry call's arguments and sends the entry; every failure is
/// the argument's result code.
fn send<'a>(
    logger: *const ferrolog_logger,
    entry: impl FnOnce() -> Result<(&'a str, &'a str, Payload), ferrolog_result>,
) -> ferrolog_result {
    let Some(logger) = (unsafe { logger.as_ref() }) else {
        return FERROLOG_NULL_ARGUMENT;
    };
    let (name, attributes, payload) = match entry() {
        Ok(entry) => entry,
        Err(code) => return code,
    };
    match logger.inner.emit(None, name, attributes, payload) {
        Ok(outcome) => status(outcome),
        Err(error) => record_error(error),
    }
}

fn metric_kind(kind: i32) -> Result<MetricKind, ferrolog_result> {
    match kind {
        FERROLOG_METRIC_COUNTER => Ok(MetricKind::Counter),
        FERROLOG_METRIC_GAUGE => Ok(MetricKind::Gauge),
        FERROLOG_METRIC_DISTRIBUTION => Ok(MetricKind::Distribution),
        _ => Err(FERROLOG_INVALID_ARGUMENT),
    }
}

/// Records a metric (`kind` one of `FERROLOG_METRIC_*`) with an optional unit and JSON
/// attributes. A NaN or infinite `value` gives `FERROLOG_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrolog_metric(
    logger: *const ferrolog_logger,
    kind: i32,
    name: ferrolog_str,
    value: f64,
    unit: ferrolog_str,
    attributes_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        send(logger, || unsafe {
            let payload = Payload::Metric {
                value,
                unit: unit.optional()?,
                kind: metric_kind(kind)?,
            };
            Ok((name.get()?, attributes_json.get()?, payload))
        })
    })
}

/// Records a named event with JSON attributes.
#[no_mangle]
pub extern "C" fn ferrolog_event(
    logger: *const ferrolog_logger,
    name: ferrolog_str,
    attributes_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        send(logger, || unsafe {
            Ok((name.get()?, attributes_json.get()?, Payload::Event))
        })
    })
}

/// Records an audit entry: `actor` did `action` to `resource`/`resource_id`, ending in
/// `outcome` (empty: "success"). `actor_type` may be empty. Audit entries are never sampled.
#[no_mangle]
pub extern "C" fn ferrolog_audit(
    logger: *const ferrolog_logger,
    action: ferrolog_str,
    actor: ferrolog_str,
    actor_type: ferrolog_str,
    resource: ferrolog_str,
    resource_id: ferrolog_str,
    outcome: ferrolog_str,
    attributes_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        send(logger, || unsafe {
            let audit = Audit::new(
                actor.get()?.to_owned(),
                actor_type.optional()?,
                resource.get()?.to_owned(),
                resource_id.get()?.to_owned(),
                outcome.optional()?,
            );
            Ok((action.get()?, attributes_json.get()?, Payload::Audit(audit)))
        })
    })
}

/// Records `count` readings from device `device_id`. `managed` telemetry is sent compressed
/// but not encrypted under LogFlux (entry type 7). Non-finite values give
/// `FERROLOG_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrolog_telemetry(
    logger: *const ferrolog_logger,
    device_id: ferrolog_str,
    readings: *const ferrolog_reading,
    count: usize,
    managed: bool,
    attributes_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        send(logger, || unsafe {
            let readings: &[ferrolog_reading] = match (readings.is_null(), count) {
                (_, 0) => &[],
                (true, _) => return Err(FERROLOG_NULL_ARGUMENT),
                (false, n) => std::slice::from_raw_parts(readings, n),
            };
            let readings = readings
                .iter()
                .map(|r| {
                    Ok(Reading {
                        name: r.name.get()?.to_owned(),
                        value: r.value,
                        unit: r.unit.optional()?,
                    })
                })
                .collect::<Result<Vec<_>, ferrolog_result>>()?;
            let payload = Payload::Telemetry { readings, managed };
            Ok((device_id.get()?, attributes_json.get()?, payload))
        })
    })
}

fn span_id_arg(text: &str) -> Result<[u8; 8], ferrolog_result> {
    SpanId::parse(text)
        .map(SpanId::to_bytes)
        .map_err(|_| FERROLOG_INVALID_ARGUMENT)
}

/// Records a finished span: 32-hex `trace_id`, 16-hex `span_id` and `parent_span_id` (empty
/// for a root span), `operation`, `name`, start and end as Unix nanoseconds, and whether it
/// ended in error. Malformed or all-zero ids, or an end before the start, give
/// `FERROLOG_INVALID_ARGUMENT`.
#[no_mangle]
pub extern "C" fn ferrolog_span_record(
    logger: *const ferrolog_logger,
    trace_id: ferrolog_str,
    span_id: ferrolog_str,
    parent_span_id: ferrolog_str,
    operation: ferrolog_str,
    name: ferrolog_str,
    start_unix_ns: u64,
    end_unix_ns: u64,
    error: bool,
    attributes_json: ferrolog_str,
) -> ferrolog_result {
    boundary!(FERROLOG_PANIC, {
        send(logger, || unsafe {
            if end_unix_ns < start_unix_ns {
                return Err(FERROLOG_INVALID_ARGUMENT);
            }
            let parent = parent_span_id.get()?;
            let span = Span {
                trace_id: TraceId::parse(trace_id.get()?)
                    .map_err(|_| FERROLOG_INVALID_ARGUMENT)?
                    .to_bytes(),
                span_id: span_id_arg(span_id.get()?)?,
                parent_span_id: if parent.is_empty() {
                    None
                } else {
                    Some(span_id_arg(parent)?)
                },
                operation: operation.get()?.to_owned(),
                start_unix_ns,
                end_unix_ns,
                status: if error {
                    SpanStatus::Error
                } else {
                    SpanStatus::Ok
                },
            };
            Ok((name.get()?, attributes_json.get()?, Payload::Span(span)))
        })
    })
}
