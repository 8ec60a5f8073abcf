package ferrolog

import (
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"testing"
	"time"
)

type token string

// LogValue hides the token, as a LogValuer may.
func (token) LogValue() slog.Value { return slog.StringValue("redacted") }

func TestAttributesEncodeAsSlogsJSONHandlerReadsThem(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	attrs := []Attr{
		slog.String("plain", "text"), slog.String("accented", "café ünï"),
		slog.String("escaped", "quote \" backslash \\ newline \n tab \t <html> é"),
		slog.Int("int", -3), slog.Uint64("uint", 1<<63), slog.Float64("float", 1.5e300), slog.Bool("bool", false),
		slog.Duration("took", 1500*time.Millisecond), slog.Time("at", at),
		slog.Any("err", errors.New("boom")), slog.Any("list", []int{1, 2}), slog.Any("secret", token("t0ps3cret")),
		slog.Group("outer", slog.String("a", "1"), slog.Group("inner", slog.Int("b", 2)), slog.Group("empty")),
		slog.Group("", slog.String("inlined", "yes")),
		{}, // an empty attribute is left out
	}
	data, err := appendObject(nil, attrs)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	want := map[string]any{
		"plain": "text", "accented": "café ünï", "escaped": "quote \" backslash \\ newline \n tab \t <html> é",
		"int": -3.0, "uint": float64(uint64(1 << 63)), "float": 1.5e300, "bool": false,
		"took": 1.5e9, "at": "2026-01-02T03:04:05.000000006Z",
		"err": "boom", "list": []any{1.0, 2.0}, "secret": "redacted",
		"outer":   map[string]any{"a": "1", "inner": map[string]any{"b": 2.0}},
		"inlined": "yes",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
}

func TestNoAttributesEncodeAsAnEmptyObject(t *testing.T) {
	data, err := appendObject(nil, []Attr{{}, slog.Group("none")})
	if err != nil || string(data) != "{}" {
		t.Fatalf("%q, %v", data, err)
	}
}

func TestSlogLevelsBetweenTheNamedOnes(t *testing.T) {
	for level, want := range map[slog.Level]Level{-8: LevelDebug, -1: LevelDebug, 0: LevelInfo, 1: LevelNotice, 3: LevelNotice,
		4: LevelWarning, 7: LevelWarning, 8: LevelError, 9: LevelCritical, 100: LevelCritical} {
		if got := levelOfSlog(level); got != want {
			t.Errorf("slog level %d became %v, want %v", level, got, want)
		}
	}
}

func TestGroupsNestedTooDeepAreRefused(t *testing.T) {
	attr := slog.String("leaf", "v")
	for range maxAttributeDepth - 1 {
		attr = slog.Group("g", attr)
	}
	if _, err := appendObject(nil, []Attr{attr}); err != nil {
		t.Fatalf("%d levels refused: %v", maxAttributeDepth, err)
	}
	if _, err := appendObject(nil, []Attr{slog.Group("g", attr)}); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("%d levels gave %v", maxAttributeDepth+1, err)
	}
}
