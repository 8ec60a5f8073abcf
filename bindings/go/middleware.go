package ferrolog

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Middleware wraps next so that each request gets its own scope of l (method, path and
// X-Request-Id set) and a span continuing the trace of its incoming headers, named
// "METHOD path", operation "http.server". The request's context carries both (FromContext,
// SpanFromContext, the slog Handler). The span records the status (http.status_code) and
// the duration (http.duration_ms); a 5xx fails it. A panic is captured with its stack,
// fails the span and is raised again; http.ErrAbortHandler is raised again uncaptured.
func Middleware(l *Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, scope, err := ContextWithScope(r.Context(), l)
		if err != nil {
			next.ServeHTTP(w, r) // telemetry failing must not fail the request
			return
		}
		defer scope.Close()
		_ = scope.SetRequest(r.Method, r.URL.Path, r.Header.Get("X-Request-Id"))
		span, err := scope.ContinueFromHeaders(r.Header, r.Method+" "+r.URL.Path, "http.server")
		if err != nil {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		defer span.Close()
		ctx, span, err = withSpan(ctx, span)
		if err != nil {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		recorder := &statusRecorder{ResponseWriter: w}
		started := time.Now()
		defer func() {
			_ = span.SetAttribute("http.duration_ms", strconv.FormatFloat(float64(time.Since(started))/1e6, 'f', 3, 64))
			if v := recover(); v != nil {
				fail(span, v)
				panic(v)
			}
			status := recorder.status()
			_ = span.SetAttribute("http.status_code", strconv.Itoa(status))
			if status >= 500 {
				_ = span.SetError(http.StatusText(status))
			}
			_ = span.End()
		}()
		next.ServeHTTP(recorder, r.WithContext(ctx))
	})
}

// fail records a handler's panic on its span: captured with the panicking stack unless it is
// http.ErrAbortHandler, which net/http uses to abort a response on purpose.
func fail(span *Span, v any) {
	_ = span.SetAttribute("http.status_code", "500")
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		_ = span.SetError("aborted")
		_ = span.End()
		return
	}
	err, ok := v.(error)
	if !ok {
		err = fmt.Errorf("panic: %v", v)
	}
	_ = span.SetError(err.Error())
	if logger, loggerErr := span.Logger(); loggerErr == nil {
		_ = logger.CaptureErrorWith(err, CaptureOptions{Level: LevelCritical, Callers: panicCallers()})
	}
	_ = span.End()
}

// panicCallers is the stack of a panic, from a function deferred while it unwinds: the
// frames beneath runtime.gopanic and the runtime's own panic helpers (sigpanic, panicmem, …),
// so the first frame is the one that panicked.
func panicCallers() []uintptr {
	pcs := callers(1)
	for i, pc := range pcs {
		if runtime.FuncForPC(pc-1).Name() != "runtime.gopanic" {
			continue
		}
		rest := pcs[i+1:]
		for len(rest) > 0 && strings.HasPrefix(runtime.FuncForPC(rest[0]-1).Name(), "runtime.") {
			rest = rest[1:]
		}
		return rest
	}
	return pcs
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(data []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(data)
}

func (s *statusRecorder) status() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// Unwrap lets http.ResponseController reach the writer's Flush, Hijack and deadlines.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
