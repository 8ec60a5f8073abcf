//! Reading and writing trace context in HTTP headers.
//!
//! Headers arrive as `(name, value)` pairs from whatever HTTP stack a shim sits on. Names match
//! case-insensitively; values lose the optional whitespace (spaces, tabs) HTTP allows around a
//! field value, as an HTTP parser would strip it.

use super::context::TraceContext;
use super::ids::generate_trace_id_uuid;
use super::logflux_header::{format_logflux_trace, parse_logflux_trace, X_LOGFLUX_TRACE};
use super::traceparent::{format_traceparent, parse_traceparent, TRACEPARENT};

/// The context of an incoming request: a valid W3C `traceparent`, else a valid
/// `X-LogFlux-Trace`, else `None` (start a root span).
///
/// A request with two `traceparent` headers has none that counts (W3C: the receiver restarts
/// the trace); `X-LogFlux-Trace` is then still consulted.
pub fn extract<K: AsRef<str>, V: AsRef<str>>(headers: &[(K, V)]) -> Option<TraceContext> {
    only_value(headers, TRACEPARENT)
        .and_then(parse_traceparent)
        .or_else(|| values(headers, X_LOGFLUX_TRACE).find_map(parse_logflux_trace))
}

/// Both headers for an outgoing request, W3C first.
pub fn inject(context: &TraceContext) -> [(&'static str, String); 2] {
    [
        (TRACEPARENT, format_traceparent(context)),
        (X_LOGFLUX_TRACE, format_logflux_trace(context)),
    ]
}

/// The trace id LuminaLog's `get_trace_id_from_request` would pick (luminalog.md §9): the
/// first non-empty `x-trace-id`, else `x-request-id`, verbatim; else a valid `traceparent`'s
/// trace id; else a fresh UUID v4.
pub fn trace_id_from_headers<K: AsRef<str>, V: AsRef<str>>(headers: &[(K, V)]) -> String {
    ["x-trace-id", "x-request-id"]
        .iter()
        .find_map(|name| values(headers, name).find(|value| !value.is_empty()))
        .map(str::to_owned)
        .or_else(|| {
            only_value(headers, TRACEPARENT)
                .and_then(parse_traceparent)
                .map(|context| context.trace_id.to_string())
        })
        .unwrap_or_else(generate_trace_id_uuid)
}

fn values<'h, K: AsRef<str>, V: AsRef<str>>(
    headers: &'h [(K, V)],
    name: &'h str,
) -> impl Iterator<Item = &'h str> {
    headers
        .iter()
        .filter(move |(key, _)| key.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref().trim_matches([' ', '\t']))
}

/// The value of a header that must appear once; `None` when absent or repeated.
fn only_value<'h, K: AsRef<str>, V: AsRef<str>>(
    headers: &'h [(K, V)],
    name: &'h str,
) -> Option<&'h str> {
    let mut found = values(headers, name);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::ids::{SpanId, TraceId};

    const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const SPAN: &str = "00f067aa0ba902b7";
    const OTHER_TRACE: &str = "12345678901234567890123456789012";

    fn traceparent() -> String {
        format!("00-{TRACE}-{SPAN}-01")
    }

    fn trace_of(headers: &[(&str, &str)]) -> Option<String> {
        extract(headers).map(|context| context.trace_id.to_string())
    }

    #[test]
    fn traceparent_comes_first_then_logflux() {
        let logflux = format!("{OTHER_TRACE}-{SPAN}-0");
        let tp = traceparent();
        assert_eq!(
            trace_of(&[("X-LogFlux-Trace", logflux.as_str()), ("traceparent", &tp)]),
            Some(TRACE.to_owned())
        );
        let only_logflux = extract(&[("x-logflux-trace", logflux.as_str())]).unwrap();
        assert_eq!(only_logflux.trace_id.to_string(), OTHER_TRACE);
        assert!(!only_logflux.sampled);
        // An invalid traceparent does not hide a valid LogFlux header.
        let bad = format!("00-{}-{SPAN}-01", TRACE.to_uppercase());
        assert_eq!(
            trace_of(&[("traceparent", bad.as_str()), ("X-LOGFLUX-TRACE", &logflux)]),
            Some(OTHER_TRACE.to_owned())
        );
        assert_eq!(extract::<&str, &str>(&[]), None);
        assert_eq!(trace_of(&[("traceparent", "garbage")]), None);
    }

    #[test]
    fn names_match_in_any_case_and_only_exactly() {
        let tp = traceparent();
        for name in ["traceparent", "TraceParent", "TrAcEpArEnT", "TRACEPARENT"] {
            assert_eq!(
                trace_of(&[(name, tp.as_str())]),
                Some(TRACE.to_owned()),
                "{name}"
            );
        }
        for name in [
            "trace-parent",
            "trace.parent",
            "traceparent2",
            "x-traceparent",
        ] {
            assert_eq!(trace_of(&[(name, tp.as_str())]), None, "{name}");
        }
    }

    #[test]
    fn optional_whitespace_around_a_value_is_ignored() {
        for value in [
            format!(" {}", traceparent()),
            format!("\t{}", traceparent()),
            format!("{} ", traceparent()),
            format!("{}\t", traceparent()),
            format!("\t {} \t", traceparent()),
        ] {
            assert_eq!(
                trace_of(&[("traceparent", value.as_str())]),
                Some(TRACE.to_owned())
            );
        }
    }

    #[test]
    fn a_repeated_traceparent_restarts_the_trace() {
        let first = format!("00-{OTHER_TRACE}-{SPAN}-01");
        let headers = [
            ("traceparent", first.as_str()),
            ("traceparent", &traceparent()),
        ];
        assert_eq!(trace_of(&headers), None);
        assert_eq!(trace_id_from_headers(&headers).len(), 36);
    }

    #[test]
    fn inject_writes_both_headers_that_extract_reads_back() {
        let context = TraceContext {
            trace_id: TraceId::random(),
            span_id: SpanId::random(),
            sampled: false,
        };
        let injected = inject(&context);
        assert_eq!(injected[0].0, "traceparent");
        assert_eq!(injected[1].0, "X-LogFlux-Trace");
        assert_eq!(extract(&injected), Some(context));
        assert_eq!(extract(&injected[1..]), Some(context));
        assert!(injected[0].1.ends_with("-00") && injected[1].1.ends_with("-0"));
    }

    #[test]
    fn luminalog_order_request_ids_first_verbatim() {
        let tp = traceparent();
        // Checklist item 15.
        assert_eq!(trace_id_from_headers(&[("x-trace-id", "abc")]), "abc");
        assert_eq!(
            trace_id_from_headers(&[("traceparent", tp.as_str())]),
            TRACE
        );
        // x-trace-id beats x-request-id beats traceparent, whatever the header order.
        let all = [
            ("traceparent", tp.as_str()),
            ("X-Request-Id", "req-1"),
            ("X-Trace-ID", "T 1"),
        ];
        assert_eq!(trace_id_from_headers(&all), "T 1");
        assert_eq!(trace_id_from_headers(&all[..2]), "req-1");
        // Empty values are skipped; case of the value is kept.
        let empties = [
            ("x-trace-id", ""),
            ("x-request-id", "  "),
            ("x-request-id", "ReQ"),
        ];
        assert_eq!(trace_id_from_headers(&empties), "ReQ");
        // The LogFlux header is not a LuminaLog source.
        let logflux = format!("{TRACE}-{SPAN}-1");
        assert_eq!(
            trace_id_from_headers(&[("x-logflux-trace", logflux.as_str())]).len(),
            36
        );
    }

    #[test]
    fn luminalog_falls_back_to_a_fresh_uuid_for_invalid_traceparents() {
        let zero = format!("00-{}-{SPAN}-01", "0".repeat(32));
        let upper = format!("00-{}-{SPAN}-01", TRACE.to_uppercase());
        for headers in [
            vec![("traceparent", zero.as_str())],
            vec![("traceparent", upper.as_str())],
            vec![("traceparent", "00-abc-def-01")],
            vec![],
        ] {
            let id = trace_id_from_headers(&headers);
            let uuid = uuid::Uuid::parse_str(&id).expect("a UUID");
            assert_eq!((id.len(), uuid.get_version_num()), (36, 4), "{headers:?}");
            assert_ne!(trace_id_from_headers(&headers), id);
        }
    }

    #[test]
    fn owned_header_pairs_work_too() {
        let headers = vec![("TraceParent".to_owned(), traceparent())];
        assert_eq!(extract(&headers).unwrap().span_id.to_string(), SPAN);
        assert_eq!(trace_id_from_headers(&headers), TRACE);
    }
}
