//go:build ferrolog_static

package ferrolog

// `go build -tags ferrolog_static` links the static library into the program, which then
// runs without libferrolog.so; the libraries listed are those Rust's std needs.

// #cgo LDFLAGS: ${SRCDIR}/../../target/release/libferrolog.a -lpthread -ldl -lm
import "C"
