package ferrolog

import (
	"runtime"
	"testing"
	"time"
)

type owner struct{ h handle[*int] }

func TestAnUnreachableOwnerIsFreedByItsCleanup(t *testing.T) {
	freed := make(chan int, 1)
	func() {
		o := &owner{}
		value := 42
		own(o, &o.h, &value, func(p *int) { freed <- *p })
	}()
	deadline := time.After(5 * time.Second)
	for {
		runtime.GC()
		select {
		case v := <-freed:
			if v != 42 {
				t.Fatalf("freed %d", v)
			}
			return
		case <-deadline:
			t.Fatal("the cleanup never freed the object")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestCloseFreesOnceAndCancelsTheCleanup(t *testing.T) {
	frees := make(chan int, 4)
	o := &owner{}
	value := 7
	own(o, &o.h, &value, func(p *int) { frees <- *p })
	o.h.close()
	o.h.close()
	if _, err := o.h.acquire(); err != ErrClosed {
		t.Fatalf("acquire after close: %v", err)
	}
	o = nil
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if len(frees) != 1 {
		t.Fatalf("freed %d times", len(frees))
	}
}
