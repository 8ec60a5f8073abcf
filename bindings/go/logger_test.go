package ferrolog_test

import (
	"errors"
	"log/slog"
	"net/url"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func TestALogTravelsWithItsLevelAndTypedAttributes(t *testing.T) {
	c := newClient(t, ferrolog.Options{Environment: "test"})
	m := marker(t)
	must(t, c.Logger().Warn(m, slog.String("user", "u-1"), slog.Int("count", 3), slog.Bool("ok", true),
		slog.Float64("ratio", 0.5), slog.Group("http", slog.String("method", "GET")), slog.String("quote", `a "b"`)))
	e := one(t, c, withText(m))
	if e.Kind != "log" || e.Level != 5 || e.Environment != "test" {
		t.Fatalf("kind %q level %d environment %q", e.Kind, e.Level, e.Environment)
	}
	want := map[string]any{"user": "u-1", "count": 3.0, "ok": true, "ratio": 0.5,
		"http": map[string]any{"method": "GET"}, "quote": `a "b"`}
	for key, value := range want {
		if !equalJSON(e.Attributes[key], value) {
			t.Errorf("attribute %s = %#v, want %#v", key, e.Attributes[key], value)
		}
	}
}

func TestEveryLevelMethodLogsAtItsLevel(t *testing.T) {
	c := newLogFluxClient(t) // LuminaLog has six levels; LogFlux keeps all eight
	l := c.Logger()
	m := marker(t)
	calls := map[int]func(string, ...ferrolog.Attr) error{1: l.Emergency, 2: l.Alert, 3: l.Critical, 4: l.Error,
		5: l.Warn, 6: l.Notice, 7: l.Info, 8: l.Debug}
	for _, call := range calls {
		must(t, call(m))
	}
	entries := sent(t, c, withText(m))
	seen := map[int]bool{}
	for _, e := range entries {
		seen[e.Level] = true
	}
	if len(entries) != 8 || len(seen) != 8 {
		t.Fatalf("want the eight levels once each, got %+v", entries)
	}
}

func TestEntriesBelowTheMinimumLevelAreLeftOut(t *testing.T) {
	c := newClient(t, ferrolog.Options{MinLevel: ferrolog.LevelWarning})
	l := c.Logger()
	if l.Enabled(ferrolog.LevelInfo) || !l.Enabled(ferrolog.LevelWarning) {
		t.Fatal("the level gate does not follow min_level")
	}
	m := marker(t)
	must(t, l.Info(m+" quiet"))
	must(t, c.SetMinLevel(ferrolog.LevelDebug))
	must(t, l.Debug(m+" loud"))
	entries := sent(t, c, withText(m))
	if len(entries) != 1 || entries[0].Message != m+" loud" {
		t.Fatalf("got %+v", entries)
	}
}

func TestWithChildrenInheritAndOverride(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	parent, err := c.Logger().With(slog.String("service", "checkout"), slog.String("tier", "web"))
	must(t, err)
	child, err := parent.With(slog.String("tier", "worker"))
	must(t, err)
	m := marker(t)
	must(t, child.Info(m, slog.Int("n", 1)))
	e := one(t, c, withText(m))
	if e.Attributes["service"] != "checkout" || e.Attributes["tier"] != "worker" || e.Attributes["n"] != 1.0 {
		t.Fatalf("attributes %v", e.Attributes)
	}
}

func TestMetricsEventsAuditsTelemetryAndRecordedSpans(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	l := c.Logger()
	m := marker(t)
	must(t, l.Counter(m+".requests", 2, slog.String("route", "/a")))
	must(t, l.Metric(ferrolog.Gauge, m+".memory", 512, "MiB"))
	must(t, l.Distribution(m+".latency", 12.5))
	must(t, l.Event(m+".signup", slog.String("plan", "pro")))
	must(t, l.Audit(ferrolog.Audit{Action: m + ".delete", Actor: "alice", Resource: "order", ResourceID: "o-1"}))
	must(t, l.Telemetry(m+"-device", []ferrolog.Reading{{Name: "temp", Value: 21.5, Unit: "C"}}, false))
	for kind, want := range map[string]int{"metric": 3, "event": 1, "audit": 1, "telemetry": 1} {
		entries := sent(t, c, url.Values{"kind": {kind}, "text": {m}})
		if len(entries) != want {
			t.Errorf("kind %s: want %d entries with the marker, got %+v", kind, want, entries)
		}
	}
	audit := one(t, c, url.Values{"kind": {"audit"}, "text": {m}})
	if audit.Details["actor"] != "alice" {
		t.Errorf("audit details %v", audit.Details)
	}
}

func TestScopesCarryUserRequestAndAttributes(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	scope, err := c.Logger().Scope()
	must(t, err)
	must(t, scope.SetUser("u-7"))
	must(t, scope.SetRequest("POST", "/orders", "req-1"))
	must(t, scope.SetAttribute("tenant", "acme"))
	m := marker(t)
	must(t, scope.Info(m))
	must(t, c.Logger().Info(m+" outside"))
	e := one(t, c, url.Values{"text": {m}, "attr": {"user.id=u-7"}})
	for key, want := range map[string]string{"http.method": "POST", "http.path": "/orders", "http.request_id": "req-1", "tenant": "acme"} {
		if e.Attributes[key] != want {
			t.Errorf("%s = %v, want %s", key, e.Attributes[key], want)
		}
	}
	outside := one(t, c, withText(m+" outside"))
	if _, leaked := outside.Attributes["user.id"]; leaked {
		t.Error("a scope's user leaked into its parent")
	}
}

func TestStatsCountWhatWasSent(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	for range 5 {
		must(t, c.Logger().Info(m))
	}
	sent(t, c, withText(m))
	stats, err := c.Stats()
	must(t, err)
	if stats.Accepted != 5 || stats.Sent != 5 || stats.DroppedTotal() != 0 || stats.Requests == 0 {
		t.Fatalf("stats %+v", stats)
	}
	if _, ok := stats.Dropped["queue_overflow"]; !ok {
		t.Fatalf("drop reasons missing: %v", stats.Dropped)
	}
}

func TestParseLevelReadsBothNameSets(t *testing.T) {
	for name, want := range map[string]ferrolog.Level{"warn": ferrolog.LevelWarning, "FATAL": ferrolog.LevelCritical,
		"notice": ferrolog.LevelNotice, "8": ferrolog.LevelDebug} {
		got, err := ferrolog.ParseLevel(name)
		if err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := ferrolog.ParseLevel("loud"); !errors.Is(err, ferrolog.ErrInvalidArgument) {
		t.Errorf("an unknown level gave %v", err)
	}
}

func equalJSON(got, want any) bool {
	gotMap, ok := got.(map[string]any)
	if !ok {
		return got == want
	}
	wantMap := want.(map[string]any)
	for key, value := range wantMap {
		if !equalJSON(gotMap[key], value) {
			return false
		}
	}
	return len(gotMap) == len(wantMap)
}

type hidden string

// LogValue hides the value, as a LogValuer may.
func (hidden) LogValue() slog.Value { return slog.StringValue("hidden") }

// Scalars travel as a typed table and anything with a group as JSON: both must arrive alike.
func TestScalarAttributesArriveAlikeTypedOrAsJSON(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	scalars := []ferrolog.Attr{
		slog.String("text", "café \"q\""), slog.Int("int", -3), slog.Uint64("uint", 1<<63),
		slog.Float64("float", 0.25), slog.Bool("bool", true), slog.Duration("took", 1500*time.Millisecond),
		slog.Time("at", at), slog.Any("err", errors.New("boom")), slog.Any("nothing", nil),
		slog.Any("valuer", hidden("t0ps3cret")), {},
	}
	want := map[string]any{"text": "café \"q\"", "int": -3.0, "uint": float64(uint64(1 << 63)), "float": 0.25,
		"bool": true, "took": 1.5e9, "at": "2026-01-02T03:04:05.000000006Z", "err": "boom", "nothing": nil,
		"valuer": "hidden"}
	m := marker(t)
	must(t, c.Logger().Info(m+" typed", scalars...))
	must(t, c.Logger().Info(m+" json", append(scalars, slog.Group("g", slog.Int("n", 1)))...))
	entries := sent(t, c, withText(m))
	if len(entries) != 2 {
		t.Fatalf("want two entries, got %+v", entries)
	}
	for _, e := range entries {
		for key, value := range want {
			if got, ok := e.Attributes[key]; !ok || !equalJSON(got, value) {
				t.Errorf("%s: attribute %s = %#v, want %#v", e.Message, key, got, value)
			}
		}
	}
}
