package ferrolog

// #include "ferrolog.h"
import "C"

import "net/http"

// NewTraceID is a trace id in LuminaLog's form: a random UUID v4.
func NewTraceID() (string, error) {
	if err := abiChecked(); err != nil {
		return "", err
	}
	return readString("ferrolog_generate_trace_id", func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result {
		return C.ferrolog_generate_trace_id(buf, capacity, needed)
	})
}

// NewHexID is a W3C-style id of 2×bytes lowercase hex digits, never all zeros: 16 bytes for
// a trace id, 8 for a span id.
func NewHexID(bytes int) (string, error) {
	if err := abiChecked(); err != nil {
		return "", err
	}
	return readString("ferrolog_generate_hex_id", func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result {
		return C.ferrolog_generate_hex_id(C.size_t(bytes), buf, capacity, needed)
	})
}

// TraceIDFromHeaders is an incoming request's trace id in LuminaLog's order: X-Trace-Id,
// else X-Request-Id, else a valid traceparent's trace id, else a new UUID v4.
func TraceIDFromHeaders(headers http.Header) (string, error) {
	if err := abiChecked(); err != nil {
		return "", err
	}
	var pins pinned
	defer pins.Unpin()
	array := headerArray(&pins, headers)
	return readString("ferrolog_trace_id_from_headers", func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result {
		return C.ferrolog_trace_id_from_headers(firstOf(array), C.size_t(len(array)), buf, capacity, needed)
	})
}
