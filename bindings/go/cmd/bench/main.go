// Command bench measures the caller's cost of an info log with three attributes through the
// Go binding, beside log/slog's JSONHandler writing to io.Discard, in the same run, and
// prints the figures and their ratio. FERROLOG_BENCH_ENDPOINT is the LuminaLog URL to send
// to: a collector started with --discard (scripts/bench.sh starts one).
//
// Beside the wall-clock figures, the CPU time of the calling thread: on a machine with few
// cores, the client's workers and the collector take turns with the caller, and the wall
// clock counts their turns as the caller's.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"syscall"
	"time"
	"unsafe"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

const (
	rounds    = 200
	perRound  = 10_000
	message   = "request handled"
	slowRound = 30 * time.Second
	// clockThreadCPU is CLOCK_THREAD_CPUTIME_ID, which the syscall package does not name.
	clockThreadCPU = 3
)

// result is one case: the median and mean of its rounds' per-call time, the median of their
// per-call CPU time on the calling thread, and its allocations.
type result struct {
	name          string
	median, mean  time.Duration
	cpuMedian     time.Duration
	allocsPerCall float64
	settleBetween func()
	call          func()
}

func main() {
	endpoint := os.Getenv("FERROLOG_BENCH_ENDPOINT")
	if endpoint == "" {
		fmt.Fprintln(os.Stderr, "bench: set FERROLOG_BENCH_ENDPOINT to a LuminaLog URL, such as a collector run with --discard")
		os.Exit(2)
	}
	client := start(ferrolog.Options{APIKey: "bench", Endpoint: endpoint})
	defer client.Close()
	sampledOut := start(ferrolog.Options{APIKey: "bench", Endpoint: endpoint, LogsSampleRate: ferrolog.Float(0)})
	defer sampledOut.Close()
	logger, quiet := client.Logger(), sampledOut.Logger()
	settle := func() { _, _ = client.Flush(slowRound) }
	ctx := context.Background()
	slogJSON := slog.New(slog.NewJSONHandler(io.Discard, nil))
	slogFerrolog := slog.New(ferrolog.NewHandler(logger, nil))

	cases := []*result{
		{name: "ferrolog Logger.Info, 3 attributes", call: func() {
			_ = logger.Info(message, slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
		}, settleBetween: settle},
		{name: "slog JSONHandler → io.Discard, LogAttrs", call: func() {
			slogJSON.LogAttrs(ctx, slog.LevelInfo, message, slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
		}},
		{name: "slog JSONHandler → io.Discard, Info(k, v…)", call: func() {
			slogJSON.Info(message, "user_id", "u-12345", "route", "/api/orders", "status", 200)
		}},
		{name: "slog → ferrolog Handler, LogAttrs", call: func() {
			slogFerrolog.LogAttrs(ctx, slog.LevelInfo, message, slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
		}, settleBetween: settle},
		{name: "ferrolog Logger.Info, no attributes", call: func() { _ = logger.Info(message) }, settleBetween: settle},
		{name: "ferrolog, 3 attributes, sampled out in the core", call: func() {
			_ = quiet.Info(message, slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
		}},
		{name: "ferrolog, below the minimum level", call: func() {
			_ = logger.Debug(message, slog.String("user_id", "u-12345"), slog.String("route", "/api/orders"), slog.Int("status", 200))
		}},
	}
	must(client.SetMinLevel(ferrolog.LevelInfo))
	for _, c := range cases {
		measure(c)
	}

	fmt.Printf("caller cost per call, %d rounds of %d calls (median and mean of the rounds), GOMAXPROCS %d, %s\n",
		rounds, perRound, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Printf("%-50s %10s %10s %12s %12s\n", "case", "median", "mean", "CPU median", "allocs/call")
	for _, c := range cases {
		fmt.Printf("%-50s %8.1f ns %8.1f ns %10.1f ns %12.2f\n", c.name, ns(c.median), ns(c.mean), ns(c.cpuMedian), c.allocsPerCall)
	}
	for _, peer := range []*result{cases[1], cases[2]} {
		fmt.Printf("ratio ferrolog/%s: median %.2f, mean %.2f, CPU median %.2f\n", peer.name,
			ns(cases[0].median)/ns(peer.median), ns(cases[0].mean)/ns(peer.mean), ns(cases[0].cpuMedian)/ns(peer.cpuMedian))
	}

	_, _ = client.Flush(slowRound)
	stats, err := client.Stats()
	must(err)
	fmt.Printf("ferrolog client: %d accepted, %d sent, %d dropped\n", stats.Accepted, stats.Sent, stats.DroppedTotal())
}

// measure times rounds of calls; between rounds, untimed, the client's backlog is settled so
// that no round meets a full queue. The goroutine keeps to one thread, whose CPU time is then
// the caller's own.
func measure(c *result) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range perRound { // warm-up
		c.call()
	}
	perCall := make([]time.Duration, 0, rounds)
	cpuPerCall := make([]time.Duration, 0, rounds)
	var total time.Duration
	var allocs uint64
	var before, after runtime.MemStats
	for range rounds {
		if c.settleBetween != nil {
			c.settleBetween()
		}
		runtime.ReadMemStats(&before)
		cpuStarted := threadCPU()
		started := time.Now()
		for range perRound {
			c.call()
		}
		elapsed := time.Since(started)
		cpuPerCall = append(cpuPerCall, (threadCPU()-cpuStarted)/perRound)
		runtime.ReadMemStats(&after)
		allocs += after.Mallocs - before.Mallocs
		perCall = append(perCall, elapsed/perRound)
		total += elapsed
	}
	slices.Sort(perCall)
	slices.Sort(cpuPerCall)
	c.median = perCall[len(perCall)/2]
	c.cpuMedian = cpuPerCall[len(cpuPerCall)/2]
	c.mean = total / (rounds * perRound)
	c.allocsPerCall = float64(allocs) / (rounds * perRound)
}

// threadCPU is the CPU time the calling thread has used, to the nanosecond (getrusage counts
// in scheduler ticks).
func threadCPU() time.Duration {
	var now syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPU, uintptr(unsafe.Pointer(&now)), 0); errno != 0 {
		must(errno)
	}
	return time.Duration(now.Nano())
}

func start(opts ferrolog.Options) *ferrolog.Client {
	client, err := ferrolog.New(opts)
	must(err)
	return client
}

func ns(d time.Duration) float64 { return float64(d.Nanoseconds()) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
