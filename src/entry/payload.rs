//! What the six non-log entry types, and captured errors, carry beyond a message and
//! attributes.
//!
//! The record's message holds each type's name-like member — the metric's name, the event's
//! name, the span's name, the audit action, the telemetry device id, an error's message — so a
//! payload holds only the rest, and a plain log carries none at all.

use serde::{Deserialize, Serialize};

use super::error::ErrorReport;
use super::EntryKind;
use crate::level::Level;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Payload {
    Metric {
        value: f64,
        unit: Option<String>,
        kind: MetricKind,
    },
    Span(Span),
    Event,
    Audit(Audit),
    /// Device readings; `managed` telemetry travels gzipped but not encrypted (LogFlux type 7).
    Telemetry {
        readings: Vec<Reading>,
        managed: bool,
    },
    /// A captured error: a log entry (LogFlux type 1) with the error's members.
    Error(Box<ErrorReport>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricKind {
    Counter,
    Gauge,
    Distribution,
}

impl MetricKind {
    pub fn name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Distribution => "distribution",
        }
    }

    pub fn from_name(name: &str) -> Option<MetricKind> {
        [
            MetricKind::Counter,
            MetricKind::Gauge,
            MetricKind::Distribution,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }
}

/// A finished span. Its name is the record's message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
    pub parent_span_id: Option<[u8; 8]>,
    pub operation: String,
    pub start_unix_ns: u64,
    pub end_unix_ns: u64,
    pub status: SpanStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpanStatus {
    Ok,
    Error,
}

impl SpanStatus {
    pub fn name(self) -> &'static str {
        match self {
            SpanStatus::Ok => "ok",
            SpanStatus::Error => "error",
        }
    }
}

/// Who did what to which resource, and how it ended. The action is the record's message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub actor: String,
    pub actor_type: Option<String>,
    pub resource: String,
    pub resource_id: String,
    /// `success` unless the caller says otherwise.
    pub outcome: String,
}

impl Audit {
    /// An audit record; with no outcome given it is a `success` (LogFlux §7).
    pub fn new(
        actor: String,
        actor_type: Option<String>,
        resource: String,
        resource_id: String,
        outcome: Option<String>,
    ) -> Audit {
        Audit {
            actor,
            actor_type,
            resource,
            resource_id,
            outcome: outcome.unwrap_or_else(|| "success".to_owned()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub name: String,
    pub value: f64,
    pub unit: Option<String>,
}

impl Payload {
    pub fn kind(&self) -> EntryKind {
        match self {
            Payload::Metric { .. } => EntryKind::Metric,
            Payload::Span(_) => EntryKind::Trace,
            Payload::Event => EntryKind::Event,
            Payload::Audit(_) => EntryKind::Audit,
            Payload::Telemetry { managed: false, .. } => EntryKind::Telemetry,
            Payload::Telemetry { managed: true, .. } => EntryKind::TelemetryManaged,
            Payload::Error(_) => EntryKind::Log,
        }
    }

    /// The level an entry of this type has unless the caller gives one (LogFlux §7).
    pub fn default_level(&self) -> Level {
        match self {
            Payload::Audit(_) => Level::Notice,
            Payload::Error(_) => Level::Error,
            _ => Level::Info,
        }
    }

    /// Whether every number is finite: no protocol can carry NaN or infinity.
    pub fn is_finite(&self) -> bool {
        match self {
            Payload::Metric { value, .. } => value.is_finite(),
            Payload::Telemetry { readings, .. } => readings.iter().all(|r| r.value.is_finite()),
            Payload::Span(_) | Payload::Event | Payload::Audit(_) | Payload::Error(_) => true,
        }
    }

    /// Heap bytes held, for the queue's byte bound.
    pub fn weight(&self) -> usize {
        let text = |s: &str| s.len();
        let optional = |s: &Option<String>| s.as_deref().map_or(0, text);
        std::mem::size_of::<Payload>()
            + match self {
                Payload::Metric { unit, .. } => optional(unit),
                Payload::Span(span) => text(&span.operation),
                Payload::Event => 0,
                Payload::Audit(a) => {
                    text(&a.actor)
                        + optional(&a.actor_type)
                        + text(&a.resource)
                        + text(&a.resource_id)
                        + text(&a.outcome)
                }
                Payload::Telemetry { readings, .. } => readings
                    .iter()
                    .map(|r| std::mem::size_of::<Reading>() + text(&r.name) + optional(&r.unit))
                    .sum(),
                Payload::Error(report) => report.weight(),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_default_levels_follow_the_spec() {
        let metric = Payload::Metric {
            value: 1.0,
            unit: None,
            kind: MetricKind::Gauge,
        };
        let audit = Payload::Audit(Audit {
            actor: "u1".into(),
            actor_type: None,
            resource: "doc".into(),
            resource_id: "7".into(),
            outcome: "success".into(),
        });
        let managed = Payload::Telemetry {
            readings: vec![],
            managed: true,
        };
        assert_eq!(
            (metric.kind(), metric.default_level()),
            (EntryKind::Metric, Level::Info)
        );
        assert_eq!(
            (audit.kind(), audit.default_level()),
            (EntryKind::Audit, Level::Notice)
        );
        assert_eq!(managed.kind(), EntryKind::TelemetryManaged);
        assert_eq!(Payload::Event.kind(), EntryKind::Event);
    }

    #[test]
    fn an_audit_without_an_outcome_is_a_success() {
        let audit = |outcome| Audit::new("u".into(), None, "r".into(), "1".into(), outcome);
        assert_eq!(audit(None).outcome, "success");
        assert_eq!(audit(Some("failure".into())).outcome, "failure");
    }

    #[test]
    fn non_finite_numbers_are_caught() {
        let nan = Payload::Metric {
            value: f64::NAN,
            unit: None,
            kind: MetricKind::Counter,
        };
        let reading = |value| Reading {
            name: "t".into(),
            value,
            unit: None,
        };
        let infinite = Payload::Telemetry {
            readings: vec![reading(1.0), reading(f64::INFINITY)],
            managed: false,
        };
        assert!(!nan.is_finite() && !infinite.is_finite());
        assert!(Payload::Event.is_finite());
    }

    #[test]
    fn metric_kinds_round_trip_their_names() {
        for kind in [
            MetricKind::Counter,
            MetricKind::Gauge,
            MetricKind::Distribution,
        ] {
            assert_eq!(MetricKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(MetricKind::from_name("histogram"), None);
    }
}
