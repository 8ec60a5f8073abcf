package ferrolog_test

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

func TestTheMiddlewareScopesTheRequestAndContinuesItsTrace(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	handler := ferrolog.Middleware(c.Logger(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slog.New(ferrolog.NewHandler(c.Logger(), nil)).InfoContext(r.Context(), m+" handled")
		w.WriteHeader(http.StatusCreated)
	}))
	traceID, parentID := "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	request := httptest.NewRequest("POST", "/orders/"+m, nil)
	request.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	request.Header.Set("X-Request-Id", "req-"+m)
	recorder := httptest.NewRecorder()
	handler.ServeHTTP(recorder, request)
	if recorder.Code != http.StatusCreated {
		t.Fatalf("status %d", recorder.Code)
	}
	span := one(t, c, url.Values{"kind": {"trace"}, "text": {m}})
	if span.Message != "POST /orders/"+m || span.TraceID != traceID || span.ParentSpanID != parentID {
		t.Fatalf("span %+v", span)
	}
	if span.Attributes["http.status_code"] != "201" || span.Attributes["http.duration_ms"] == nil || span.Details["status"] != "ok" {
		t.Fatalf("span attributes %v details %v", span.Attributes, span.Details)
	}
	log := one(t, c, withText(m+" handled"))
	if log.TraceID != traceID || log.SpanID != span.SpanID || log.Attributes["http.request_id"] != "req-"+m || log.Attributes["http.method"] != "POST" {
		t.Fatalf("log %+v", log)
	}
}

func TestAPanicIsCapturedFailsTheSpanAndIsRaisedAgain(t *testing.T) {
	c := newLogFluxClient(t)
	m := marker(t)
	handler := ferrolog.Middleware(c.Logger(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(errors.New(m + " boom"))
	}))
	var raised any
	func() {
		defer func() { raised = recover() }()
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/panic/"+m, nil))
	}()
	if err, ok := raised.(error); !ok || err.Error() != m+" boom" {
		t.Fatalf("the panic was not raised again: %v", raised)
	}
	captured := one(t, c, url.Values{"kind": {"log"}, "text": {m + " boom"}})
	_, frames := chainAndFrames(captured)
	if captured.Level != 3 || len(frames) == 0 || !strings.Contains(frames[0]["function"].(string), "TestAPanicIsCapturedFailsTheSpanAndIsRaisedAgain.func") {
		t.Fatalf("captured %+v", captured)
	}
	span := one(t, c, url.Values{"kind": {"trace"}, "text": {m}})
	if span.Details["status"] != "error" || span.Attributes["http.status_code"] != "500" || captured.TraceID != span.TraceID {
		t.Fatalf("span %+v", span)
	}
}

func TestAServerErrorFailsTheSpan(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	handler := ferrolog.Middleware(c.Logger(), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/down/"+m, nil))
	span := one(t, c, url.Values{"kind": {"trace"}, "text": {m}})
	if span.Details["status"] != "error" || span.Attributes["http.status_code"] != "503" {
		t.Fatalf("span %+v", span)
	}
}

func TestAnAbortedHandlerIsRaisedAgainUncaptured(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	m := marker(t)
	handler := ferrolog.Middleware(c.Logger(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	var raised any
	func() {
		defer func() { raised = recover() }()
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/abort/"+m, nil))
	}()
	if raised != http.ErrAbortHandler {
		t.Fatalf("raised %v", raised)
	}
	entries := sent(t, c, withText(m))
	if len(entries) != 1 || entries[0].Kind != "trace" || entries[0].Attributes["error.message"] != "aborted" {
		t.Fatalf("want only the failed span, got %+v", entries)
	}
}
