package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"fmt"
	"sync"
)

// ABIVersion is the C ABI this package was written for (FERROLOG_ABI_VERSION in
// include/ferrolog.h).
const ABIVersion = 1

// expectedABI is what the check compares against; a variable so that a test can stand in a
// binding written for another version.
var expectedABI uint32 = ABIVersion

// headerABI is the version of the header this package was compiled against.
const headerABI = C.FERROLOG_ABI_VERSION

// abiChecked runs the check once, at the first call that needs the library.
var abiChecked = sync.OnceValue(abiError)

// abiError compares the loaded library's ABI with the one this package expects.
func abiError() error { return checkABI(uint32(C.ferrolog_abi_version()), expectedABI) }

func checkABI(found, expected uint32) error {
	if found == expected {
		return nil
	}
	return fmt.Errorf("ferrolog: the core library libferrolog implements C ABI version %d, but this "+
		"Go package was written for version %d; rebuild the library and the package so that both "+
		"come from the same checkout", found, expected)
}

// Version is the core library's version, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.ferrolog_version())
}
