package ferrolog_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

const notUTF8 = "bad \xff\xfe text"

func TestTextThatIsNotUTF8IsRefusedAtEveryEntryPoint(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	l := c.Logger()
	scope, err := l.Scope()
	must(t, err)
	span, err := l.StartSpan("s", "")
	must(t, err)
	calls := map[string]error{
		"message":         l.Info(notUTF8),
		"attribute value": l.Info("m", slog.String("k", notUTF8)),
		"attribute key":   l.Info("m", slog.String(notUTF8, "v")),
		"nested value":    l.Info("m", slog.Group("g", slog.String("k", notUTF8))),
		"error value":     l.Info("m", slog.Any("k", errors.New(notUTF8))),
		"child":           func() error { _, err := l.With(slog.String("k", notUTF8)); return err }(),
		"metric name":     l.Counter(notUTF8, 1),
		"event":           l.Event(notUTF8),
		"audit":           l.Audit(ferrolog.Audit{Action: notUTF8, Actor: "a", Resource: "r"}),
		"telemetry":       l.Telemetry("d", []ferrolog.Reading{{Name: notUTF8, Value: 1}}, false),
		"captured error":  l.CaptureError(errors.New(notUTF8)),
		"breadcrumb":      l.AddBreadcrumb(ferrolog.Breadcrumb{Message: notUTF8}),
		"scope user":      scope.SetUser(notUTF8),
		"span attribute":  span.SetAttribute("k", notUTF8),
		"span name":       func() error { _, err := l.StartSpan(notUTF8, ""); return err }(),
		"continued span":  func() error { _, err := l.ContinueFromHeaders(http.Header{"X": {notUTF8}}, "n", ""); return err }(),
		"option value":    func() error { _, err := ferrolog.New(ferrolog.Options{APIKey: notUTF8}); return err }(),
		"handler group": func() error {
			record := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
			record.AddAttrs(slog.String("k", "v"))
			return ferrolog.NewHandler(l, nil).WithGroup(notUTF8).Handle(context.Background(), record)
		}(),
		"trace from headers": func() error {
			_, err := ferrolog.TraceIDFromHeaders(http.Header{"X-Request-Id": {notUTF8}})
			return err
		}(),
	}
	for what, err := range calls {
		if !errors.Is(err, ferrolog.ErrInvalidUTF8) {
			t.Errorf("%s: got %v, want an invalid UTF-8 error", what, err)
		}
		if err != nil && strings.Contains(err.Error(), "\xff") {
			t.Errorf("%s: the error repeats the text: %q", what, err)
		}
	}
}

func TestOutOfRangeArgumentsAreRefused(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	l := c.Logger()
	calls := map[string]error{
		"level 0":          l.Log(0, "m"),
		"level 9":          l.Log(9, "m"),
		"NaN metric":       l.Gauge("g", math.NaN()),
		"infinite reading": l.Telemetry("d", []ferrolog.Reading{{Name: "t", Value: math.Inf(1)}}, false),
		"metric kind":      l.Metric(ferrolog.MetricKind(9), "m", 1, ""),
		"header kind": func() error {
			span, err := l.StartSpan("s", "")
			must(t, err)
			_, err = span.Header(ferrolog.HeaderKind(9))
			return err
		}(),
		"min level": c.SetMinLevel(12),
		"hex id":    func() error { _, err := ferrolog.NewHexID(3); return err }(),
	}
	for what, err := range calls {
		if !errors.Is(err, ferrolog.ErrInvalidArgument) {
			t.Errorf("%s: got %v, want an invalid argument error", what, err)
		}
	}
	if err := l.Info("m", slog.Any("k", make(chan int))); !errors.Is(err, ferrolog.ErrInvalidArgument) || !strings.Contains(err.Error(), `attribute "k"`) {
		t.Errorf("an attribute without a JSON form gave %v", err)
	}
}

// JSON has no NaN or infinities; every binding writes them as null.
func TestNonFiniteAttributesTravelAsNull(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	must(t, c.Logger().Info(m, slog.Float64("ratio", math.NaN()), slog.Float64("top", math.Inf(1))))
	e := one(t, c, withText(m))
	ratio, hasRatio := e.Attributes["ratio"]
	top, hasTop := e.Attributes["top"]
	if !hasRatio || !hasTop || ratio != nil || top != nil {
		t.Fatalf("attributes %v", e.Attributes)
	}
}
