package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"net/http"
	"sync"
)

// Span is a span being timed. End sends its entry. It is safe for use by many goroutines.
type Span struct {
	h      handle[*C.ferrolog_span]
	client *Client

	loggerOnce sync.Once
	logger     *Logger
	loggerErr  error
}

func newSpan(c *Client, ptr *C.ferrolog_span) *Span {
	s := &Span{client: c}
	own(s, &s.h, ptr, func(p *C.ferrolog_span) { C.ferrolog_span_free(p) })
	return s
}

// HeaderKind names a propagation header.
type HeaderKind int32

const (
	// Traceparent is W3C's traceparent.
	Traceparent HeaderKind = C.FERROLOG_HEADER_TRACEPARENT
	// LogFluxTrace is LogFlux's X-LogFlux-Trace.
	LogFluxTrace HeaderKind = C.FERROLOG_HEADER_LOGFLUX
)

// headerNames are the HTTP header names of the kinds, for Inject.
var headerNames = map[HeaderKind]string{Traceparent: "Traceparent", LogFluxTrace: "X-LogFlux-Trace"}

// StartSpan starts a span: a child of the span this logger is bound to (a span's Logger),
// else the root of a new trace. name names this span ("GET /orders"), operation its kind
// ("http.server").
func (l *Logger) StartSpan(name, operation string) (*Span, error) {
	return l.startSpan("ferrolog_span_start", func(p *C.ferrolog_logger, out **C.ferrolog_span) C.ferrolog_result {
		return C.ferrolog_span_start(p, str(name), str(operation), out)
	})
}

// ContinueFromHeaders starts a span continuing the trace an incoming request's headers
// carry (traceparent, else X-LogFlux-Trace), or a new trace without a valid one.
func (l *Logger) ContinueFromHeaders(headers http.Header, name, operation string) (*Span, error) {
	var pins pinned
	defer pins.Unpin()
	array := headerArray(&pins, headers)
	return l.startSpan("ferrolog_span_continue_from_headers", func(p *C.ferrolog_logger, out **C.ferrolog_span) C.ferrolog_result {
		return C.ferrolog_span_continue_from_headers(p, firstOf(array), C.size_t(len(array)), str(name), str(operation), out)
	})
}

func (l *Logger) startSpan(call string, start func(*C.ferrolog_logger, **C.ferrolog_span) C.ferrolog_result) (*Span, error) {
	var out *C.ferrolog_span
	code, err := l.call(func(p *C.ferrolog_logger) C.ferrolog_result { return start(p, &out) })
	if err != nil {
		return nil, err
	}
	if err := check(call, code); err != nil {
		return nil, err
	}
	return newSpan(l.client, out), nil
}

// headerArray is every value of headers as the core's header pairs.
func headerArray(pins *pinned, headers http.Header) []C.ferrolog_header {
	var array []C.ferrolog_header
	for name, values := range headers {
		for _, value := range values {
			array = append(array, C.ferrolog_header{name: pins.str(name), value: pins.str(value)})
		}
	}
	return array
}

// StartChild starts a child of this span: the same trace and sampling decision.
func (s *Span) StartChild(name, operation string) (*Span, error) {
	var out *C.ferrolog_span
	code, err := s.call(func(p *C.ferrolog_span) C.ferrolog_result {
		return C.ferrolog_span_start_child(p, str(name), str(operation), &out)
	})
	if err != nil {
		return nil, err
	}
	if err := check("ferrolog_span_start_child", code); err != nil {
		return nil, err
	}
	return newSpan(s.client, out), nil
}

// SetAttribute sets a string attribute of the span's entry; after End it does nothing.
func (s *Span) SetAttribute(key, value string) error {
	return s.checked("ferrolog_span_set_attribute", func(p *C.ferrolog_span) C.ferrolog_result {
		return C.ferrolog_span_set_attribute(p, str(key), str(value))
	})
}

// SetError marks the span failed, with message as its error.message.
func (s *Span) SetError(message string) error {
	return s.checked("ferrolog_span_set_error", func(p *C.ferrolog_span) C.ferrolog_result {
		return C.ferrolog_span_set_error(p, str(message))
	})
}

// Logger is a logger that stamps the span's trace and span ids on every entry; spans started
// from it are children of this span. The same logger is returned on every call.
func (s *Span) Logger() (*Logger, error) {
	s.loggerOnce.Do(func() {
		var out *C.ferrolog_logger
		code, err := s.call(func(p *C.ferrolog_span) C.ferrolog_result { return C.ferrolog_span_logger(p, &out) })
		if err == nil {
			err = check("ferrolog_span_logger", code)
		}
		if err != nil {
			s.loggerErr = err
			return
		}
		s.logger = newLogger(s.client, out)
	})
	return s.logger, s.loggerErr
}

// Header is the value of the propagation header kind for a request this span makes.
func (s *Span) Header(kind HeaderKind) (string, error) {
	ptr, err := s.h.acquire()
	if err != nil {
		return "", err
	}
	defer s.h.release()
	return readString("ferrolog_span_header", func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result {
		return C.ferrolog_span_header(ptr, C.int32_t(kind), buf, capacity, needed)
	})
}

// Inject sets both propagation headers on an outgoing request's headers.
func (s *Span) Inject(headers http.Header) error {
	for _, kind := range []HeaderKind{Traceparent, LogFluxTrace} {
		value, err := s.Header(kind)
		if err != nil {
			return err
		}
		headers.Set(headerNames[kind], value)
	}
	return nil
}

// End ends the span and sends its entry (nil also when its trace is not sampled). A second
// End is refused with ErrInvalidArgument and sends nothing.
func (s *Span) End() error {
	code, err := s.call(func(p *C.ferrolog_span) C.ferrolog_result { return C.ferrolog_span_end(p) })
	if err != nil {
		return err
	}
	return outcome("ferrolog_span_end", code)
}

// Close frees the span; an unended span sends nothing. Its Logger stays usable. A span not
// closed is freed when it becomes unreachable.
func (s *Span) Close() error {
	s.h.close()
	return nil
}

func (s *Span) call(do func(*C.ferrolog_span) C.ferrolog_result) (C.ferrolog_result, error) {
	ptr, err := s.h.acquire()
	if err != nil {
		return 0, err
	}
	defer s.h.release()
	return do(ptr), nil
}

func (s *Span) checked(call string, do func(*C.ferrolog_span) C.ferrolog_result) error {
	code, err := s.call(do)
	if err != nil {
		return err
	}
	return check(call, code)
}
