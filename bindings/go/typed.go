package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"log/slog"
	"time"
	"unsafe"
)

// maxTypedAttributes is how many attributes a log call passes to the core typed, in a table
// on the caller's stack. A call with more, or with a group or a value only JSON can write,
// encodes its attributes as JSON instead.
const maxTypedAttributes = 8

// typedTable is a log call's attributes as ferrolog_log_typed takes them: kinds, lengths and
// numbers in the table, keys and text values back to back in a text beside it. Neither holds
// a pointer, which is what lets cgo pass them from the Go stack. The text is passed and
// returned, append style, rather than kept in the table, so that it too stays on the stack.
type typedTable struct {
	rows [maxTypedAttributes]C.ferrolog_typed_attribute
	n    int
}

// fill lays attrs out in t and text, reading them as appendMembers does; false when some
// attribute has no typed form or there are more than the table holds.
func (t *typedTable) fill(text []byte, attrs []Attr) ([]byte, bool) {
	for i := range attrs {
		key := attrs[i].Key
		value, kind := resolved(attrs[i].Value)
		if key == "" && value.Equal(slog.Value{}) {
			continue
		}
		if t.n == len(t.rows) {
			return text, false
		}
		row := &t.rows[t.n]
		row.key_len = C.size_t(len(key))
		var ok bool
		if text, ok = setValue(row, append(text, key...), kind, value); !ok {
			return text, false
		}
		t.n++
	}
	return text, true
}

// setValue writes value, of kind, into row, and its text, if it has one, after the key.
func setValue(row *C.ferrolog_typed_attribute, text []byte, kind slog.Kind, value slog.Value) ([]byte, bool) {
	// cgo gives a C union as bytes: each member is written through a pointer of its type.
	member := unsafe.Pointer(&row.value)
	switch kind {
	case slog.KindString:
		text = appendTypedText(row, text, value.String())
	case slog.KindInt64:
		row.kind = C.FERROLOG_VALUE_INT
		*(*int64)(member) = value.Int64()
	case slog.KindUint64:
		row.kind = C.FERROLOG_VALUE_UINT
		*(*uint64)(member) = value.Uint64()
	case slog.KindFloat64:
		row.kind = C.FERROLOG_VALUE_FLOAT
		*(*float64)(member) = value.Float64()
	case slog.KindBool:
		row.kind = C.FERROLOG_VALUE_BOOL
		*(*uint8)(member) = 0
		if value.Bool() {
			*(*uint8)(member) = 1
		}
	case slog.KindDuration:
		row.kind = C.FERROLOG_VALUE_INT
		*(*int64)(member) = int64(value.Duration())
	case slog.KindTime:
		start := len(text)
		text = value.Time().AppendFormat(text, time.RFC3339Nano)
		markText(row, len(text)-start)
	case slog.KindAny:
		switch any := value.Any().(type) {
		case nil:
			row.kind = C.FERROLOG_VALUE_NULL
		case error:
			text = appendTypedText(row, text, any.Error())
		default:
			return text, false
		}
	default:
		return text, false
	}
	return text, true
}

func appendTypedText(row *C.ferrolog_typed_attribute, text []byte, s string) []byte {
	markText(row, len(s))
	return append(text, s...)
}

// markText makes row a text value of n bytes, the ones just appended after its key.
func markText(row *C.ferrolog_typed_attribute, n int) {
	row.kind = C.FERROLOG_VALUE_TEXT
	*(*C.size_t)(unsafe.Pointer(&row.value)) = C.size_t(n)
}

// logTyped logs msg with the attributes in t and text.
func (l *Logger) logTyped(level Level, msg string, t *typedTable, text []byte) error {
	ptr, err := l.h.acquire()
	if err != nil {
		return err
	}
	code := C.ferrolog_log_typed(ptr, C.int32_t(level), (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.size_t(len(msg)),
		&t.rows[0], C.size_t(t.n), bytesPtr(text), C.size_t(len(text)))
	l.h.release()
	return outcome("ferrolog_log_typed", code)
}
