package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// pinned passes strings inside Go arrays handed to C (frames, headers, readings): cgo lets
// Go memory given to C hold Go pointers only when they are pinned. Unpin after the call.
type pinned struct{ runtime.Pinner }

func (p *pinned) str(s string) C.ferrolog_str {
	if len(s) > 0 {
		p.Pin(unsafe.StringData(s))
	}
	return str(s)
}
