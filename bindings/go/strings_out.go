package ferrolog

// #include "ferrolog.h"
import "C"

import "unsafe"

// readString runs a call that writes a NUL-terminated string into a caller buffer, growing
// the buffer once to the size the core reports when the first is too small.
func readString(call string, write func(buf *C.char, capacity C.size_t, needed *C.size_t) C.ferrolog_result) (string, error) {
	buf := make([]byte, 256)
	for {
		var needed C.size_t
		code := write((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &needed)
		switch {
		case code == C.FERROLOG_OK:
			return string(buf[:needed-1]), nil
		case code == C.FERROLOG_BUFFER_TOO_SMALL && int(needed) > len(buf):
			buf = make([]byte, needed)
		default:
			return "", check(call, code)
		}
	}
}
