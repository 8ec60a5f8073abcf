package ferrolog_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func traceparentIDs(t *testing.T, header string) (traceID, spanID string) {
	t.Helper()
	parts := strings.Split(header, "-")
	if len(parts) != 4 || parts[0] != "00" || parts[3] != "01" {
		t.Fatalf("traceparent %q", header)
	}
	return parts[1], parts[2]
}

func TestSpansCarriedByTheContextNestAndStampTheirLogs(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	ctx, root, err := ferrolog.StartSpan(context.Background(), c.Logger(), m+" root", "http.server")
	must(t, err)
	must(t, root.SetAttribute("route", "/orders"))
	childCtx, child, err := ferrolog.StartSpan(ctx, c.Logger(), m+" query", "db")
	must(t, err)
	if ferrolog.SpanFromContext(childCtx) != child {
		t.Fatal("the context does not carry the child span")
	}
	must(t, ferrolog.FromContext(childCtx, nil).Info(m+" inside"))
	must(t, child.End())
	must(t, root.End())

	rootHeader, err := root.Header(ferrolog.Traceparent)
	must(t, err)
	traceID, rootID := traceparentIDs(t, rootHeader)
	entries := sent(t, c, withText(m))
	if len(entries) != 3 {
		t.Fatalf("entries %+v", entries)
	}
	inside, childEntry, rootEntry := entries[0], entries[1], entries[2]
	if rootEntry.Kind != "trace" || rootEntry.TraceID != traceID || rootEntry.SpanID != rootID || rootEntry.ParentSpanID != "" {
		t.Errorf("root %+v", rootEntry)
	}
	if rootEntry.Details["operation"] != "http.server" || rootEntry.Attributes["route"] != "/orders" {
		t.Errorf("root details %v attributes %v", rootEntry.Details, rootEntry.Attributes)
	}
	if childEntry.TraceID != traceID || childEntry.ParentSpanID != rootID {
		t.Errorf("child %+v", childEntry)
	}
	if inside.Kind != "log" || inside.TraceID != traceID || inside.SpanID != childEntry.SpanID {
		t.Errorf("log inside %+v", inside)
	}
}

func TestInjectAndContinueFromHeadersJoinOneTrace(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	outgoing, err := c.Logger().StartSpan(m+" client", "http.client")
	must(t, err)
	headers := http.Header{}
	must(t, outgoing.Inject(headers))
	traceID, parentID := traceparentIDs(t, headers.Get("traceparent"))
	if !strings.HasPrefix(headers.Get("X-LogFlux-Trace"), traceID+"-"+parentID) {
		t.Fatalf("X-LogFlux-Trace %q", headers.Get("X-LogFlux-Trace"))
	}
	incoming, err := c.Logger().ContinueFromHeaders(headers, m+" server", "http.server")
	must(t, err)
	must(t, incoming.SetError("boom"))
	must(t, incoming.End())
	e := one(t, c, withText(m+" server"))
	if e.TraceID != traceID || e.ParentSpanID != parentID || e.Details["status"] != "error" || e.Attributes["error.message"] != "boom" {
		t.Fatalf("continued span %+v", e)
	}
}

func TestASpanEndsOnceAndAClosedSpanRefusesCalls(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	span, err := c.Logger().StartSpan(m, "")
	must(t, err)
	must(t, span.End())
	if err := span.End(); !errors.Is(err, ferrolog.ErrInvalidArgument) {
		t.Fatalf("a second End gave %v", err)
	}
	must(t, span.Close())
	if err := span.SetAttribute("k", "v"); !errors.Is(err, ferrolog.ErrClosed) {
		t.Fatalf("a closed span gave %v", err)
	}
	if n := len(sent(t, c, withText(m))); n != 1 {
		t.Fatalf("%d entries", n)
	}
}

func TestRecordSpanSendsASpanTimedElsewhere(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	traceID, err := ferrolog.NewHexID(16)
	must(t, err)
	spanID, err := ferrolog.NewHexID(8)
	must(t, err)
	end := time.Now()
	must(t, c.Logger().RecordSpan(ferrolog.SpanRecord{TraceID: traceID, SpanID: spanID, Name: m, Operation: "job", Start: end.Add(-time.Second), End: end}))
	e := one(t, c, withText(m))
	if e.TraceID != traceID || e.SpanID != spanID {
		t.Fatalf("recorded span %+v", e)
	}
	bad := ferrolog.SpanRecord{TraceID: "zz", SpanID: spanID, Name: m, Start: end, End: end}
	if err := c.Logger().RecordSpan(bad); !errors.Is(err, ferrolog.ErrInvalidArgument) {
		t.Fatalf("a malformed trace id gave %v", err)
	}
}

func TestTraceIDHelpers(t *testing.T) {
	id, err := ferrolog.NewTraceID()
	must(t, err)
	if len(id) != 36 {
		t.Fatalf("trace id %q", id)
	}
	fromRequest, err := ferrolog.TraceIDFromHeaders(http.Header{"X-Request-Id": {"req-42"}})
	must(t, err)
	if fromRequest != "req-42" {
		t.Fatalf("from X-Request-Id: %q", fromRequest)
	}
}
