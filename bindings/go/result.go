package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"errors"
	"fmt"
)

// Result is the core's result code (ferrolog_result): stable numbers, never renumbered.
type Result int32

const (
	OK              Result = C.FERROLOG_OK
	Filtered        Result = C.FERROLOG_FILTERED
	Dropped         Result = C.FERROLOG_DROPPED
	ShutDown        Result = C.FERROLOG_SHUT_DOWN
	NullArgument    Result = C.FERROLOG_NULL_ARGUMENT
	InvalidUTF8     Result = C.FERROLOG_INVALID_UTF8
	InvalidJSON     Result = C.FERROLOG_INVALID_JSON
	InvalidArgument Result = C.FERROLOG_INVALID_ARGUMENT
	ConfigRefused   Result = C.FERROLOG_CONFIG_ERROR
	BufferTooSmall  Result = C.FERROLOG_BUFFER_TOO_SMALL
	Timeout         Result = C.FERROLOG_TIMEOUT
	Panic           Result = C.FERROLOG_PANIC
	TooLarge        Result = C.FERROLOG_TOO_LARGE
)

// String is the core's description of the code.
func (r Result) String() string {
	return C.GoString(C.ferrolog_result_str(C.int32_t(r)))
}

// Error is a call into the core that failed: the call, its code and, when the core gave
// one, a message naming what was wrong (for options, the option and the reason).
type Error struct {
	Call    string
	Code    Result
	Message string
	// Option names the refused option when the error came from setting one.
	Option string
}

func (e *Error) Error() string {
	detail := e.Message
	if detail == "" {
		detail = e.Code.String()
	}
	return fmt.Sprintf("ferrolog: %s: %s", e.Call, detail)
}

// Is matches the sentinel errors below by code, so errors.Is(err, ferrolog.ErrDropped) holds
// for any call's dropped entry.
func (e *Error) Is(target error) bool {
	var sentinel *Error
	return errors.As(target, &sentinel) && sentinel.Call == "" && sentinel.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrDropped         = &Error{Code: Dropped}
	ErrShutDown        = &Error{Code: ShutDown}
	ErrInvalidUTF8     = &Error{Code: InvalidUTF8}
	ErrInvalidJSON     = &Error{Code: InvalidJSON}
	ErrInvalidArgument = &Error{Code: InvalidArgument}
	ErrConfig          = &Error{Code: ConfigRefused}
	ErrTimeout         = &Error{Code: Timeout}
	ErrTooLarge        = &Error{Code: TooLarge}
)

// ErrClosed is returned by every method of a client, logger or span after its Close.
var ErrClosed = errors.New("ferrolog: use of a closed handle")

// check is nil for OK, else the call's error.
func check(call string, code C.ferrolog_result) error {
	if code == C.FERROLOG_OK {
		return nil
	}
	return &Error{Call: call, Code: Result(code)}
}

// outcome is the error of a call that sends an entry: nil when it was accepted or filtered
// (below the level, or sampled out), which is the call working as configured.
func outcome(call string, code C.ferrolog_result) error {
	if code == C.FERROLOG_OK || code == C.FERROLOG_FILTERED {
		return nil
	}
	return &Error{Call: call, Code: Result(code)}
}

// takeError is the failure of a call that answers an error object, which it frees.
func takeError(call, option string, code C.ferrolog_result, detail *C.ferrolog_error) error {
	defer C.ferrolog_error_free(detail)
	return &Error{Call: call, Code: Result(code), Message: C.GoString(C.ferrolog_error_message(detail)), Option: option}
}
