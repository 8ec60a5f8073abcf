package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
)

// maxChain is how many links of an error's chain the core keeps, the error itself included.
const maxChain = 10

// maxFrames bounds the stack a captured error carries.
const maxFrames = 64

// CaptureOptions change how an error is sent. Message, when set, is the entry's message and
// the error's text travels as the attribute "error"; Level defaults to LevelError;
// Fingerprint is the caller's grouping key; Callers, when set, are the frames to send
// (runtime.Callers program counters, innermost first) instead of those the error carries or
// the capturing goroutine's.
type CaptureOptions struct {
	Message     string
	Level       Level
	Fingerprint string
	Callers     []uintptr
}

// CaptureError sends err with its type, text, chain (errors.Unwrap, the first branch of a
// joined error) and frames: those of the innermost WithStack in the chain, else the stack
// of the call. Captured errors are not held to the minimum level.
func (l *Logger) CaptureError(err error, attrs ...Attr) error {
	return l.capture(err, CaptureOptions{Callers: callers(2)}, attrs)
}

// CaptureErrorWith is CaptureError with options.
func (l *Logger) CaptureErrorWith(err error, opts CaptureOptions, attrs ...Attr) error {
	if opts.Callers == nil {
		opts.Callers = callers(2)
	}
	return l.capture(err, opts, attrs)
}

// capture sends err; opts.Callers are the call's own frames, used when err carries none.
func (l *Logger) capture(err error, opts CaptureOptions, attrs []Attr) error {
	if err == nil {
		return &Error{Call: "ferrolog_capture_error", Code: InvalidArgument, Message: "no error to capture (nil)"}
	}
	chain := chainOf(err)
	pcs := opts.Callers
	if stack := innermostStack(err); stack != nil {
		pcs = stack
	}
	options, jsonErr := json.Marshal(captureOptionsJSON{opts.Message, int32(opts.Level), opts.Fingerprint})
	if jsonErr != nil {
		return jsonErr
	}
	data, encodeErr := appendObject(nil, attrs)
	if encodeErr != nil {
		return encodeErr
	}

	var pins pinned
	defer pins.Unpin()
	frames := framesOf(&pins, pcs)
	causes := make([]C.ferrolog_cause, len(chain)-1)
	for i, link := range chain[1:] {
		causes[i] = C.ferrolog_cause{error_type: pins.str(errorType(link)), message: pins.str(link.Error())}
	}
	// A NULL frame array would make the core take the native stack, meaningless for Go.
	var none C.ferrolog_frame
	framePtr := &none
	if len(frames) > 0 {
		framePtr = &frames[0]
	}
	code, callErr := l.call(func(p *C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_capture_error(p, str(errorType(chain[0])), str(chain[0].Error()), framePtr, C.size_t(len(frames)),
			firstOf(causes), C.size_t(len(causes)), bytesStr(data), bytesStr(options))
	})
	if callErr != nil {
		return callErr
	}
	return outcome("ferrolog_capture_error", code)
}

type captureOptionsJSON struct {
	Message     string `json:"message,omitempty"`
	Level       int32  `json:"level,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// callers are the frames of the goroutine's stack above skip (1 is callers' caller).
func callers(skip int) []uintptr {
	pcs := make([]uintptr, maxFrames)
	return pcs[:runtime.Callers(skip+1, pcs)]
}

func framesOf(pins *pinned, pcs []uintptr) []C.ferrolog_frame {
	var frames []C.ferrolog_frame
	iterator := runtime.CallersFrames(pcs)
	for {
		frame, more := iterator.Next()
		if frame.PC != 0 {
			frames = append(frames, C.ferrolog_frame{function: pins.str(frame.Function), module: pins.str(frame.File), line: C.uint32_t(frame.Line)})
		}
		if !more {
			return frames
		}
	}
}

// chainOf is err and the errors beneath it, outward, with the WithStack wrappers left out
// (they add frames, not a link), at most maxChain.
func chainOf(err error) []error {
	var chain []error
	for current := err; current != nil && len(chain) < maxChain; current = unwrapOne(current) {
		if _, isStack := current.(*stackError); !isStack {
			chain = append(chain, current)
		}
	}
	if len(chain) == 0 { // only WithStack wrappers, around nothing
		chain = append(chain, err)
	}
	return chain
}

func unwrapOne(err error) error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		if links := joined.Unwrap(); len(links) > 0 {
			return links[0]
		}
		return nil
	}
	return errors.Unwrap(err)
}

func errorType(err error) string {
	return fmt.Sprintf("%T", err)
}

func innermostStack(err error) []uintptr {
	var found []uintptr
	for current := err; current != nil; current = unwrapOne(current) {
		if s, ok := current.(*stackError); ok {
			found = s.callers
		}
	}
	return found
}

// stackError is an error with the stack of the place WithStack wrapped it.
type stackError struct {
	err     error
	callers []uintptr
}

func (s *stackError) Error() string { return s.err.Error() }
func (s *stackError) Unwrap() error { return s.err }

// WithStack wraps err with the stack of its caller, which a later CaptureError sends as the
// error's frames. It returns nil for nil.
func WithStack(err error) error {
	if err == nil {
		return nil
	}
	return &stackError{err: err, callers: callers(2)}
}
