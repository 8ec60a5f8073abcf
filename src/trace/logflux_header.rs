//! LogFlux's `X-LogFlux-Trace` header (logflux.md §14): `<trace_id>-<span_id>-<sampled>`.
//!
//! Parsed by the Go SDK's rules: hex of either case, and anything but a literal third piece `0`
//! counts as sampled. One addition: an all-zero id is refused, as everywhere in ferrolog, since
//! no trace can continue from the id that means "none".

use super::context::TraceContext;
use super::ids::{SpanId, TraceId};

pub const X_LOGFLUX_TRACE: &str = "X-LogFlux-Trace";

/// The context an `X-LogFlux-Trace` value carries, or `None` (the receiver starts a new root).
pub fn parse_logflux_trace(value: &str) -> Option<TraceContext> {
    let mut pieces = value.splitn(3, '-');
    let trace_id = TraceId::parse(pieces.next()?).ok()?;
    let span_id = SpanId::parse(pieces.next()?).ok()?;
    Some(TraceContext {
        trace_id,
        span_id,
        sampled: pieces.next() != Some("0"),
    })
}

/// Lowercase ids and the real sampled flag (`1` or `0`).
pub fn format_logflux_trace(context: &TraceContext) -> String {
    let sampled = if context.sampled { '1' } else { '0' };
    format!("{}-{}-{sampled}", context.trace_id, context.span_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const SPAN: &str = "00f067aa0ba902b7";

    fn sampled(value: &str) -> bool {
        let context = parse_logflux_trace(value).unwrap_or_else(|| panic!("valid: {value:?}"));
        assert_eq!(context.trace_id.to_string(), TRACE);
        assert_eq!(context.span_id.to_string(), SPAN);
        context.sampled
    }

    #[test]
    fn the_spec_cases_parse() {
        assert!(sampled(&format!("{TRACE}-{SPAN}-1")));
        assert!(!sampled(&format!("{TRACE}-{SPAN}-0")));
        assert!(sampled(&format!("{TRACE}-{SPAN}")));
    }

    #[test]
    fn go_rules_for_case_and_the_third_piece() {
        // Either case, stored lowercase.
        assert!(sampled(&format!(
            "{}-{}-1",
            TRACE.to_uppercase(),
            SPAN.to_uppercase()
        )));
        // Only a third piece that is exactly `0` means unsampled.
        for third in ["", "01", "00", "true", "0-0", "1-extra", "false"] {
            assert!(sampled(&format!("{TRACE}-{SPAN}-{third}")), "{third:?}");
        }
    }

    #[test]
    fn the_spec_invalid_cases_and_others_carry_no_context() {
        for value in [
            String::new(),
            "abc".to_owned(),
            "abc-def".to_owned(),
            format!("short-{SPAN}-1"),
            format!("{TRACE}-short-1"),
            TRACE.to_owned(),
            format!("{TRACE}-"),
            format!("{TRACE}0-{SPAN}-1"),
            format!("{TRACE}-{SPAN}0-1"),
            format!("{}g-{SPAN}-1", &TRACE[..31]),
            format!("{}-{SPAN}-1", "0".repeat(32)),
            format!("{TRACE}-{}-1", "0".repeat(16)),
            format!("{TRACE}_{SPAN}_1"),
            format!(" {TRACE}-{SPAN}-1"),
        ] {
            assert_eq!(parse_logflux_trace(&value), None, "{value:?}");
        }
    }

    #[test]
    fn format_writes_the_real_flag_and_round_trips() {
        let context = parse_logflux_trace(&format!("{TRACE}-{SPAN}-0")).unwrap();
        assert_eq!(format_logflux_trace(&context), format!("{TRACE}-{SPAN}-0"));
        let sampled = TraceContext {
            sampled: true,
            ..context
        };
        assert_eq!(format_logflux_trace(&sampled), format!("{TRACE}-{SPAN}-1"));
        assert_eq!(
            parse_logflux_trace(&format_logflux_trace(&sampled)),
            Some(sampled)
        );
    }
}
