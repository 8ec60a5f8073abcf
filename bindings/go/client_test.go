package ferrolog_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func TestEveryOptionFieldIsAnOptionOfTheCore(t *testing.T) {
	opts := ferrolog.Options{
		APIKey: "k", Endpoint: collectorURL + "/v1/logs", Protocol: "luminalog", Environment: "e", Release: "r", Source: "s",
		Node: "n", ProjectID: "p", BatchSize: 50, FlushInterval: 250 * time.Millisecond, QueueSize: 100,
		QueueMaxBytes: 1 << 20, Overflow: "drop_oldest", BlockTimeout: time.Millisecond, WorkerCount: 2,
		MaxRetries: ferrolog.Int(0), RetryBackoff: time.Second, HTTPTimeout: 2 * time.Second, MinLevel: ferrolog.LevelInfo,
		PrivacyMode: ferrolog.Bool(true), SampleRate: ferrolog.Float(1), LogsSampleRate: ferrolog.Float(1),
		MetricsSampleRate: ferrolog.Float(1), TracesSampleRate: ferrolog.Float(1), EventsSampleRate: ferrolog.Float(1),
		ErrorsSampleRate: ferrolog.Float(1), ErrorStormLimit: ferrolog.Int(0), ErrorStormWindow: time.Minute,
		MaxBreadcrumbs: ferrolog.Int(0), Compression: "gzip", CompressionLevel: 6, Debug: ferrolog.Bool(false),
		Failsafe: ferrolog.Bool(true), KeyPersistence: ferrolog.Bool(false), KeyPersistencePath: t.TempDir(),
		KeyRotationDays: 1, DiscoveryURL: "off", SpoolDir: t.TempDir(), SpoolMaxBytes: 1 << 20,
		Extra: map[string]string{"sample_rate": "1.0"},
	}
	value := reflect.ValueOf(opts)
	for i := range value.NumField() {
		if value.Field(i).IsZero() {
			t.Fatalf("the test leaves option %s unset", value.Type().Field(i).Name)
		}
	}
	c := newClient(t, opts)
	if c.Logger().Enabled(ferrolog.LevelDebug) {
		t.Fatal("min_level did not reach the core")
	}
}

func TestARefusedOptionNamesItselfAndTheReason(t *testing.T) {
	for _, tc := range []struct {
		opts   ferrolog.Options
		option string
	}{
		{ferrolog.Options{APIKey: "k", Overflow: "sometimes"}, "overflow"},
		{ferrolog.Options{APIKey: "k", Endpoint: "ftp://nowhere"}, "endpoint"},
		{ferrolog.Options{APIKey: "k", SampleRate: ferrolog.Float(2)}, "sample_rate"},
		{ferrolog.Options{APIKey: "k", FlushInterval: -time.Second}, "flush_interval"},
		{ferrolog.Options{APIKey: "k", Extra: map[string]string{"colour": "blue"}}, "colour"},
	} {
		_, err := ferrolog.New(tc.opts)
		var refused *ferrolog.Error
		if !errors.As(err, &refused) || !errors.Is(err, ferrolog.ErrConfig) || refused.Option != tc.option ||
			!strings.Contains(err.Error(), "option `"+tc.option+"`") {
			t.Errorf("%s: got %v", tc.option, err)
		}
	}
	if _, err := ferrolog.New(ferrolog.Options{}); err == nil || !strings.Contains(err.Error(), "api_key") {
		t.Errorf("a missing api_key gave %v", err)
	}
}

func TestNewFromEnvReadsTheEnvironmentAndOptionsWin(t *testing.T) {
	t.Setenv("FERROLOG_API_KEY", "env-key")
	t.Setenv("FERROLOG_ENDPOINT", collectorURL+"/v1/logs")
	t.Setenv("FERROLOG_ENVIRONMENT", "from-env")
	t.Setenv("FERROLOG_RELEASE", "env-release")
	c, err := ferrolog.NewFromEnv(ferrolog.Options{Environment: "from-options"})
	must(t, err)
	defer c.Close()
	m := marker(t)
	must(t, c.Logger().Info(m))
	if e := one(t, c, withText(m)); e.Environment != "from-options" {
		t.Fatalf("environment %q", e.Environment)
	}
	t.Setenv("FERROLOG_BATCH_SIZE", "many")
	if _, err := ferrolog.NewFromEnv(ferrolog.Options{}); err == nil || !strings.Contains(err.Error(), "FERROLOG_BATCH_SIZE") {
		t.Fatalf("a bad variable gave %v", err)
	}
}

func TestShutdownDeliversWhatIsOwedAndRefusesLaterEntries(t *testing.T) {
	c := newClient(t, ferrolog.Options{FlushInterval: time.Hour})
	m := marker(t)
	must(t, c.Logger().Info(m))
	left, err := c.Shutdown(5 * time.Second)
	if err != nil || left != 0 {
		t.Fatalf("shutdown: %v, %d left", err, left)
	}
	if len(query(t, withText(m))) != 1 {
		t.Fatal("the owed entry was not delivered")
	}
	if err := c.Logger().Info(m); !errors.Is(err, ferrolog.ErrShutDown) {
		t.Fatalf("after shutdown: %v", err)
	}
}

func TestFlushAndShutdownWithContexts(t *testing.T) {
	c := newClient(t, ferrolog.Options{FlushInterval: time.Hour})
	m := marker(t)
	must(t, c.Logger().Info(m))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if left, err := c.FlushContext(ctx); err != nil || left != 0 {
		t.Fatalf("flush: %v, %d left", err, left)
	}
	if len(query(t, withText(m))) != 1 {
		t.Fatal("not flushed")
	}
	if _, err := c.ShutdownContext(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAFlushAgainstAHungEndpointEndsAtItsDeadline(t *testing.T) {
	// 127.0.0.1:9 (discard) refuses or never answers; either way nothing is delivered.
	c := newClient(t, ferrolog.Options{Endpoint: "http://127.0.0.1:9/v1/logs", MaxRetries: ferrolog.Int(100), RetryBackoff: time.Hour})
	must(t, c.Logger().Info("owed"))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	started := time.Now()
	left, err := c.FlushContext(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || left != 1 {
		t.Fatalf("got %v with %d left", err, left)
	}
	if elapsed := time.Since(started); elapsed > 3*time.Second {
		t.Fatalf("the flush outlived its context by far: %v", elapsed)
	}
}

func TestClosedHandlesRefuseCallsClearly(t *testing.T) {
	c, err := ferrolog.New(ferrolog.Options{APIKey: "k", Endpoint: collectorURL + "/v1/logs"})
	must(t, err)
	child, err := c.Logger().With()
	must(t, err)
	must(t, c.Close())
	must(t, c.Close()) // idempotent
	if _, err := c.Flush(time.Second); !errors.Is(err, ferrolog.ErrClosed) {
		t.Errorf("flush after Close: %v", err)
	}
	if _, err := c.Stats(); !errors.Is(err, ferrolog.ErrClosed) {
		t.Errorf("stats after Close: %v", err)
	}
	if err := c.Logger().Info("x"); !errors.Is(err, ferrolog.ErrClosed) {
		t.Errorf("the root logger after Close: %v", err)
	}
	if err := child.Info("x"); !errors.Is(err, ferrolog.ErrShutDown) {
		t.Errorf("a child logger of a closed client: %v", err)
	}
	must(t, child.Close())
	if _, err := child.With(); !errors.Is(err, ferrolog.ErrClosed) {
		t.Errorf("a closed logger: %v", err)
	}
}

func TestVersionIsTheCores(t *testing.T) {
	if v := ferrolog.Version(); len(v) < 5 || v[1] != '.' && v[2] != '.' {
		t.Fatalf("version %q", v)
	}
}
