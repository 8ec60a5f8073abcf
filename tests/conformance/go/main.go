// The conformance scenario through the Go binding's public API; see ../run.c for the
// arguments and the output, which are the same in every language.
//
// The binding answers nil for an entry accepted and for one filtered alike, so this runner
// reports both as "accepted" (scenario.json: outcomes_not_distinguished).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	ferrolog "github.com/ferrolog/ferrolog/bindings/go"
)

type step map[string]any

func (s step) text(key string) string {
	text, _ := s[key].(string)
	return text
}

type scenario struct {
	Clients map[string]map[string]string `json:"clients"`
	Steps   []step                       `json:"steps"`
}

// attrsOf turns a JSON object into slog attributes as a Go caller would write them: integers
// as slog.Int64, objects as groups.
func attrsOf(value any) []ferrolog.Attr {
	object, _ := value.(map[string]any)
	attrs := make([]ferrolog.Attr, 0, len(object))
	for key, member := range object {
		attrs = append(attrs, attrOf(key, member))
	}
	return attrs
}

func attrOf(key string, value any) ferrolog.Attr {
	switch v := value.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return slog.Int64(key, n)
		}
		f, _ := v.Float64()
		return slog.Float64(key, f)
	case string:
		return slog.String(key, v)
	case bool:
		return slog.Bool(key, v)
	case map[string]any:
		return slog.Attr{Key: key, Value: slog.GroupValue(attrsOf(v)...)}
	case []any:
		items := make([]any, len(v))
		for i, item := range v {
			items[i] = plain(item)
		}
		return slog.Any(key, items)
	}
	return slog.Any(key, value)
}

// plain is a JSON value with its numbers as Go numbers, for slog.Any.
func plain(value any) any {
	if n, ok := value.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return value
}

func number(value any) float64 {
	f, _ := value.(json.Number).Float64()
	return f
}

type runner struct {
	clients []*ferrolog.Client
	loggers map[string]*ferrolog.Logger
	scopes  map[string]*ferrolog.Scope
	spans   map[string]*ferrolog.Span
}

func newRunner(s scenario, options map[string]string, marker string) (*runner, error) {
	r := &runner{loggers: map[string]*ferrolog.Logger{}, scopes: map[string]*ferrolog.Scope{}, spans: map[string]*ferrolog.Span{}}
	for name, own := range s.Clients {
		extra := map[string]string{}
		for _, source := range []map[string]string{options, own} {
			for key, value := range source {
				extra[key] = value
			}
		}
		client, err := ferrolog.New(ferrolog.Options{Extra: extra})
		if err != nil {
			return nil, err
		}
		r.clients = append(r.clients, client)
		if r.loggers[name], err = client.Logger().With(slog.String("conformance.run", marker)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *runner) logger(s step) *ferrolog.Logger {
	if name := s.text("logger"); name != "" {
		if scope, ok := r.scopes[name]; ok {
			return &scope.Logger
		}
		return r.loggers[name]
	}
	return r.loggers["root"]
}

var metricKinds = map[string]ferrolog.MetricKind{"counter": ferrolog.Counter, "gauge": ferrolog.Gauge, "distribution": ferrolog.Distribution}

func (r *runner) perform(s step) error {
	logger, attrs := r.logger(s), attrsOf(s["attributes"])
	span := r.spans[s.text("span")]
	var err error
	switch s.text("call") {
	case "log":
		level, parseErr := ferrolog.ParseLevel(s.text("level"))
		if parseErr != nil {
			return parseErr
		}
		return logger.Log(level, s.text("message"), attrs...)
	case "child":
		r.loggers[s.text("as")], err = logger.With(attrs...)
	case "scope":
		r.scopes[s.text("as")], err = logger.Scope()
	case "metric":
		return logger.Metric(metricKinds[s.text("kind")], s.text("name"), number(s["value"]), s.text("unit"), attrs...)
	case "event":
		return logger.Event(s.text("name"), attrs...)
	case "audit":
		return logger.Audit(ferrolog.Audit{Action: s.text("action"), Actor: s.text("actor"), ActorType: s.text("actor_type"),
			Resource: s.text("resource"), ResourceID: s.text("resource_id"), Outcome: s.text("outcome_field")}, attrs...)
	case "scope_set_user":
		return r.scopes[s.text("logger")].SetUser(s.text("user_id"))
	case "scope_set_request":
		return r.scopes[s.text("logger")].SetRequest(s.text("method"), s.text("path"), s.text("request_id"))
	case "scope_set_attribute":
		return r.scopes[s.text("logger")].SetAttribute(s.text("key"), s.text("value"))
	case "breadcrumb":
		level, parseErr := ferrolog.ParseLevel(s.text("level"))
		if parseErr != nil {
			return parseErr
		}
		data := map[string]string{}
		for key, value := range s["data"].(map[string]any) {
			data[key] = fmt.Sprint(value)
		}
		return logger.AddBreadcrumb(ferrolog.Breadcrumb{Category: s.text("category"), Message: s.text("message"), Level: level, Data: data})
	case "span_start":
		r.spans[s.text("as")], err = logger.StartSpan(s.text("name"), s.text("operation"))
	case "span_set_attribute":
		return span.SetAttribute(s.text("key"), s.text("value"))
	case "span_set_error":
		return span.SetError(s.text("message"))
	case "span_logger":
		r.loggers[s.text("as")], err = span.Logger()
	case "span_end":
		return span.End()
	default:
		return fmt.Errorf("unknown call %s", s.text("call"))
	}
	return err
}

var refusals = []ferrolog.Result{ferrolog.NullArgument, ferrolog.InvalidUTF8, ferrolog.InvalidJSON, ferrolog.InvalidArgument, ferrolog.TooLarge}

func outcome(err error) (string, error) {
	var refused *ferrolog.Error
	switch {
	case err == nil:
		return "accepted", nil
	case errors.As(err, &refused) && slices.Contains(refusals, refused.Code):
		return "refused", nil
	}
	return "", err
}

func run(args []string) error {
	if len(args) != 4 {
		return errors.New("usage: run SCENARIO OPTIONS_JSON MARKER LANGUAGE")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var s scenario
	var options map[string]string
	if err := decoder.Decode(&s); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(args[1]), &options); err != nil {
		return err
	}
	r, err := newRunner(s, options, args[2])
	if err != nil {
		return err
	}
	for index, st := range s.Steps {
		if languages, limited := st["languages"].([]any); limited && !slices.Contains(languages, any(args[3])) {
			continue
		}
		result, err := outcome(r.perform(st))
		if err != nil {
			return fmt.Errorf("step %d: %w", index, err)
		}
		fmt.Printf("{\"step\":%d,\"outcome\":%q}\n", index, result)
	}
	for _, client := range r.clients {
		if _, err := client.Shutdown(10 * time.Second); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "run go:", err)
		os.Exit(2)
	}
}
