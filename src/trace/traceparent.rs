//! The W3C Trace Context `traceparent` header (Trace Context Level 1, §3.2).
//!
//! `version-traceid-parentid-flags`, 55 characters, lowercase hex throughout. Version `00`
//! allows nothing after the flags; a later version may append fields after a `-`, which this
//! version ignores; version `ff` is forbidden.

use super::context::TraceContext;
use super::ids::{SpanId, TraceId};

pub const TRACEPARENT: &str = "traceparent";

/// `00-` + 32 + `-` + 16 + `-` + 2.
const LENGTH: usize = 55;

/// The context a `traceparent` value carries, or `None` when the value is not valid.
pub fn parse_traceparent(value: &str) -> Option<TraceContext> {
    let (head, rest) = value.split_at_checked(LENGTH)?;
    let mut fields = head.split('-');
    let (version, trace, span, flags) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let shaped = [(version, 2), (trace, 32), (span, 16), (flags, 2)]
        .iter()
        .all(|&(field, length)| field.len() == length && is_lower_hex(field));
    let version_allows_rest = match version {
        "ff" => false,
        "00" => rest.is_empty(),
        _ => rest.is_empty() || rest.starts_with('-'),
    };
    if !shaped || !version_allows_rest || fields.next().is_some() {
        return None;
    }
    let flags = u8::from_str_radix(flags, 16).ok()?;
    Some(TraceContext {
        trace_id: TraceId::parse(trace).ok()?,
        span_id: SpanId::parse(span).ok()?,
        sampled: flags & 1 == 1,
    })
}

/// The version `00` value for `context`: flags `01` when sampled, else `00`.
pub fn format_traceparent(context: &TraceContext) -> String {
    let flags = if context.sampled { "01" } else { "00" };
    format!("00-{}-{}-{flags}", context.trace_id, context.span_id)
}

fn is_lower_hex(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "12345678901234567890123456789012";
    const SPAN: &str = "1234567890123456";

    fn valid(value: &str) -> TraceContext {
        parse_traceparent(value).unwrap_or_else(|| panic!("should be valid: {value:?}"))
    }

    #[test]
    fn version_00_values_parse() {
        let context = valid(&format!("00-{TRACE}-{SPAN}-01"));
        assert_eq!(context.trace_id.to_string(), TRACE);
        assert_eq!(context.span_id.to_string(), SPAN);
        assert!(context.sampled);
        assert!(!valid(&format!("00-{TRACE}-{SPAN}-00")).sampled);
        // Only bit 0 is the sampled flag; other bits are ignored.
        assert!(valid(&format!("00-{TRACE}-{SPAN}-03")).sampled);
        assert!(!valid(&format!("00-{TRACE}-{SPAN}-fe")).sampled);
        assert!(valid("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").sampled);
    }

    #[test]
    fn future_versions_may_append_fields() {
        for value in [
            format!("cc-{TRACE}-{SPAN}-01"),
            format!("cc-{TRACE}-{SPAN}-01-what-the-future-will-be-like"),
            format!("01-{TRACE}-{SPAN}-00-"),
            format!("fe-{TRACE}-{SPAN}-01-x"),
        ] {
            assert_eq!(valid(&value).trace_id.to_string(), TRACE, "{value}");
        }
        assert!(!valid(&format!("cc-{TRACE}-{SPAN}-00-extra")).sampled);
    }

    #[test]
    fn invalid_values_carry_no_context() {
        let cases = [
            // W3C test suite: version 00 with anything after the flags.
            format!("00-{TRACE}-{SPAN}-01."),
            format!("00-{TRACE}-{SPAN}-01-what-the-future-will-be-like"),
            format!("00-{TRACE}-{SPAN}-01-"),
            // A future version followed by something other than `-`.
            format!("cc-{TRACE}-{SPAN}-01.what-the-future-will-be-like"),
            // Version ff is forbidden, with or without more fields.
            format!("ff-{TRACE}-{SPAN}-01"),
            format!("ff-{TRACE}-{SPAN}-01-x"),
            // Illegal, too long, too short or upper-case versions.
            format!(".0-{TRACE}-{SPAN}-01"),
            format!("0.-{TRACE}-{SPAN}-01"),
            format!("000-{TRACE}-{SPAN}-01"),
            format!("0000-{TRACE}-{SPAN}-01"),
            format!("0-{TRACE}-{SPAN}-01"),
            format!("0A-{TRACE}-{SPAN}-01"),
            // Trace ids: all zero, illegal characters, upper case, wrong lengths.
            format!("00-{}-{SPAN}-01", "0".repeat(32)),
            format!("00-.2345678901234567890123456789012-{SPAN}-01"),
            format!("00-1234567890123456789012345678901.-{SPAN}-01"),
            format!("00-4BF92F3577B34DA6A3CE929D0E0E4736-{SPAN}-01"),
            format!("00-4bf92f3577b34da6a3ce929d0e0e473A-{SPAN}-01"),
            format!("00-{TRACE}3-{SPAN}-01"),
            format!("00-1234567890123456789012345678901-{SPAN}-01"),
            // Parent ids: all zero, illegal characters, upper case, wrong lengths.
            format!("00-{TRACE}-0000000000000000-01"),
            format!("00-{TRACE}-.234567890123456-01"),
            format!("00-{TRACE}-123456789012345.-01"),
            format!("00-{TRACE}-00F067AA0BA902B7-01"),
            format!("00-{TRACE}-12345678901234567-01"),
            format!("00-{TRACE}-123456789012345-01"),
            // Flags: illegal characters, upper case, wrong lengths.
            format!("00-{TRACE}-{SPAN}-.0"),
            format!("00-{TRACE}-{SPAN}-0."),
            format!("00-{TRACE}-{SPAN}-0F"),
            format!("00-{TRACE}-{SPAN}-001"),
            format!("00-{TRACE}-{SPAN}-1"),
            // Separators other than `-`, or missing.
            format!("00_{TRACE}_{SPAN}_01"),
            format!("00-{TRACE}+{SPAN}-01"),
            format!("00{TRACE}{SPAN}01"),
            format!("00-{TRACE}-{SPAN}01-"),
            // Whitespace belongs to the HTTP layer, not the value.
            format!(" 00-{TRACE}-{SPAN}-01"),
            // Nothing, garbage, and non-ASCII of the right byte length.
            String::new(),
            "00".to_owned(),
            "not a traceparent".to_owned(),
            format!("00-{}é-{SPAN}-01", &TRACE[..30]),
        ];
        for value in &cases {
            assert_eq!(parse_traceparent(value), None, "{value:?}");
        }
    }

    #[test]
    fn format_round_trips() {
        for sampled in [true, false] {
            let context = TraceContext {
                trace_id: TraceId::random(),
                span_id: SpanId::random(),
                sampled,
            };
            let value = format_traceparent(&context);
            assert_eq!(value.len(), LENGTH);
            assert!(value.ends_with(if sampled { "-01" } else { "-00" }));
            assert_eq!(parse_traceparent(&value), Some(context));
        }
    }
}
