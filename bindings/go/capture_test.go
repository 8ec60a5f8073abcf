package ferrolog_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

var errDeclined = errors.New("card refused")

func charge() error {
	_, err := os.Open("/nonexistent/card")
	return fmt.Errorf("charge: %w", err)
}

func chainAndFrames(e entry) ([]map[string]any, []map[string]any) {
	var chain, frames []map[string]any
	for _, link := range asList(e.Error["error_chain"]) {
		chain = append(chain, link.(map[string]any))
	}
	for _, frame := range asList(e.Error["stack_trace"]) {
		frames = append(frames, frame.(map[string]any))
	}
	return chain, frames
}

func asList(v any) []any {
	list, _ := v.([]any)
	return list
}

func TestAnErrorTravelsWithTypeChainAndTheCallersFrames(t *testing.T) {
	c := newLogFluxClient(t)
	m := marker(t)
	err := fmt.Errorf("%s: %w", m, charge())
	_, _, line, _ := runtime.Caller(0)
	must(t, c.Logger().CaptureError(err)) // line+1
	e := one(t, c, withText(m))
	if e.Error["type"] != "*fmt.wrapError" || e.Level != 4 {
		t.Fatalf("error %v level %d", e.Error, e.Level)
	}
	chain, frames := chainAndFrames(e)
	types := []string{}
	for _, link := range chain {
		types = append(types, link["type"].(string))
	}
	if strings.Join(types, " ") != "*fmt.wrapError *fmt.wrapError *fs.PathError *errors.errorString" &&
		strings.Join(types, " ") != "*fmt.wrapError *fmt.wrapError *fs.PathError syscall.Errno" {
		t.Fatalf("chain %v", chain)
	}
	if len(frames) == 0 || !strings.HasSuffix(frames[0]["function"].(string), "TestAnErrorTravelsWithTypeChainAndTheCallersFrames") {
		t.Fatalf("innermost frame %v", frames)
	}
	if !strings.HasSuffix(frames[0]["file"].(string), "capture_test.go") || frames[0]["line"] != float64(line+1) {
		t.Fatalf("frame %v, want capture_test.go:%d", frames[0], line+1)
	}
}

func TestWithStackSendsWhereTheErrorWasWrapped(t *testing.T) {
	c := newLogFluxClient(t)
	m := marker(t)
	wrapped := func() error { return ferrolog.WithStack(errors.New(m)) }()
	must(t, c.Logger().CaptureError(fmt.Errorf("outer: %w", wrapped)))
	e := one(t, c, withText(m))
	chain, frames := chainAndFrames(e)
	if len(chain) != 2 || chain[1]["type"] != "*errors.errorString" {
		t.Fatalf("the WithStack wrapper is a link of its own: %v", chain)
	}
	if !strings.Contains(frames[0]["function"].(string), "TestWithStackSendsWhereTheErrorWasWrapped.func1") {
		t.Fatalf("innermost frame %v", frames[0])
	}
}

func TestCaptureOptionsSetMessageLevelAndFingerprint(t *testing.T) {
	c := newLogFluxClient(t)
	m := marker(t)
	err := c.Logger().CaptureErrorWith(errDeclined, ferrolog.CaptureOptions{Message: m, Level: ferrolog.LevelCritical, Fingerprint: "fp-1"})
	must(t, err)
	e := one(t, c, withText(m))
	if e.Level != 3 || e.Attributes["error"] != "card refused" || e.Attributes["error.fingerprint"] != "fp-1" {
		t.Fatalf("entry %+v", e)
	}
}

func TestAJoinedErrorFollowsItsFirstBranch(t *testing.T) {
	c := newLogFluxClient(t)
	m := marker(t)
	must(t, c.Logger().CaptureError(errors.Join(fmt.Errorf("%s: %w", m, fs.ErrNotExist), errDeclined)))
	chain, _ := chainAndFrames(one(t, c, withText(m)))
	if len(chain) != 3 || chain[2]["message"] != fs.ErrNotExist.Error() {
		t.Fatalf("chain %v", chain)
	}
}

func TestBreadcrumbsTravelWithACapturedError(t *testing.T) {
	c := newLogFluxClient(t)
	scope, err := c.Logger().Scope()
	must(t, err)
	m := marker(t)
	must(t, scope.AddBreadcrumb(ferrolog.Breadcrumb{Category: "ui", Message: m + " clicked", Level: ferrolog.LevelInfo, Data: map[string]string{"button": "pay"}}))
	must(t, scope.CaptureError(errors.New(m)))
	e := one(t, c, withText(m))
	crumbs := fmt.Sprint(e.Error["breadcrumbs"], e.Attributes["breadcrumbs"])
	if !strings.Contains(crumbs, m+" clicked") || !strings.Contains(crumbs, "pay") {
		t.Fatalf("no breadcrumb in %+v", e)
	}
}

func TestCapturingNilIsRefused(t *testing.T) {
	c := newClient(t, ferrolog.Options{})
	if err := c.Logger().CaptureError(nil); !errors.Is(err, ferrolog.ErrInvalidArgument) {
		t.Fatalf("got %v", err)
	}
}
