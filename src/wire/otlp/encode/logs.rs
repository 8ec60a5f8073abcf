//! Logs, captured errors, events and audits as `LogRecord`s (spec §6); `reserved` picks each
//! type's own attributes.

use serde::Serialize;

use super::attributes::{with_user_attributes, AnyValue, KeyValue};
use crate::entry::{Audit, ErrorReport, Payload, Record};
use crate::wire::otlp::proto_json::Decimal;
use crate::wire::otlp::severity::severity_number;

/// Marks a non-log entry so the collector can restore its type; a log carries none.
pub(crate) const ENTRY_TYPE: &str = "ferrolog.entry_type";
pub(crate) const LOGGER: &str = "ferrolog.logger";
pub(crate) const EVENT_NAME: &str = "event.name";
pub(crate) const AUDIT_ACTION: &str = "audit.action";
pub(crate) const AUDIT_ACTOR: &str = "audit.actor";
pub(crate) const AUDIT_ACTOR_TYPE: &str = "audit.actor_type";
pub(crate) const AUDIT_RESOURCE: &str = "audit.resource";
pub(crate) const AUDIT_RESOURCE_ID: &str = "audit.resource_id";
pub(crate) const AUDIT_OUTCOME: &str = "audit.outcome";
pub(crate) const EXCEPTION_TYPE: &str = "exception.type";
pub(crate) const EXCEPTION_MESSAGE: &str = "exception.message";
pub(crate) const EXCEPTION_STACKTRACE: &str = "exception.stacktrace";

/// Members in spec order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LogRecord<'a> {
    time_unix_nano: Decimal<u64>,
    /// The entry is observed when it is created, so both times are the same.
    observed_time_unix_nano: Decimal<u64>,
    severity_number: u8,
    severity_text: &'static str,
    body: AnyValue,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<KeyValue>,
    /// The span the entry was logged under.
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span_id: Option<String>,
    /// 1 when that span's trace is sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    flags: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_name: Option<&'a str>,
}

pub(super) fn log_record<'a>(record: &'a Record, dropped: &mut u64) -> LogRecord<'a> {
    let message = record.message();
    let (written, reserved) = reserved(record);
    let event_name = matches!(record.payload(), Some(Payload::Event)).then_some(message);
    let trace = record.context.trace();
    LogRecord {
        time_unix_nano: Decimal(record.timestamp_ns),
        observed_time_unix_nano: Decimal(record.timestamp_ns),
        severity_number: severity_number(record.level),
        severity_text: record.level.name(),
        body: AnyValue::String(message.to_owned()),
        attributes: with_user_attributes(written, reserved, record.merged_attributes(), dropped),
        trace_id: trace.map(|t| t.trace_id.to_string()),
        span_id: trace.map(|t| t.span_id.to_string()),
        flags: trace.filter(|t| t.sampled).map(|_| 1),
        event_name,
    }
}

/// The attributes ferrolog writes for a record's type, in spec order, and every key reserved
/// for that type. The body (the message) is the event name or audit action.
fn reserved(record: &Record) -> (Vec<KeyValue>, &'static [&'static str]) {
    let message = record.message();
    match record.payload() {
        Some(Payload::Event) => (
            vec![
                KeyValue::string(ENTRY_TYPE, "event"),
                KeyValue::string(EVENT_NAME, message),
            ],
            &[ENTRY_TYPE, EVENT_NAME],
        ),
        Some(Payload::Audit(audit)) => (
            audit_attributes(message, audit),
            &[
                ENTRY_TYPE,
                AUDIT_ACTION,
                AUDIT_ACTOR,
                AUDIT_ACTOR_TYPE,
                AUDIT_RESOURCE,
                AUDIT_RESOURCE_ID,
                AUDIT_OUTCOME,
            ],
        ),
        Some(Payload::Error(report)) => (
            exception_attributes(report),
            &[
                ENTRY_TYPE,
                EXCEPTION_TYPE,
                EXCEPTION_MESSAGE,
                EXCEPTION_STACKTRACE,
                LOGGER,
            ],
        ),
        // Records carry no logger name yet; the key stays reserved so a user attribute cannot
        // pose as one (or as an entry type) to the receiver.
        _ => (Vec::new(), &[ENTRY_TYPE, LOGGER]),
    }
}

/// A captured error's `exception.*` attributes (spec §6.2); chains and breadcrumbs have no
/// place in OTLP.
fn exception_attributes(report: &ErrorReport) -> Vec<KeyValue> {
    let error = &report.error;
    let mut attributes = vec![KeyValue::string(ENTRY_TYPE, "error")];
    if !error.error_type().is_empty() {
        attributes.push(KeyValue::string(EXCEPTION_TYPE, error.error_type()));
    }
    attributes.push(KeyValue::string(EXCEPTION_MESSAGE, error.message()));
    if !error.frames().is_empty() {
        attributes.push(KeyValue::string(EXCEPTION_STACKTRACE, &stacktrace(report)));
    }
    attributes
}

/// `<type>: <message>` (or the message alone), then `    at <function> (<file>:<line>)` per
/// frame, innermost first.
fn stacktrace(report: &ErrorReport) -> String {
    let error = &report.error;
    let mut text = if error.error_type().is_empty() {
        error.message().to_owned()
    } else {
        format!("{}: {}", error.error_type(), error.message())
    };
    for frame in error.frames() {
        text.push_str("\n    at ");
        text.push_str(&frame.function);
        match (frame.module.as_str(), frame.line.unwrap_or(0)) {
            ("", _) => {}
            (file, 0) => text.push_str(&format!(" ({file})")),
            (file, line) => text.push_str(&format!(" ({file}:{line})")),
        }
    }
    text
}

fn audit_attributes(action: &str, audit: &Audit) -> Vec<KeyValue> {
    let mut attributes = vec![
        KeyValue::string(ENTRY_TYPE, "audit"),
        KeyValue::string(AUDIT_ACTION, action),
        KeyValue::string(AUDIT_ACTOR, &audit.actor),
    ];
    if let Some(actor_type) = &audit.actor_type {
        attributes.push(KeyValue::string(AUDIT_ACTOR_TYPE, actor_type));
    }
    attributes.extend([
        KeyValue::string(AUDIT_RESOURCE, &audit.resource),
        KeyValue::string(AUDIT_RESOURCE_ID, &audit.resource_id),
        KeyValue::string(AUDIT_OUTCOME, &audit.outcome),
    ]);
    attributes
}
