// The Go quickstart: a client from the environment, a child logger, slog through ferrolog,
// a span carried by a context, a captured error, then shutdown and the client's counters.
package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	// FERROLOG_ENDPOINT and FERROLOG_API_KEY come from the environment; these win over it.
	client, err := ferrolog.NewFromEnv(ferrolog.Options{APIKey: envOr("FERROLOG_API_KEY", "demo-key"), Environment: "development"})
	if err != nil {
		return err
	}
	defer client.Close()

	logger, err := client.Logger().With(slog.String("service", "checkout"))
	if err != nil {
		return err
	}
	_ = logger.Info("user signed in", slog.Int("user_id", 42), slog.Bool("new_device", true))

	// Any slog logger can send through ferrolog; the context decides which scope and span.
	slog.SetDefault(slog.New(ferrolog.NewHandler(logger, nil)))
	ctx, span, err := ferrolog.StartSpan(context.Background(), logger, "GET /orders", "http.server")
	if err != nil {
		return err
	}
	slog.WarnContext(ctx, "slow query", "ms", 930, slog.Group("db", "table", "orders"))
	if err := loadOrders(); err != nil {
		_ = span.SetError(err.Error())
		_ = ferrolog.FromContext(ctx, logger).CaptureError(err, slog.String("order", "o-1"))
	}
	_ = span.End()

	_ = logger.Counter("orders.listed", 1)
	left, err := client.Shutdown(2 * time.Second)
	stats, statsErr := client.Stats()
	if statsErr != nil {
		return statsErr
	}
	fmt.Printf("go example: %d accepted, %d sent, %d dropped, %d left\n", stats.Accepted, stats.Sent, stats.DroppedTotal(), left)
	return err
}

func loadOrders() error {
	return fmt.Errorf("load orders: %w", ferrolog.WithStack(&fs.PathError{Op: "open", Path: "/var/orders.db", Err: errors.ErrUnsupported}))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
