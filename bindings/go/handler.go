package ferrolog

import (
	"context"
	"log/slog"
	"runtime"
)

// HandlerOptions configure a Handler.
type HandlerOptions struct {
	// Level is the least severe slog level handled, beside the client's minimum level; nil
	// handles every level the client takes.
	Level slog.Leveler
	// AddSource adds the logging call's function, file and line as the attribute "source".
	AddSource bool
}

// Handler is a slog.Handler that logs through ferrolog: records go through the logger the
// context carries (NewContext, StartSpan, the middleware), so they carry its scope and its
// span's trace ids, else through the handler's logger. slog's levels map onto ferrolog's:
// below Info is debug, between Info and Warn notice, above Error critical.
type Handler struct {
	logger *Logger
	opts   HandlerOptions
	// prefix holds the members WithAttrs added, encoded, inside `open` groups still open.
	prefix []byte
	open   int
	// pending are groups WithGroup opened that have no member yet: written only once one
	// arrives, as slog leaves empty groups out.
	pending []string
	// err is the first attribute WithAttrs could not encode, returned by every Handle.
	err error
}

// NewHandler is a Handler logging through l; opts may be nil.
func NewHandler(l *Logger, opts *HandlerOptions) *Handler {
	h := &Handler{logger: l}
	if opts != nil {
		h.opts = *opts
	}
	return h
}

func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	if h.opts.Level != nil && level < h.opts.Level.Level() {
		return false
	}
	return h.target(ctx).Enabled(levelOfSlog(level))
}

func (h *Handler) Handle(ctx context.Context, record slog.Record) error {
	if h.err != nil {
		return h.err
	}
	// The first attributes go into an array by index: a slice appended to inside the
	// closure would move the array to the heap.
	var first [8]slog.Attr
	var more []slog.Attr
	n := 0
	if h.opts.AddSource && record.PC != 0 {
		frame, _ := runtime.CallersFrames([]uintptr{record.PC}).Next()
		first[0] = slog.Any(slog.SourceKey, &slog.Source{Function: frame.Function, File: frame.File, Line: frame.Line})
		n++
	}
	record.Attrs(func(attr slog.Attr) bool {
		if n < len(first) {
			first[n] = attr
			n++
		} else {
			more = append(more, attr)
		}
		return true
	})
	attrs := first[:n]
	if len(more) > 0 {
		attrs = append(attrs[:n:n], more...)
	}
	if len(h.prefix) == 0 && len(h.pending) == 0 {
		// No attributes or groups of WithAttrs and WithGroup to nest these under.
		return h.target(ctx).logAttrs(levelOfSlog(record.Level), record.Message, attrs)
	}
	var stack [attrStackSize]byte
	buf := append(append(stack[:0], '{'), h.prefix...)
	buf, err := h.appendInner(buf, attrs)
	if err != nil {
		return err
	}
	for range h.open + 1 {
		buf = append(buf, '}')
	}
	return h.target(ctx).logJSON(levelOfSlog(record.Level), record.Message, buf)
}

// appendInner appends attrs inside the pending groups, writing nothing when no member results.
func (h *Handler) appendInner(buf []byte, attrs []slog.Attr) ([]byte, error) {
	mark := len(buf)
	more := h.hasMembers()
	for _, group := range h.pending {
		if more {
			buf = append(buf, ',')
		}
		var ok bool
		if buf, ok = appendString(buf, group); !ok {
			return buf, invalidText("a group name")
		}
		buf = append(buf, ':', '{')
		more = false
	}
	buf, wrote, err := appendMembers(buf, attrs, more)
	if err != nil {
		return buf, err
	}
	if !wrote {
		return buf[:mark], nil
	}
	for range h.pending {
		buf = append(buf, '}')
	}
	return buf, nil
}

// hasMembers reports whether a member must be preceded by a comma.
func (h *Handler) hasMembers() bool {
	return len(h.prefix) > 0 && h.prefix[len(h.prefix)-1] != '{'
}

func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 || h.err != nil {
		return h
	}
	next := *h
	next.prefix = append([]byte(nil), h.prefix...)
	mark := len(next.prefix)
	var err error
	next.prefix, err = h.appendInner(next.prefix, attrs)
	if err != nil {
		next.err = err
		return &next
	}
	if len(next.prefix) > mark {
		// The pending groups were written, open: later members go inside them.
		next.prefix = next.prefix[:len(next.prefix)-len(h.pending)]
		next.open += len(h.pending)
		next.pending = nil
	}
	return &next
}

func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	next := *h
	next.pending = append(append([]string(nil), h.pending...), name)
	return &next
}

func (h *Handler) target(ctx context.Context) *Logger {
	if ctx == nil {
		return h.logger
	}
	return FromContext(ctx, h.logger)
}
