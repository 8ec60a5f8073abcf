package ferrolog_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

// The real collector, started once for the package's tests, on an ephemeral loopback port.
var collectorURL string

const listening = "ferrolog-collector listening on "

func TestMain(m *testing.M) {
	os.Exit(runWithCollector(m))
}

func runWithCollector(m *testing.M) int {
	dataDir, err := os.MkdirTemp("", "ferrolog-go-collector")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dataDir)
	binary := os.Getenv("FERROLOG_COLLECTOR")
	if binary == "" {
		binary = filepath.Join("..", "..", "target", "release", "ferrolog-collector")
	}
	cmd := exec.Command(binary, "--port", "0", "--data-dir", dataDir)
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the collector %s: %v\n", binary, err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		first <- strings.TrimSpace(line)
		_, _ = bufio.NewReader(stdout).WriteTo(discard{})
	}()
	select {
	case line := <-first:
		if !strings.HasPrefix(line, listening) {
			fmt.Fprintf(os.Stderr, "the collector said %q\n", line)
			return 1
		}
		collectorURL = strings.TrimPrefix(line, listening)
	case <-time.After(10 * time.Second):
		fmt.Fprintln(os.Stderr, "the collector did not start within 10 s")
		return 1
	}
	return m.Run()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// entry is an entry as the collector's query API lists it.
type entry struct {
	Protocol     string         `json:"protocol"`
	Kind         string         `json:"kind"`
	Level        int            `json:"level"`
	Message      string         `json:"message"`
	Attributes   map[string]any `json:"attributes"`
	Environment  string         `json:"environment"`
	Error        map[string]any `json:"error"`
	TraceID      string         `json:"trace_id"`
	SpanID       string         `json:"span_id"`
	ParentSpanID string         `json:"parent_span_id"`
	Details      map[string]any `json:"details"`
}

// query lists what the collector stored that matches filters (`text`, `kind`, `attr`, …).
func query(t *testing.T, filters url.Values) []entry {
	t.Helper()
	client := http.Client{Timeout: 5 * time.Second}
	answer, err := client.Get(collectorURL + "/api/entries?" + filters.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer answer.Body.Close()
	var entries []entry
	if err := json.NewDecoder(answer.Body).Decode(&entries); err != nil {
		t.Fatal(err)
	}
	return entries
}

// sent is what the collector stored matching filters once c has delivered everything.
func sent(t *testing.T, c *ferrolog.Client, filters url.Values) []entry {
	t.Helper()
	if left, err := c.Flush(5 * time.Second); err != nil {
		t.Fatalf("flush: %v (%d left)", err, left)
	}
	return query(t, filters)
}

// withText is the filter of entries whose message contains text.
func withText(text string) url.Values { return url.Values{"text": {text}} }

// one is the single entry matching filters.
func one(t *testing.T, c *ferrolog.Client, filters url.Values) entry {
	t.Helper()
	entries := sent(t, c, filters)
	if len(entries) != 1 {
		t.Fatalf("want one entry for %v, got %d: %+v", filters, len(entries), entries)
	}
	return entries[0]
}

// marker is a text no other test logs.
func marker(t *testing.T) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return t.Name() + "-" + hex.EncodeToString(b[:])
}

// newClient is a LuminaLog client to the collector, closed when the test ends.
func newClient(t *testing.T, opts ferrolog.Options) *ferrolog.Client {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = "test-key"
	}
	if opts.Endpoint == "" {
		opts.Endpoint = collectorURL + "/v1/logs"
	}
	c, err := ferrolog.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// newLogFluxClient carries an error's whole chain and structured frames on its wire.
func newLogFluxClient(t *testing.T) *ferrolog.Client {
	return newClient(t, ferrolog.Options{APIKey: "eu-lf_test-key", Endpoint: collectorURL, KeyPersistence: ferrolog.Bool(false)})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
