package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"fmt"
	"unsafe"
)

// Logger is a client plus inherited attributes. It is safe for use by many goroutines;
// children, scopes and span loggers made from it share its client. Its calls return nil
// when the entry was accepted or left out by the level or sampling, and an error matching
// ErrDropped, ErrShutDown, ErrInvalidUTF8, … otherwise.
type Logger struct {
	h      handle[*C.ferrolog_logger]
	client *Client // kept reachable while a logger of it lives
}

func newLogger(c *Client, ptr *C.ferrolog_logger) *Logger {
	l := &Logger{client: c}
	own(l, &l.h, ptr, freeLogger)
	return l
}

func freeLogger(p *C.ferrolog_logger) { C.ferrolog_logger_free(p) }

// attrStackSize is the attribute text (typed) or JSON a log call lays out without allocating.
const attrStackSize = 256

// Log logs msg at level with attrs.
func (l *Logger) Log(level Level, msg string, attrs ...Attr) error {
	if level < LevelEmergency || level > LevelDebug {
		return &Error{Call: "ferrolog_log", Code: InvalidArgument, Message: fmt.Sprintf("level %d is not 1..8", level)}
	}
	if !l.Enabled(level) {
		return nil
	}
	return l.logAttrs(level, msg, attrs)
}

// logAttrs logs msg with attrs typed when they all have a typed form, else as JSON.
func (l *Logger) logAttrs(level Level, msg string, attrs []Attr) error {
	if len(attrs) == 0 {
		return l.logJSON(level, msg, nil)
	}
	var stack [attrStackSize]byte
	var typed typedTable
	if text, ok := typed.fill(stack[:0], attrs); ok {
		return l.logTyped(level, msg, &typed, text)
	}
	data, err := appendObject(stack[:0], attrs)
	if err != nil {
		return err
	}
	return l.logJSON(level, msg, data)
}

// logJSON logs msg with attributes already encoded as one JSON object (nil for none).
func (l *Logger) logJSON(level Level, msg string, data []byte) error {
	ptr, err := l.h.acquire()
	if err != nil {
		return err
	}
	code := C.ferrolog_log(ptr, C.int32_t(level), (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.size_t(len(msg)),
		bytesPtr(data), C.size_t(len(data)))
	l.h.release()
	return outcome("ferrolog_log", code)
}

func (l *Logger) Debug(msg string, attrs ...Attr) error  { return l.Log(LevelDebug, msg, attrs...) }
func (l *Logger) Info(msg string, attrs ...Attr) error   { return l.Log(LevelInfo, msg, attrs...) }
func (l *Logger) Notice(msg string, attrs ...Attr) error { return l.Log(LevelNotice, msg, attrs...) }
func (l *Logger) Warn(msg string, attrs ...Attr) error   { return l.Log(LevelWarning, msg, attrs...) }
func (l *Logger) Error(msg string, attrs ...Attr) error  { return l.Log(LevelError, msg, attrs...) }
func (l *Logger) Critical(msg string, attrs ...Attr) error {
	return l.Log(LevelCritical, msg, attrs...)
}
func (l *Logger) Alert(msg string, attrs ...Attr) error { return l.Log(LevelAlert, msg, attrs...) }
func (l *Logger) Emergency(msg string, attrs ...Attr) error {
	return l.Log(LevelEmergency, msg, attrs...)
}

// Enabled reports whether an entry at level passes the client's minimum level.
func (l *Logger) Enabled(level Level) bool {
	return int32(level) <= l.client.minLevel.Load()
}

// probeMinLevel asks the core for the level its configuration settled on.
func (l *Logger) probeMinLevel() Level {
	ptr, err := l.h.acquire()
	if err != nil {
		return LevelDebug
	}
	defer l.h.release()
	for level := LevelDebug; level > LevelEmergency; level-- {
		if C.ferrolog_logger_enabled(ptr, C.int32_t(level)) {
			return level
		}
	}
	return LevelEmergency
}

// With is a child logger: this logger's attributes with attrs on top.
func (l *Logger) With(attrs ...Attr) (*Logger, error) {
	data, err := appendObject(nil, attrs)
	if err != nil {
		return nil, err
	}
	return l.derive("ferrolog_logger_child", func(p *C.ferrolog_logger, out **C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_logger_child(p, bytesPtr(data), C.size_t(len(data)), out)
	})
}

// derive makes a logger from this one with create, which the lock keeps this one alive for.
func (l *Logger) derive(call string, create func(*C.ferrolog_logger, **C.ferrolog_logger) C.ferrolog_result) (*Logger, error) {
	ptr, err := l.h.acquire()
	if err != nil {
		return nil, err
	}
	defer l.h.release()
	var out *C.ferrolog_logger
	if err := check(call, create(ptr, &out)); err != nil {
		return nil, err
	}
	return newLogger(l.client, out), nil
}

// call runs one call that needs the logger's pointer and returns the core's result.
func (l *Logger) call(do func(*C.ferrolog_logger) C.ferrolog_result) (C.ferrolog_result, error) {
	ptr, err := l.h.acquire()
	if err != nil {
		return 0, err
	}
	defer l.h.release()
	return do(ptr), nil
}

// send runs a call that sends an entry with attrs.
func (l *Logger) send(call string, attrs []Attr, do func(*C.ferrolog_logger, C.ferrolog_str) C.ferrolog_result) error {
	data, err := appendObject(nil, attrs)
	if err != nil {
		return err
	}
	code, err := l.call(func(p *C.ferrolog_logger) C.ferrolog_result { return do(p, bytesStr(data)) })
	if err != nil {
		return err
	}
	return outcome(call, code)
}

// Close frees the logger; later calls give ErrClosed. A logger not closed is freed when it
// becomes unreachable.
func (l *Logger) Close() error {
	l.h.close()
	return nil
}
