package ferrolog

// #include "ferrolog.h"
import "C"

import (
	"fmt"
	"log/slog"
)

// Level is a severity as the core numbers it: 1 Emergency (most severe) … 8 Debug.
type Level int32

const (
	LevelEmergency Level = C.FERROLOG_LEVEL_EMERGENCY
	LevelAlert     Level = C.FERROLOG_LEVEL_ALERT
	LevelCritical  Level = C.FERROLOG_LEVEL_CRITICAL
	LevelError     Level = C.FERROLOG_LEVEL_ERROR
	LevelWarning   Level = C.FERROLOG_LEVEL_WARNING
	LevelNotice    Level = C.FERROLOG_LEVEL_NOTICE
	LevelInfo      Level = C.FERROLOG_LEVEL_INFO
	LevelDebug     Level = C.FERROLOG_LEVEL_DEBUG
)

var levelNames = [...]string{"", "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"}

func (l Level) String() string {
	if l >= LevelEmergency && l <= LevelDebug {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", int32(l))
}

// ParseLevel reads a level name from either name set (warn, warning, fatal, critical, …,
// case-insensitive) or a number "1".."8".
func ParseLevel(name string) (Level, error) {
	if err := abiChecked(); err != nil {
		return 0, err
	}
	var out C.int32_t
	s := str(name)
	if code := C.ferrolog_level_from_name(s.ptr, s.len, &out); code != C.FERROLOG_OK {
		return 0, &Error{Call: "ferrolog_level_from_name", Code: Result(code), Message: fmt.Sprintf("unknown level %q", name)}
	}
	return Level(out), nil
}

// levelOfSlog maps slog's open scale onto the core's eight levels: below Info is Debug, the
// steps between Info and Warn are Notice, and beyond Error is Critical.
func levelOfSlog(l slog.Level) Level {
	switch {
	case l < slog.LevelInfo:
		return LevelDebug
	case l == slog.LevelInfo:
		return LevelInfo
	case l < slog.LevelWarn:
		return LevelNotice
	case l < slog.LevelError:
		return LevelWarning
	case l == slog.LevelError:
		return LevelError
	default:
		return LevelCritical
	}
}
