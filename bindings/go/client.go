package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"context"
	"sync/atomic"
	"time"
)

// Client is a running ferrolog client. It is safe for use by many goroutines. Close (or
// Shutdown) it before the program exits: cleanups do not run at exit, and entries still
// queued are then lost.
type Client struct {
	h handle[*C.ferrolog_client]
	// minLevel mirrors the core's level gate so that a call below it skips encoding its
	// attributes; SetMinLevel is the only way the core's changes after start.
	minLevel atomic.Int32
	root     *Logger
}

// New starts a client with opts. Nothing touches the network here.
func New(opts Options) (*Client, error) {
	return start(opts, false)
}

// NewFromEnv starts a client configured from the environment (FERROLOG_*, LOGFLUX_*,
// LUMINALOG_API_KEY, ENVIRONMENT, …), with the options set in opts winning.
func NewFromEnv(opts Options) (*Client, error) {
	return start(opts, true)
}

func start(opts Options, fromEnv bool) (*Client, error) {
	if err := abiChecked(); err != nil {
		return nil, err
	}
	var config *C.ferrolog_config
	if err := check("ferrolog_config_new", C.ferrolog_config_new(&config)); err != nil {
		return nil, err
	}
	defer C.ferrolog_config_free(config)
	var detail *C.ferrolog_error
	if fromEnv {
		if code := C.ferrolog_config_apply_env(config, &detail); code != C.FERROLOG_OK {
			return nil, takeError("ferrolog_config_apply_env", "", code, detail)
		}
	}
	for _, o := range opts.pairs() {
		key, value := str(o.key), str(o.value)
		if code := C.ferrolog_config_set(config, key.ptr, key.len, value.ptr, value.len, &detail); code != C.FERROLOG_OK {
			return nil, takeError("ferrolog_config_set", o.key, code, detail)
		}
	}
	var ptr *C.ferrolog_client
	if code := C.ferrolog_client_new(config, &ptr, &detail); code != C.FERROLOG_OK {
		return nil, takeError("ferrolog_client_new", "", code, detail)
	}
	c := &Client{}
	own(c, &c.h, ptr, func(p *C.ferrolog_client) { C.ferrolog_client_free(p) })
	var root *C.ferrolog_logger
	if err := check("ferrolog_client_logger", C.ferrolog_client_logger(ptr, &root)); err != nil {
		c.Close()
		return nil, err
	}
	c.root = newLogger(c, root)
	c.minLevel.Store(int32(c.root.probeMinLevel()))
	return c, nil
}

// Logger is the client's root logger, with no attributes of its own.
func (c *Client) Logger() *Logger { return c.root }

// SetMinLevel changes the minimum level at run time.
func (c *Client) SetMinLevel(level Level) error {
	ptr, err := c.h.acquire()
	if err != nil {
		return err
	}
	defer c.h.release()
	if err := check("ferrolog_client_set_min_level", C.ferrolog_client_set_min_level(ptr, C.int32_t(level))); err != nil {
		return err
	}
	c.minLevel.Store(int32(level))
	return nil
}

// Flush sends everything logged before the call, waiting at most timeout. It returns the
// entries still owed and, when some were, an error matching ErrTimeout.
func (c *Client) Flush(timeout time.Duration) (left uint64, err error) {
	return c.settle("ferrolog_client_flush", timeout, func(p *C.ferrolog_client, ms C.uint64_t, left *C.uint64_t) C.ferrolog_result {
		return C.ferrolog_client_flush(p, ms, left)
	})
}

// Shutdown stops accepting entries, delivers what is owed within timeout, drops the rest
// and stops the workers. Later calls do nothing and report the same way. The client still
// needs Close (or its cleanup) to free it.
func (c *Client) Shutdown(timeout time.Duration) (left uint64, err error) {
	return c.settle("ferrolog_client_shutdown", timeout, func(p *C.ferrolog_client, ms C.uint64_t, left *C.uint64_t) C.ferrolog_result {
		return C.ferrolog_client_shutdown(p, ms, left)
	})
}

// flushSlice bounds each wait of FlushContext, so that a cancelled context is noticed soon.
const flushSlice = 100 * time.Millisecond

// FlushContext flushes until everything owed is settled or ctx is done, in which case it
// returns ctx's error beside the entries still owed.
func (c *Client) FlushContext(ctx context.Context) (left uint64, err error) {
	for {
		wait := flushSlice
		if deadline, ok := ctx.Deadline(); ok {
			wait = min(wait, max(time.Until(deadline), 0))
		}
		left, err = c.Flush(wait)
		if err == nil || !isTimeout(err) {
			return left, err
		}
		if ctx.Err() != nil {
			return left, ctx.Err()
		}
	}
}

// closeTimeout is how long Close, and ShutdownContext with a context without a deadline,
// give the workers to stop once everything is flushed.
const closeTimeout = 2 * time.Second

// ShutdownContext flushes while ctx allows, then shuts down; what ctx's end cut short is
// dropped.
func (c *Client) ShutdownContext(ctx context.Context) (left uint64, err error) {
	_, flushErr := c.FlushContext(ctx)
	timeout := closeTimeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = time.Until(deadline)
	}
	if ctx.Err() != nil {
		timeout = 0
	}
	left, err = c.Shutdown(timeout)
	if err == nil && flushErr != nil && !isTimeout(flushErr) {
		err = flushErr
	}
	return left, err
}

func (c *Client) settle(call string, timeout time.Duration, do func(*C.ferrolog_client, C.uint64_t, *C.uint64_t) C.ferrolog_result) (uint64, error) {
	ptr, err := c.h.acquire()
	if err != nil {
		return 0, err
	}
	defer c.h.release()
	var left C.uint64_t
	code := do(ptr, C.uint64_t(max(timeout, 0).Milliseconds()), &left)
	return uint64(left), check(call, code)
}

func isTimeout(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Code == Timeout
}

// Close shuts the client down, waiting up to 2 s for owed entries if it was still running,
// and frees it along with its root logger. Loggers made from it stay usable; their calls
// then return ErrShutDown. Close is idempotent.
func (c *Client) Close() error {
	if c.root != nil {
		c.root.Close()
	}
	c.h.close()
	return nil
}
