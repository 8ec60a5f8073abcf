package ferrolog_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"testing"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func TestManyGoroutinesKeepTheirScopesApart(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	const goroutines, each = 32, 20
	logger := slog.New(ferrolog.NewHandler(c.Logger(), nil))
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, scope, err := ferrolog.ContextWithScope(context.Background(), c.Logger())
			if err != nil {
				errs <- err
				return
			}
			defer scope.Close()
			if err := scope.SetUser(fmt.Sprintf("user-%d", g)); err != nil {
				errs <- err
				return
			}
			ctx, span, err := ferrolog.StartSpan(ctx, c.Logger(), m+" span", "")
			if err != nil {
				errs <- err
				return
			}
			for i := range each {
				logger.InfoContext(ctx, m, "goroutine", g, "i", i)
			}
			errs <- span.End()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	spans := sent(t, c, url.Values{"kind": {"trace"}, "text": {m}})
	entries := query(t, url.Values{"kind": {"log"}, "text": {m}})
	if len(entries) != goroutines*each || len(spans) != goroutines {
		t.Fatalf("%d logs and %d spans, want %d and %d", len(entries), len(spans), goroutines*each, goroutines)
	}
	traceOfUser := map[string]string{}
	for _, e := range entries {
		user := fmt.Sprintf("user-%v", e.Attributes["goroutine"])
		if e.Attributes["user.id"] != user {
			t.Fatalf("goroutine %v logged with %v's scope", e.Attributes["goroutine"], e.Attributes["user.id"])
		}
		if trace, seen := traceOfUser[user]; seen && trace != e.TraceID {
			t.Fatalf("%s's entries are in two traces", user)
		}
		traceOfUser[user] = e.TraceID
	}
	if len(traceOfUser) != goroutines {
		t.Fatalf("%d traces for %d goroutines", len(traceOfUser), goroutines)
	}
}

func TestCloseWhileOtherGoroutinesLogIsSafe(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	child, err := c.Logger().With(slog.String("k", "v"))
	must(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if err := child.Info("racing"); err != nil && !errors.Is(err, ferrolog.ErrClosed) {
					t.Error(err)
					return
				}
			}
		}()
	}
	child.Close()
	wg.Wait()
}
