//! Log records back into logs, captured errors, events and audits (spec §11, log records).

use serde_json::{json, Map, Value};

use super::attributes::{any_value, attributes};
use super::reader::Obj;
use super::resource::Resource;
use super::{entry, Failure};
use crate::entry::EntryKind;
use crate::wire::decoded::DecodedEntry;
use crate::wire::otlp::encode::{
    AUDIT_ACTION, AUDIT_ACTOR, AUDIT_ACTOR_TYPE, AUDIT_OUTCOME, AUDIT_RESOURCE, AUDIT_RESOURCE_ID,
    ENTRY_TYPE, EVENT_NAME, EXCEPTION_MESSAGE, EXCEPTION_STACKTRACE, EXCEPTION_TYPE, LOGGER,
};
use crate::wire::otlp::proto_json::parse_id;
use crate::wire::otlp::severity::{level_of, number_from_name};

pub(super) fn decode(
    record: &Obj,
    resource: &Resource,
    received_ns: u64,
) -> Result<DecodedEntry, Failure> {
    let set = |time: Option<u64>| time.filter(|&t| t != 0);
    let ts = set(record.uint64("timeUnixNano")?)
        .or(set(record.uint64("observedTimeUnixNano")?))
        .unwrap_or(received_ns);
    let number = record.enumeration("severityNumber", number_from_name)?;
    let level =
        level_of(number.unwrap_or(0), record.string("severityText")?).map_err(Failure::Reject)?;
    let mut decoded = entry(resource, EntryKind::Log, level.number(), ts);
    decoded.message = match record.object("body")? {
        Some(body) => match any_value(&body)? {
            Value::String(text) => text,
            other => other.to_string(),
        },
        None => String::new(),
    };
    // Malformed or all-zero ids mean "no trace context" here, unlike on spans.
    decoded.trace_id = record.string("traceId")?.and_then(parse_id::<16>);
    decoded.span_id = record.string("spanId")?.and_then(parse_id::<8>);
    let event_name = record.string("eventName")?.filter(|name| !name.is_empty());
    let attributes = attributes(record, "attributes")?;
    restore_type(&mut decoded, attributes, event_name).map_err(Failure::Reject)?;
    Ok(decoded)
}

/// Sets the entry's kind, details and error from its reserved attributes, and keeps the rest
/// as its attributes. `ferrolog.entry_type` decides when it names a type; otherwise the
/// record's OpenTelemetry shape does.
fn restore_type(
    entry: &mut DecodedEntry,
    mut attributes: Map<String, Value>,
    event_name: Option<&str>,
) -> Result<(), String> {
    let declared = match attributes.get(ENTRY_TYPE).and_then(Value::as_str) {
        Some(kind @ ("error" | "event" | "audit")) => Some(kind.to_owned()),
        _ => None,
    };
    if declared.is_some() {
        attributes.remove(ENTRY_TYPE);
    }
    // The semantic-convention attributes of an exception make any record an error.
    let has_exception =
        attributes.contains_key(EXCEPTION_TYPE) || attributes.contains_key(EXCEPTION_MESSAGE);
    match declared.as_deref() {
        Some("event") => event(entry, &mut attributes, event_name)?,
        Some("audit") => audit(entry, &mut attributes)?,
        None if event_name.is_some() => event(entry, &mut attributes, event_name)?,
        Some(_) => error(entry, &mut attributes)?,
        None if has_exception => error(entry, &mut attributes)?,
        None => logger(entry, &mut attributes)?,
    }
    entry.attributes = attributes;
    Ok(())
}

fn event(
    entry: &mut DecodedEntry,
    attributes: &mut Map<String, Value>,
    event_name: Option<&str>,
) -> Result<(), String> {
    // `event.name` is the fallback for senders predating `eventName`.
    let attribute = take_string(attributes, EVENT_NAME)?;
    let name = event_name
        .map(str::to_owned)
        .or(attribute)
        .ok_or("an event needs eventName or an event.name attribute")?;
    entry.kind = EntryKind::Event;
    entry.details = Some(json!({ "event": name }));
    Ok(())
}

fn audit(entry: &mut DecodedEntry, attributes: &mut Map<String, Value>) -> Result<(), String> {
    let mut details = Map::new();
    let members = [
        ("action", AUDIT_ACTION, true),
        ("actor", AUDIT_ACTOR, true),
        ("actor_type", AUDIT_ACTOR_TYPE, false),
        ("resource", AUDIT_RESOURCE, true),
        ("resource_id", AUDIT_RESOURCE_ID, true),
        ("outcome", AUDIT_OUTCOME, false),
    ];
    for (member, key, required) in members {
        match take_string(attributes, key)? {
            Some(value) => {
                details.insert(member.to_owned(), Value::String(value));
            }
            None if required => return Err(format!("an audit record needs {key}")),
            None => {}
        }
    }
    details
        .entry("outcome")
        .or_insert_with(|| Value::String("success".to_owned()));
    entry.kind = EntryKind::Audit;
    entry.details = Some(Value::Object(details));
    Ok(())
}

/// A captured error is a log with `error` set: its type, its text (the body when no
/// `exception.message`), and the stack trace's frame lines, innermost first.
fn error(entry: &mut DecodedEntry, attributes: &mut Map<String, Value>) -> Result<(), String> {
    let mut error = Map::new();
    if let Some(error_type) = take_string(attributes, EXCEPTION_TYPE)? {
        error.insert("type".to_owned(), Value::String(error_type));
    }
    let message = take_string(attributes, EXCEPTION_MESSAGE)?;
    error.insert(
        "message".to_owned(),
        Value::String(message.unwrap_or_else(|| entry.message.clone())),
    );
    if let Some(trace) = take_string(attributes, EXCEPTION_STACKTRACE)? {
        // The first line repeats type and message (spec §6.2).
        let frames = trace.lines().skip(1).map(|line| Value::from(line.trim()));
        error.insert("stack_trace".to_owned(), Value::Array(frames.collect()));
    }
    entry.error = Some(Value::Object(error));
    logger(entry, attributes)
}

fn logger(entry: &mut DecodedEntry, attributes: &mut Map<String, Value>) -> Result<(), String> {
    if let Some(logger) = take_string(attributes, LOGGER)? {
        entry.details = Some(json!({ "logger": logger }));
    }
    Ok(())
}

/// Removes a reserved attribute, which must be a string when present.
fn take_string(attributes: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match attributes.remove(key) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(format!("{key} must be a string")),
    }
}
