//! The readable one-line form of an entry, for people watching `--print`.

use std::fmt::Write;

use ferrolog::entry::EntryKind;
use ferrolog::level::Level;
use ferrolog::wire::decoded::DecodedEntry;
use serde_json::Value;

pub fn line(entry: &DecodedEntry) -> String {
    let level = Level::from_number(entry.level).map_or("?", Level::name);
    let mut line = format!("{}  {:<9}  ", entry.timestamp, level.to_ascii_uppercase());
    if entry.kind != EntryKind::Log {
        if let Ok(Value::String(kind)) = serde_json::to_value(entry.kind) {
            let _ = write!(line, "[{kind}] ");
        }
    }
    push_one_line(&mut line, &entry.message);
    if let Some(error) = &entry.error {
        let field = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or("");
        line.push_str("  error=");
        push_one_line(
            &mut line,
            &format!("{}: {}", field("type"), field("message")),
        );
        for (key, name) in [("stack_trace", "frames"), ("breadcrumbs", "breadcrumbs")] {
            if let Some(items) = error.get(key).and_then(Value::as_array) {
                let _ = write!(line, " {name}={}", items.len());
            }
        }
    }
    if let Some(trace_id) = &entry.trace_id {
        let _ = write!(line, "  trace={trace_id}");
        if let Some(span_id) = &entry.span_id {
            let _ = write!(line, "/{span_id}");
        }
        if let Some(parent) = &entry.parent_span_id {
            let _ = write!(line, " parent={parent}");
        }
    }
    if let Some(details) = &entry.details {
        let _ = write!(line, "  {details}");
    }
    if !entry.attributes.is_empty() {
        if let Ok(attributes) = serde_json::to_string(&entry.attributes) {
            let _ = write!(line, "  {attributes}");
        }
    }
    line
}

/// Appends text with control characters escaped, so one entry stays one terminal line and
/// cannot move the cursor or recolour the terminal.
fn push_one_line(line: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_and_spans_show_their_trail_and_ids() {
        let error: DecodedEntry = serde_json::from_value(json!({
            "protocol": "logflux", "kind": "log", "level": 4,
            "timestamp": "2026-01-01T00:00:00Z", "message": "boom",
            "error": {"type": "E", "message": "boom", "stack_trace": [{}, {}],
                      "breadcrumbs": [{}, {}, {}]},
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"
        }))
        .unwrap();
        assert_eq!(
            line(&error),
            "2026-01-01T00:00:00Z  ERROR      boom  error=E: boom frames=2 breadcrumbs=3  trace=4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7"
        );
    }

    #[test]
    fn one_readable_line() {
        let entry: DecodedEntry = serde_json::from_value(json!({
            "protocol": "luminalog", "kind": "metric", "level": 7,
            "timestamp": "2026-01-01T00:00:00.000000Z", "message": "two\nlines\u{1b}[31m",
            "attributes": {"user": "42"}, "details": {"value": 1}
        }))
        .unwrap();
        assert_eq!(
            line(&entry),
            "2026-01-01T00:00:00.000000Z  INFO       [metric] two\\nlines\\u{1b}[31m  {\"value\":1}  {\"user\":\"42\"}"
        );
    }
}
