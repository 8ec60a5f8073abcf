package ferrolog

import (
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Options configure a client; the README's option table says what each one means. A zero
// field keeps the core's default (or, with NewFromEnv, the environment's value); the pointer
// fields are those whose zero is a value of its own, set with Bool, Int and Float. Durations
// travel as seconds. Every field becomes one ferrolog_config_set call, as do the entries of
// Extra, which reach any option by its key.
type Options struct {
	APIKey             string        `option:"api_key"`
	Endpoint           string        `option:"endpoint"`
	Protocol           string        `option:"protocol"`
	Environment        string        `option:"environment"`
	Release            string        `option:"release"`
	Source             string        `option:"source"`
	Node               string        `option:"node"`
	ProjectID          string        `option:"project_id"`
	BatchSize          int           `option:"batch_size"`
	FlushInterval      time.Duration `option:"flush_interval"`
	QueueSize          int           `option:"queue_size"`
	QueueMaxBytes      int           `option:"queue_max_bytes"`
	Overflow           string        `option:"overflow"`
	BlockTimeout       time.Duration `option:"block_timeout"`
	WorkerCount        int           `option:"worker_count"`
	MaxRetries         *int          `option:"max_retries"`
	RetryBackoff       time.Duration `option:"retry_backoff"`
	HTTPTimeout        time.Duration `option:"http_timeout"`
	MinLevel           Level         `option:"min_level"`
	PrivacyMode        *bool         `option:"privacy_mode"`
	SampleRate         *float64      `option:"sample_rate"`
	LogsSampleRate     *float64      `option:"logs_sample_rate"`
	MetricsSampleRate  *float64      `option:"metrics_sample_rate"`
	TracesSampleRate   *float64      `option:"traces_sample_rate"`
	EventsSampleRate   *float64      `option:"events_sample_rate"`
	ErrorsSampleRate   *float64      `option:"errors_sample_rate"`
	ErrorStormLimit    *int          `option:"error_storm_limit"`
	ErrorStormWindow   time.Duration `option:"error_storm_window"`
	MaxBreadcrumbs     *int          `option:"max_breadcrumbs"`
	Compression        string        `option:"compression"`
	CompressionLevel   int           `option:"compression_level"`
	Debug              *bool         `option:"debug"`
	Failsafe           *bool         `option:"failsafe"`
	KeyPersistence     *bool         `option:"key_persistence"`
	KeyPersistencePath string        `option:"key_persistence_path"`
	KeyRotationDays    int           `option:"key_rotation_days"`
	DiscoveryURL       string        `option:"discovery_url"`
	SpoolDir           string        `option:"spool_dir"`
	SpoolMaxBytes      int           `option:"spool_max_bytes"`

	// Extra sets options by key after the fields, for keys this struct does not name.
	Extra map[string]string
}

// Bool, Int and Float make the pointers of the options whose zero means something.
func Bool(v bool) *bool        { return &v }
func Int(v int) *int           { return &v }
func Float(v float64) *float64 { return &v }

type option struct{ key, value string }

var durationType = reflect.TypeFor[time.Duration]()

// pairs lists the options that are set, as the string forms ferrolog_config_set parses.
func (o *Options) pairs() []option {
	var set []option
	value := reflect.ValueOf(o).Elem()
	for i := range value.NumField() {
		key := value.Type().Field(i).Tag.Get("option")
		field := value.Field(i)
		if key == "" || field.IsZero() {
			continue
		}
		set = append(set, option{key, optionText(reflect.Indirect(field))})
	}
	for key, text := range o.Extra {
		set = append(set, option{key, text})
	}
	return set
}

func optionText(v reflect.Value) string {
	switch {
	case v.Type() == durationType:
		return strconv.FormatFloat(time.Duration(v.Int()).Seconds(), 'f', -1, 64)
	case v.Kind() == reflect.String:
		return v.String()
	case v.Kind() == reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case v.CanInt():
		return strconv.FormatInt(v.Int(), 10)
	case v.CanFloat():
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	panic(fmt.Sprintf("ferrolog: option field of type %s has no string form", v.Type()))
}
