package ferrolog

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"
)

// Where a log call's time goes on the Go side; cmd/bench measures whole calls beside slog.
// `go test -run '^$' -bench . ./` runs these.

func BenchmarkEncodeThreeAttributes(b *testing.B) {
	for b.Loop() {
		var stack [attrStackSize]byte
		_, _ = appendObject(stack[:0], []Attr{slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200)})
	}
}

func BenchmarkTypedThreeAttributes(b *testing.B) {
	for b.Loop() {
		var stack [attrStackSize]byte
		var typed typedTable
		_, _ = typed.fill(stack[:0], []Attr{slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200)})
	}
}

// BenchmarkCgoCall is one call into the library doing almost nothing (a level check).
func BenchmarkCgoCall(b *testing.B) {
	c, err := New(Options{APIKey: "bench", Endpoint: "http://127.0.0.1:9/v1/logs"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		c.root.probeMinLevel()
	}
}

// BenchmarkLogPreencoded is a log call whose attributes are already JSON: the cgo call and
// the core's side (JSON validation, record, enqueue) without the Go encoding. It needs
// FERROLOG_BENCH_ENDPOINT, a LuminaLog URL such as a collector run with --discard.
func BenchmarkLogPreencoded(b *testing.B) {
	c := benchClient(b)
	data := []byte(`{"user_id":"u-12345","route":"/api/orders","status":200}`)
	for _, attrs := range []struct {
		name string
		json []byte
	}{{"3 attributes", data}, {"no attributes", nil}} {
		b.Run(attrs.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if i%10_000 == 0 {
					b.StopTimer()
					_, _ = c.Flush(30 * time.Second)
					b.StartTimer()
				}
				_ = c.root.logJSON(LevelInfo, "request handled", attrs.json)
			}
		})
	}
}

// BenchmarkSlogThroughHandler is slog's LogAttrs with three attributes through a Handler: slog's
// own record building, then the handler's encoding and the log call. It needs
// FERROLOG_BENCH_ENDPOINT, as BenchmarkLogPreencoded does.
func BenchmarkSlogThroughHandler(b *testing.B) {
	c := benchClient(b)
	logger := slog.New(NewHandler(c.root, nil))
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if i%10_000 == 0 {
			b.StopTimer()
			_, _ = c.Flush(30 * time.Second)
			b.StartTimer()
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "request handled", slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
	}
}

// benchClient is a client sending to FERROLOG_BENCH_ENDPOINT, closed when b ends; b is skipped
// without one.
func benchClient(b *testing.B) *Client {
	endpoint := os.Getenv("FERROLOG_BENCH_ENDPOINT")
	if endpoint == "" {
		b.Skip("FERROLOG_BENCH_ENDPOINT is not set")
	}
	c, err := New(Options{APIKey: "bench", Endpoint: endpoint})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	return c
}
