//! Metrics and telemetry as OTLP `Metric`s (spec §8). ferrolog does not aggregate: every
//! entry (every telemetry reading) is one data point, and points of the same name, unit and
//! kind share one `Metric` in order of first appearance.

use serde::Serialize;

use super::attributes::{with_user_attributes, KeyValue};
use crate::entry::{MetricKind, Payload, Record};
use crate::wire::otlp::proto_json::Decimal;

pub(crate) const DEVICE_ID: &str = "device.id";
/// `AggregationTemporality` DELTA: each point covers only its own entry.
const DELTA: u8 = 1;

#[derive(Serialize)]
pub(super) struct Metric<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(flatten)]
    data: Data,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Data {
    #[serde(rename_all = "camelCase")]
    Sum {
        data_points: Vec<NumberPoint>,
        aggregation_temporality: u8,
        is_monotonic: bool,
    },
    #[serde(rename_all = "camelCase")]
    Gauge { data_points: Vec<NumberPoint> },
    #[serde(rename_all = "camelCase")]
    Histogram {
        data_points: Vec<HistogramPoint>,
        aggregation_temporality: u8,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NumberPoint {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<KeyValue>,
    /// Set for sums only: a delta point's interval, which ferrolog makes an instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    start_time_unix_nano: Option<Decimal<u64>>,
    time_unix_nano: Decimal<u64>,
    as_double: f64,
}

/// One observation in one bucket spanning (−∞, +∞), so `explicitBounds` stays empty.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistogramPoint {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<KeyValue>,
    start_time_unix_nano: Decimal<u64>,
    time_unix_nano: Decimal<u64>,
    count: Decimal<u64>,
    /// The proto forbids a sum for histograms that saw negative observations.
    #[serde(skip_serializing_if = "Option::is_none")]
    sum: Option<f64>,
    bucket_counts: [Decimal<u64>; 1],
    min: f64,
    max: f64,
}

/// The `Metric`s for metric and telemetry records, grouped by name, unit and kind.
pub(super) fn metrics<'a>(records: &'a [Record], dropped: &mut u64) -> Vec<Metric<'a>> {
    let mut metrics: Vec<Metric<'a>> = Vec::new();
    for record in records {
        let time = record.timestamp_ns;
        match record.payload() {
            Some(Payload::Metric { value, unit, kind }) => {
                let attributes =
                    with_user_attributes(Vec::new(), &[], record.merged_attributes(), dropped);
                let point = Point {
                    attributes,
                    time,
                    value: *value,
                };
                add(
                    &mut metrics,
                    record.message(),
                    unit.as_deref(),
                    *kind,
                    point,
                );
            }
            Some(Payload::Telemetry { readings, .. }) => {
                for reading in readings {
                    let attributes = with_user_attributes(
                        vec![KeyValue::string(DEVICE_ID, record.message())],
                        &[DEVICE_ID],
                        record.merged_attributes(),
                        dropped,
                    );
                    let point = Point {
                        attributes,
                        time,
                        value: reading.value,
                    };
                    let unit = reading.unit.as_deref();
                    add(&mut metrics, &reading.name, unit, MetricKind::Gauge, point);
                }
            }
            _ => {}
        }
    }
    metrics
}

/// A data point before its kind gives it a shape.
struct Point {
    attributes: Vec<KeyValue>,
    time: u64,
    value: f64,
}

fn add<'a>(
    metrics: &mut Vec<Metric<'a>>,
    name: &'a str,
    unit: Option<&'a str>,
    kind: MetricKind,
    point: Point,
) {
    let unit = unit.filter(|u| !u.is_empty());
    let existing = metrics
        .iter_mut()
        .find(|m| m.name == name && m.unit == unit && m.data.kind() == kind);
    let data = match existing {
        Some(metric) => &mut metric.data,
        None => {
            metrics.push(Metric {
                name,
                unit,
                data: Data::empty(kind),
            });
            &mut metrics.last_mut().expect("just pushed").data
        }
    };
    data.push(point);
}

impl Data {
    fn empty(kind: MetricKind) -> Data {
        match kind {
            MetricKind::Counter => Data::Sum {
                data_points: Vec::new(),
                aggregation_temporality: DELTA,
                is_monotonic: true,
            },
            MetricKind::Gauge => Data::Gauge {
                data_points: Vec::new(),
            },
            MetricKind::Distribution => Data::Histogram {
                data_points: Vec::new(),
                aggregation_temporality: DELTA,
            },
        }
    }

    fn kind(&self) -> MetricKind {
        match self {
            Data::Sum { .. } => MetricKind::Counter,
            Data::Gauge { .. } => MetricKind::Gauge,
            Data::Histogram { .. } => MetricKind::Distribution,
        }
    }

    fn push(&mut self, point: Point) {
        match self {
            Data::Sum { data_points, .. } => data_points.push(NumberPoint::new(point, true)),
            Data::Gauge { data_points } => data_points.push(NumberPoint::new(point, false)),
            Data::Histogram { data_points, .. } => data_points.push(HistogramPoint::new(point)),
        }
    }
}

impl NumberPoint {
    fn new(point: Point, with_start: bool) -> NumberPoint {
        NumberPoint {
            attributes: point.attributes,
            start_time_unix_nano: with_start.then_some(Decimal(point.time)),
            time_unix_nano: Decimal(point.time),
            as_double: point.value,
        }
    }
}

impl HistogramPoint {
    fn new(point: Point) -> HistogramPoint {
        let value = point.value;
        HistogramPoint {
            attributes: point.attributes,
            start_time_unix_nano: Decimal(point.time),
            time_unix_nano: Decimal(point.time),
            count: Decimal(1),
            sum: (value >= 0.0).then_some(value),
            bucket_counts: [Decimal(1)],
            min: value,
            max: value,
        }
    }
}
