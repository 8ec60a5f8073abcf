package ferrolog

import (
	"errors"
	"log/slog"
	"testing"
)

func TestTypedTablesHoldKeysAndTextsBackToBack(t *testing.T) {
	var table typedTable
	text, ok := table.fill(nil, []Attr{slog.String("k", "vé"), slog.Int("n", 7), {}, slog.Any("e", errors.New("x"))})
	if !ok || string(text) != "kvénex" || table.n != 3 {
		t.Fatalf("ok %v, text %q, %d rows", ok, text, table.n)
	}
	if table.rows[0].key_len != 1 || table.rows[1].key_len != 1 || table.rows[2].key_len != 1 {
		t.Fatalf("key lengths %d %d %d", table.rows[0].key_len, table.rows[1].key_len, table.rows[2].key_len)
	}
}

func TestAttributesWithoutATypedFormFallBackToJSON(t *testing.T) {
	many := make([]Attr, maxTypedAttributes+1)
	for i := range many {
		many[i] = slog.Int("n", i)
	}
	for name, attrs := range map[string][]Attr{
		"a group":          {slog.Int("n", 1), slog.Group("g", slog.Int("n", 1))},
		"a struct":         {slog.Any("s", struct{ A int }{1})},
		"a list":           {slog.Any("l", []int{1})},
		"more than fit":    many,
		"a keyless group":  {slog.Group("", slog.Int("n", 1))},
		"a valuer's group": {slog.Any("v", groupValuer{})},
	} {
		var table typedTable
		if _, ok := table.fill(nil, attrs); ok {
			t.Errorf("%s: laid out typed", name)
		}
	}
	var table typedTable
	if _, ok := table.fill(nil, many[:maxTypedAttributes]); !ok {
		t.Errorf("a full table fell back")
	}
}

type groupValuer struct{}

func (groupValuer) LogValue() slog.Value { return slog.GroupValue(slog.Int("n", 1)) }
