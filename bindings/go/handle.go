package ferrolog

import (
	"runtime"
	"sync"
)

// handle owns one C object (P is its pointer type) for a Go value: Close frees it at once, a
// cleanup frees it when the Go value becomes unreachable unclosed, and the lock keeps Close
// from freeing it while another goroutine is inside a call with it.
type handle[P comparable] struct {
	mu      sync.RWMutex
	ptr     P
	free    func(P)
	cleanup runtime.Cleanup
}

// own makes h, a field of owner, the owner of ptr.
func own[O any, P comparable](owner *O, h *handle[P], ptr P, free func(P)) {
	h.ptr, h.free = ptr, free
	h.cleanup = runtime.AddCleanup(owner, free, ptr)
}

// acquire gives the pointer for one call; release must follow when the call returns.
func (h *handle[P]) acquire() (P, error) {
	h.mu.RLock()
	var closed P
	if h.ptr == closed {
		h.mu.RUnlock()
		return closed, ErrClosed
	}
	return h.ptr, nil
}

func (h *handle[P]) release() { h.mu.RUnlock() }

// close frees the object once; later calls on it give ErrClosed.
func (h *handle[P]) close() {
	h.mu.Lock()
	ptr := h.ptr
	var closed P
	h.ptr = closed
	h.mu.Unlock()
	if ptr != closed {
		h.cleanup.Stop()
		h.free(ptr)
	}
}
