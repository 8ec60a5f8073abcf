package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"log/slog"
	"time"
)

// MetricKind is the kind of a metric.
type MetricKind int32

const (
	Counter      MetricKind = C.FERROLOG_METRIC_COUNTER
	Gauge        MetricKind = C.FERROLOG_METRIC_GAUGE
	Distribution MetricKind = C.FERROLOG_METRIC_DISTRIBUTION
)

// Metric records a metric; unit may be empty. A NaN or infinite value is refused.
func (l *Logger) Metric(kind MetricKind, name string, value float64, unit string, attrs ...Attr) error {
	return l.send("ferrolog_metric", attrs, func(p *C.ferrolog_logger, data C.ferrolog_str) C.ferrolog_result {
		return C.ferrolog_metric(p, C.int32_t(kind), str(name), C.double(value), str(unit), data)
	})
}

func (l *Logger) Counter(name string, value float64, attrs ...Attr) error {
	return l.Metric(Counter, name, value, "", attrs...)
}

func (l *Logger) Gauge(name string, value float64, attrs ...Attr) error {
	return l.Metric(Gauge, name, value, "", attrs...)
}

func (l *Logger) Distribution(name string, value float64, attrs ...Attr) error {
	return l.Metric(Distribution, name, value, "", attrs...)
}

// Event records a named event.
func (l *Logger) Event(name string, attrs ...Attr) error {
	return l.send("ferrolog_event", attrs, func(p *C.ferrolog_logger, data C.ferrolog_str) C.ferrolog_result {
		return C.ferrolog_event(p, str(name), data)
	})
}

// Audit is who did what to which resource, and how it ended.
type Audit struct {
	Action, Actor, ActorType, Resource, ResourceID string
	// Outcome is "success" when empty.
	Outcome string
}

// Audit records an audit entry; audit entries are never sampled.
func (l *Logger) Audit(a Audit, attrs ...Attr) error {
	return l.send("ferrolog_audit", attrs, func(p *C.ferrolog_logger, data C.ferrolog_str) C.ferrolog_result {
		return C.ferrolog_audit(p, str(a.Action), str(a.Actor), str(a.ActorType), str(a.Resource),
			str(a.ResourceID), str(a.Outcome), data)
	})
}

// Reading is one telemetry reading; Unit may be empty.
type Reading struct {
	Name  string
	Value float64
	Unit  string
}

// Telemetry records readings from one device. Managed telemetry travels compressed but not
// encrypted under LogFlux. Non-finite values are refused.
func (l *Logger) Telemetry(deviceID string, readings []Reading, managed bool, attrs ...Attr) error {
	var pins pinned
	defer pins.Unpin()
	array := make([]C.ferrolog_reading, len(readings))
	for i, r := range readings {
		array[i] = C.ferrolog_reading{name: pins.str(r.Name), value: C.double(r.Value), unit: pins.str(r.Unit)}
	}
	return l.send("ferrolog_telemetry", attrs, func(p *C.ferrolog_logger, data C.ferrolog_str) C.ferrolog_result {
		return C.ferrolog_telemetry(p, str(deviceID), firstOf(array), C.size_t(len(array)), C.bool(managed), data)
	})
}

// SpanRecord is a span timed elsewhere: 32-hex TraceID, 16-hex SpanID and ParentSpanID
// (empty for a root).
type SpanRecord struct {
	TraceID, SpanID, ParentSpanID string
	Operation, Name               string
	Start, End                    time.Time
	Failed                        bool
}

// RecordSpan records a finished span. Malformed ids or an end before the start are refused.
func (l *Logger) RecordSpan(s SpanRecord, attrs ...Attr) error {
	if s.Start.UnixNano() < 0 || s.End.UnixNano() < 0 {
		return &Error{Call: "ferrolog_span_record", Code: InvalidArgument, Message: "span times before 1970"}
	}
	return l.send("ferrolog_span_record", attrs, func(p *C.ferrolog_logger, data C.ferrolog_str) C.ferrolog_result {
		return C.ferrolog_span_record(p, str(s.TraceID), str(s.SpanID), str(s.ParentSpanID), str(s.Operation),
			str(s.Name), C.uint64_t(s.Start.UnixNano()), C.uint64_t(s.End.UnixNano()), C.bool(s.Failed), data)
	})
}

// Breadcrumb is one step of the trail sent with a later captured error. Level 0 is none;
// Category and Data may be empty.
type Breadcrumb struct {
	Category, Message string
	Level             Level
	Data              map[string]string
}

// AddBreadcrumb adds b to the trail of this logger's scope, or the client's. Logs at info or
// more severe and events add breadcrumbs by themselves.
func (l *Logger) AddBreadcrumb(b Breadcrumb) error {
	attrs := make([]Attr, 0, len(b.Data))
	for key, value := range b.Data {
		attrs = append(attrs, Attr{Key: key, Value: slog.StringValue(value)})
	}
	data, err := appendObject(nil, attrs)
	if err != nil {
		return err
	}
	code, err := l.call(func(p *C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_logger_add_breadcrumb(p, str(b.Category), str(b.Message), C.int32_t(b.Level), bytesStr(data))
	})
	if err != nil {
		return err
	}
	return check("ferrolog_logger_add_breadcrumb", code)
}

// firstOf is the array argument for a Go slice: its first element, nil when empty.
func firstOf[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}
