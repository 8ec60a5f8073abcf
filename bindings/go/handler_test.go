package ferrolog_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func TestSlogLevelsMapOntoFerrologs(t *testing.T) {
	c := newLogFluxClient(t)
	logger := slog.New(ferrolog.NewHandler(c.Logger(), nil))
	m := marker(t)
	want := map[slog.Level]int{slog.LevelDebug: 8, slog.LevelInfo: 7, slog.LevelInfo + 2: 6, slog.LevelWarn: 5,
		slog.LevelError: 4, slog.LevelError + 4: 3}
	for level := range want {
		logger.Log(context.Background(), level, m+" "+level.String()+".")
	}
	for level, number := range want {
		if e := one(t, c, withText(m+" "+level.String()+".")); e.Level != number {
			t.Errorf("slog %v became level %d, want %d", level, e.Level, number)
		}
	}
}

func TestSlogGroupsNestAsSlogsJSONHandlerNestsThem(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	logger := slog.New(ferrolog.NewHandler(c.Logger(), nil)).With("service", "api").WithGroup("req").With("id", 7).WithGroup("inner")
	logger.Warn(m+" nested", "size", 3, slog.Duration("took", time.Millisecond))
	logger.Info(m + " bare")
	nested := one(t, c, withText(m+" nested"))
	want := map[string]any{"service": "api", "req": map[string]any{"id": 7.0, "inner": map[string]any{"size": 3.0, "took": 1e6}}}
	if !equalJSON(nested.Attributes, want) {
		t.Fatalf("attributes %v", nested.Attributes)
	}
	bare := one(t, c, withText(m+" bare"))
	if !equalJSON(bare.Attributes, map[string]any{"service": "api", "req": map[string]any{"id": 7.0}}) {
		t.Fatalf("an empty group was sent: %v", bare.Attributes)
	}
}

func TestTheHandlerLevelAndTheClientsMinimumBothFilter(t *testing.T) {
	c := newClient(t, ferrolog.Options{MinLevel: ferrolog.LevelInfo})
	handler := ferrolog.NewHandler(c.Logger(), &ferrolog.HandlerOptions{Level: slog.LevelWarn})
	ctx := context.Background()
	if handler.Enabled(ctx, slog.LevelInfo) || !handler.Enabled(ctx, slog.LevelWarn) {
		t.Fatal("the handler's level does not filter")
	}
	if ferrolog.NewHandler(c.Logger(), nil).Enabled(ctx, slog.LevelDebug) {
		t.Fatal("the client's minimum level does not filter")
	}
}

func TestSlogRecordsCarryTheContextsSpanAndSource(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	logger := slog.New(ferrolog.NewHandler(c.Logger(), &ferrolog.HandlerOptions{AddSource: true}))
	m := marker(t)
	ctx, span, err := ferrolog.StartSpan(context.Background(), c.Logger(), m+" span", "")
	must(t, err)
	logger.InfoContext(ctx, m+" inside")
	must(t, span.End())
	inside := one(t, c, withText(m+" inside"))
	spanEntry := one(t, c, withText(m+" span"))
	if inside.TraceID == "" || inside.TraceID != spanEntry.TraceID || inside.SpanID != spanEntry.SpanID {
		t.Fatalf("log %+v, span %+v", inside, spanEntry)
	}
	source, _ := inside.Attributes["source"].(map[string]any)
	if source["function"] != "github.com/ferrolog/ferrolog/bindings/go_test.TestSlogRecordsCarryTheContextsSpanAndSource" {
		t.Fatalf("source %v", inside.Attributes["source"])
	}
}

func TestAnAttributeThatIsNotUTF8IsAnErrorOfHandle(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	handler := ferrolog.NewHandler(c.Logger(), nil).WithAttrs([]slog.Attr{slog.String("bad", "\xff")})
	record := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
	if err := handler.Handle(context.Background(), record); !errors.Is(err, ferrolog.ErrInvalidUTF8) {
		t.Fatalf("got %v", err)
	}
}
