//! The three OTLP signals: which entries each carries, and the names its messages use.

use crate::entry::{Payload, Record};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    Logs,
    Traces,
    Metrics,
}

impl Signal {
    pub const ALL: [Signal; 3] = [Signal::Logs, Signal::Traces, Signal::Metrics];

    /// The signal a record travels on (spec §1): spans on traces, metrics and telemetry on
    /// metrics, everything else on logs.
    pub fn of(record: &Record) -> Signal {
        match record.payload() {
            Some(Payload::Span(_)) => Signal::Traces,
            Some(Payload::Metric { .. } | Payload::Telemetry { .. }) => Signal::Metrics,
            Some(Payload::Event | Payload::Audit(_) | Payload::Error(_)) | None => Signal::Logs,
        }
    }

    /// The path appended to the base endpoint, and served by the collector.
    pub fn path(self) -> &'static str {
        match self {
            Signal::Logs => "/v1/logs",
            Signal::Traces => "/v1/traces",
            Signal::Metrics => "/v1/metrics",
        }
    }

    pub fn from_path(path: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.path() == path)
    }

    /// The request's top-level member: `resourceLogs`, `resourceSpans`, `resourceMetrics`.
    pub(super) fn resource_key(self) -> &'static str {
        match self {
            Signal::Logs => "resourceLogs",
            Signal::Traces => "resourceSpans",
            Signal::Metrics => "resourceMetrics",
        }
    }

    pub(super) fn scope_key(self) -> &'static str {
        match self {
            Signal::Logs => "scopeLogs",
            Signal::Traces => "scopeSpans",
            Signal::Metrics => "scopeMetrics",
        }
    }

    /// The scope's list of items: log records, spans, or metrics (which hold data points).
    pub(super) fn items_key(self) -> &'static str {
        match self {
            Signal::Logs => "logRecords",
            Signal::Traces => "spans",
            Signal::Metrics => "metrics",
        }
    }

    /// The partial-success counter of this signal's response.
    pub(super) fn rejected_key(self) -> &'static str {
        match self {
            Signal::Logs => "rejectedLogRecords",
            Signal::Traces => "rejectedSpans",
            Signal::Metrics => "rejectedDataPoints",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        for signal in Signal::ALL {
            assert_eq!(Signal::from_path(signal.path()), Some(signal));
        }
        assert_eq!(Signal::from_path("/v1/logs/"), None);
        assert_eq!(Signal::from_path("/v1/profiles"), None);
    }
}
