package ferrolog

import (
	"strings"
	"testing"
)

func TestTheBindingWasWrittenForTheHeadersABI(t *testing.T) {
	if ABIVersion != headerABI {
		t.Fatalf("the binding says ABI %d, include/ferrolog.h says %d", ABIVersion, headerABI)
	}
	if err := abiChecked(); err != nil {
		t.Fatalf("the built library fails the check: %v", err)
	}
}

func TestAnABIMismatchSaysWhichVersionsAndWhatToDo(t *testing.T) {
	saved := expectedABI
	expectedABI = ABIVersion + 1
	defer func() { expectedABI = saved }()
	err := abiError()
	if err == nil {
		t.Fatal("a mismatch passed")
	}
	want := "ferrolog: the core library libferrolog implements C ABI version 1, but this Go package was " +
		"written for version 2; rebuild the library and the package so that both come from the same checkout"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("message %q", err)
	}
}
