//! Metric data points back into metric entries (spec §11, metrics): one entry per point.

use serde_json::{Map, Value};

use super::attributes::attributes;
use super::reader::Obj;
use super::resource::Resource;
use super::{entry, DecodeError, Failure};
use crate::entry::{EntryKind, MetricKind};
use crate::level::Level;
use crate::wire::decoded::DecodedEntry;

/// The outcome of each data point of one `Metric`. Kinds ferrolog cannot express reject their
/// points; a malformed member fails the request.
pub(super) fn decode(
    metric: &Obj,
    resource: &Resource,
) -> Result<Vec<Result<DecodedEntry, Failure>>, DecodeError> {
    let name = metric.string("name")?.unwrap_or_default();
    let unit = metric.string("unit")?.filter(|unit| !unit.is_empty());
    let point = |kind, value, point: &Obj| -> Result<DecodedEntry, Failure> {
        let mut decoded = entry(
            resource,
            EntryKind::Metric,
            Level::Info.number(),
            point.uint64("timeUnixNano")?.unwrap_or(0),
        );
        let mut details = Map::new();
        details.insert("name".into(), name.into());
        details.insert("value".into(), finite(value)?);
        if let Some(unit) = unit {
            details.insert("unit".into(), unit.into());
        }
        details.insert("kind".into(), MetricKind::name(kind).into());
        decoded.message = name.to_owned();
        decoded.attributes = attributes(point, "attributes")?;
        decoded.details = Some(Value::Object(details));
        Ok(decoded)
    };

    let mut outcomes = Vec::new();
    if let Some(gauge) = metric.object("gauge")? {
        for p in gauge.objects("dataPoints")? {
            outcomes.push(number_value(&p).and_then(|v| point(MetricKind::Gauge, v, &p)));
        }
    }
    if let Some(sum) = metric.object("sum")? {
        let kind = match sum.boolean("isMonotonic")? {
            Some(true) => MetricKind::Counter,
            _ => MetricKind::Gauge,
        };
        for p in sum.objects("dataPoints")? {
            outcomes.push(number_value(&p).and_then(|v| point(kind, v, &p)));
        }
    }
    if let Some(histogram) = metric.object("histogram")? {
        for p in histogram.objects("dataPoints")? {
            let kind = MetricKind::Distribution;
            outcomes.push(histogram_value(&p).and_then(|v| point(kind, v, &p)));
        }
    }
    for unsupported in ["exponentialHistogram", "summary"] {
        if let Some(data) = metric.object(unsupported)? {
            let reason = || Failure::Reject(format!("unsupported metric type {unsupported}"));
            outcomes.extend(data.objects("dataPoints")?.iter().map(|_| Err(reason())));
        }
    }
    Ok(outcomes)
}

/// A gauge or sum point's `asDouble` or `asInt`.
fn number_value(point: &Obj) -> Result<f64, Failure> {
    if let Some(value) = point.double("asDouble")? {
        return Ok(value);
    }
    match point.int64("asInt")? {
        Some(value) => Ok(value as f64),
        None => Err(Failure::Reject(format!(
            "{} has neither asDouble nor asInt",
            point.location()
        ))),
    }
}

/// The one observation ferrolog puts in a histogram point (its `min`, which negative values
/// keep where `sum` is left out), or else the mean of the observations.
fn histogram_value(point: &Obj) -> Result<f64, Failure> {
    let count = point.uint64("count")?.unwrap_or(0);
    let min = point.double("min")?;
    let sum = point.double("sum")?;
    match (count, min, sum) {
        (1, Some(min), _) => Ok(min),
        (n, _, Some(sum)) if n > 0 => Ok(sum / n as f64),
        _ => Err(Failure::Reject(format!(
            "{} is a histogram point without one observation or a sum",
            point.location()
        ))),
    }
}

fn finite(value: f64) -> Result<Value, Failure> {
    serde_json::Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| Failure::Reject(format!("metric value {value} is not finite")))
}
