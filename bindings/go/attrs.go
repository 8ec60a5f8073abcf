package ferrolog

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Attr is an attribute of an entry: slog's, so slog.String, slog.Int, slog.Group and the
// rest make them.
type Attr = slog.Attr

// appendObject appends attrs as one JSON object, the form every entry call of the core
// takes its attributes in.
func appendObject(buf []byte, attrs []Attr) ([]byte, error) {
	buf = append(buf, '{')
	buf, _, err := appendMembers(buf, attrs, false)
	return append(buf, '}'), err
}

// appendMembers appends attrs as object members, a comma before the first when more is true
// (members precede them), and reports whether any were written. Attrs are read as slog's
// JSONHandler reads them: values resolved, empty attributes and groups left out, the members
// of a group without a key inlined. Groups are walked with a stack of their own rather than
// by recursion, which would make the caller's buffer escape to the heap.
func appendMembers(buf []byte, attrs []Attr, more bool) ([]byte, bool, error) {
	type open struct {
		attrs []Attr
		brace bool // the group wrote "key":{ and needs its }
	}
	var levels [4]open
	stack := append(levels[:0], open{attrs: attrs})
	start := len(buf)
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if len(top.attrs) == 0 {
			if top.brace {
				buf = append(buf, '}')
				more = true
			}
			stack = stack[:len(stack)-1]
			continue
		}
		attr := top.attrs[0]
		top.attrs = top.attrs[1:]
		attr.Value = attr.Value.Resolve()
		if attr.Equal(slog.Attr{}) {
			continue
		}
		group := attr.Value.Kind() == slog.KindGroup
		if group && attr.Key == "" {
			stack = append(stack, open{attrs: attr.Value.Group()})
			continue
		}
		if group && len(attr.Value.Group()) == 0 {
			continue
		}
		if more {
			buf = append(buf, ',')
		}
		if !utf8.ValidString(attr.Key) {
			return buf, true, invalidText("an attribute key")
		}
		buf = append(appendString(buf, attr.Key), ':')
		if group {
			buf = append(buf, '{')
			more = false
			stack = append(stack, open{attrs: attr.Value.Group(), brace: true})
			continue
		}
		var err error
		if buf, err = appendValue(buf, attr.Key, attr.Value); err != nil {
			return buf, true, err
		}
		more = true
	}
	return buf, len(buf) > start, nil
}

// appendValue appends a value of any kind but a group, which appendMembers opens itself.
func appendValue(buf []byte, key string, v slog.Value) ([]byte, error) {
	switch v.Kind() {
	case slog.KindString:
		return appendText(buf, key, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(buf, v.Int64(), 10), nil
	case slog.KindUint64:
		return strconv.AppendUint(buf, v.Uint64(), 10), nil
	case slog.KindFloat64:
		f := v.Float64()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			// JSON has no such numbers; their names keep what was meant.
			return appendString(buf, strconv.FormatFloat(f, 'g', -1, 64)), nil
		}
		return strconv.AppendFloat(buf, f, 'g', -1, 64), nil
	case slog.KindBool:
		return strconv.AppendBool(buf, v.Bool()), nil
	case slog.KindDuration:
		return strconv.AppendInt(buf, int64(v.Duration()), 10), nil
	case slog.KindTime:
		buf = append(buf, '"')
		return append(v.Time().AppendFormat(buf, time.RFC3339Nano), '"'), nil
	}
	value := v.Any()
	if err, ok := value.(error); ok {
		return appendText(buf, key, err.Error())
	}
	data, err := json.Marshal(value)
	if err != nil {
		return buf, &Error{Call: "attributes", Code: InvalidArgument, Message: fmt.Sprintf("attribute %q has no JSON form: %v", key, err)}
	}
	return append(buf, data...), nil
}

func appendText(buf []byte, key, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return buf, invalidText(fmt.Sprintf("the value of attribute %q", key))
	}
	return appendString(buf, s), nil
}

// invalidText names what was not UTF-8, never the text itself, which may be a payload.
func invalidText(what string) error {
	return &Error{Call: "attributes", Code: InvalidUTF8, Message: what + " is not valid UTF-8"}
}

// appendString appends s, valid UTF-8, as a JSON string. Text that needs no escaping, the
// common case, is copied as it is; anything else goes through encoding/json.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			data, _ := json.Marshal(s) // a valid UTF-8 string always marshals
			return append(buf, data...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
