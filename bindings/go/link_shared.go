//go:build !ferrolog_static

package ferrolog

// The shared library of this checkout, found again at run time through the rpath.

// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -lferrolog -Wl,-rpath,${SRCDIR}/../../target/release
import "C"
