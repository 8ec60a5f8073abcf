package ferrolog

// The C side of the binding: the header, the hot calls' cgo annotations and the string
// conversion every call shares. The library itself is linked by link_shared.go or, with the
// `ferrolog_static` build tag, link_static.go.

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
// None of these retains an argument past the call or calls back into Go (the binding sets no
// before-send hook, which would run inside ferrolog_log), so the arguments
// may live on the Go stack and the calls skip cgo's callback bookkeeping.
#cgo noescape ferrolog_log
#cgo nocallback ferrolog_log
#cgo noescape ferrolog_log_typed
#cgo nocallback ferrolog_log_typed
#cgo noescape ferrolog_logger_enabled
#cgo nocallback ferrolog_logger_enabled
#cgo noescape ferrolog_metric
#cgo nocallback ferrolog_metric
#cgo noescape ferrolog_event
#cgo nocallback ferrolog_event
#include "ferrolog.h"
*/
import "C"

import "unsafe"

// str passes a Go string to C for the duration of one call only: the core copies what it
// keeps, so no Go pointer outlives the call.
func str(s string) C.ferrolog_str {
	return C.ferrolog_str{ptr: (*C.char)(unsafe.Pointer(unsafe.StringData(s))), len: C.size_t(len(s))}
}

// bytesPtr is the pointer half of a (ptr, len) argument; nil for an empty slice.
func bytesPtr(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(unsafe.SliceData(b)))
}

// bytesStr passes bytes to C for the duration of one call, as str does.
func bytesStr(b []byte) C.ferrolog_str {
	return C.ferrolog_str{ptr: bytesPtr(b), len: C.size_t(len(b))}
}
