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

// maxAttributeDepth is how deep attribute groups may nest, the outermost object included.
// The core takes 64; the encoder's stack of open groups is a fixed array of this size, zeroed
// on every call, and 16 levels of slog groups are already far beyond use.
const maxAttributeDepth = 16

// Attr is an attribute of an entry: slog's, so slog.String, slog.Int, slog.Group and the
// rest make them. Groups nest at most 16 levels deep.
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
// of a group without a key inlined.
func appendMembers(buf []byte, attrs []Attr, more bool) ([]byte, bool, error) {
	start := len(buf)
	var err error
	for i := range attrs {
		if value, kind := resolved(attrs[i].Value); kind == slog.KindGroup {
			buf, more, err = appendGroups(buf, attrs[i:i+1], more)
		} else {
			buf, more, err = appendMember(buf, attrs[i].Key, value, more)
		}
		if err != nil {
			return buf, true, err
		}
	}
	return buf, len(buf) > start, nil
}

// appendMember appends one attribute, its value resolved and not a group.
func appendMember(buf []byte, key string, value slog.Value, more bool) ([]byte, bool, error) {
	// Only a keyless attribute can be empty; comparing every value with the zero one costs a
	// fifth of the encoding.
	if key == "" && value.Equal(slog.Value{}) {
		return buf, more, nil
	}
	buf, err := appendKey(buf, key, more)
	if err != nil {
		return buf, true, err
	}
	buf, err = appendValue(buf, key, value)
	return buf, true, err
}

// resolved is v with its LogValuer resolved, and its kind. Resolve itself would do, but it
// sets up a recover for every value, a fifth of the encoding's time; and Kind is a type
// switch, so its answer is handed on rather than asked again.
func resolved(v slog.Value) (slog.Value, slog.Kind) {
	kind := v.Kind()
	if kind == slog.KindLogValuer {
		v = v.Resolve()
		kind = v.Kind()
	}
	return v, kind
}

func appendKey(buf []byte, key string, more bool) ([]byte, error) {
	if more {
		buf = append(buf, ',')
	}
	buf, ok := appendString(buf, key)
	if !ok {
		return buf, invalidText("an attribute key")
	}
	return append(buf, ':'), nil
}

// appendGroups appends attrs, groups among them, walking the groups with a stack of their own
// rather than by recursion, which would make the caller's buffer and attributes escape to
// the heap. The stack is a fixed array, never grown, for the same reason.
func appendGroups(buf []byte, attrs []Attr, more bool) ([]byte, bool, error) {
	type open struct {
		attrs []Attr
		brace bool // the group wrote "key":{ and needs its }
	}
	var levels [maxAttributeDepth]open
	levels[0] = open{attrs: attrs}
	depth := 1
	var err error
	for depth > 0 {
		top := &levels[depth-1]
		if len(top.attrs) == 0 {
			if top.brace {
				buf = append(buf, '}')
				more = true
			}
			depth--
			continue
		}
		attr := top.attrs[0]
		top.attrs = top.attrs[1:]
		var kind slog.Kind
		if attr.Value, kind = resolved(attr.Value); kind != slog.KindGroup {
			if buf, more, err = appendMember(buf, attr.Key, attr.Value, more); err != nil {
				return buf, true, err
			}
			continue
		}
		group := attr.Value.Group()
		if len(group) == 0 {
			continue
		}
		if depth == len(levels) {
			return buf, true, &Error{Call: "attributes", Code: InvalidJSON,
				Message: fmt.Sprintf("attribute groups nest deeper than %d levels", maxAttributeDepth)}
		}
		brace := attr.Key != ""
		if brace {
			if buf, err = appendKey(buf, attr.Key, more); err != nil {
				return buf, true, err
			}
			buf = append(buf, '{')
			more = false
		}
		levels[depth] = open{attrs: group, brace: brace}
		depth++
	}
	return buf, more, nil
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
			// JSON has no such numbers: null, as the Python and Node bindings write them.
			return append(buf, "null"...), nil
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
	buf, ok := appendString(buf, s)
	if !ok {
		return buf, invalidText(fmt.Sprintf("the value of attribute %q", key))
	}
	return buf, nil
}

// invalidText names what was not UTF-8, never the text itself, which may be a payload.
func invalidText(what string) error {
	return &Error{Call: "attributes", Code: InvalidUTF8, Message: what + " is not valid UTF-8"}
}

// plainASCII marks the bytes a JSON string may hold as they are and that are ASCII: one table
// load per byte is the cheapest test.
var plainASCII = func() (table [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		table[c] = c != '"' && c != '\\'
	}
	return table
}()

// appendString appends s as a JSON string, or reports that s is not UTF-8. ASCII that needs
// no escaping, the common case, takes one pass over s.
func appendString(buf []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		if !plainASCII[s[i]] {
			return appendUncommonString(buf, s)
		}
	}
	return appendQuoted(buf, s), true
}

// appendUncommonString appends s, which is not plain ASCII: checked as UTF-8, copied as it is
// when nothing in it needs escaping, and escaped by encoding/json otherwise.
func appendUncommonString(buf []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return buf, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			data, _ := json.Marshal(s) // a valid UTF-8 string always marshals
			return append(buf, data...), true
		}
	}
	return appendQuoted(buf, s), true
}

func appendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
