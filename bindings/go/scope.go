package ferrolog

// #include "ferrolog.h"
import "C"

// Scope is a logger for one request, say, whose user, request and attributes change as the
// request goes on; its breadcrumb trail starts as a copy of its parent's. Scopes nest.
type Scope struct {
	Logger
}

// Scope starts a scope of this logger.
func (l *Logger) Scope() (*Scope, error) {
	ptr, err := l.h.acquire()
	if err != nil {
		return nil, err
	}
	defer l.h.release()
	var out *C.ferrolog_logger
	if err := check("ferrolog_logger_scope", C.ferrolog_logger_scope(ptr, &out)); err != nil {
		return nil, err
	}
	s := &Scope{Logger{client: l.client}}
	own(s, &s.h, out, freeLogger)
	return s, nil
}

// SetUser sets the scope's user.id.
func (s *Scope) SetUser(userID string) error {
	return s.set("ferrolog_logger_set_user", func(p *C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_logger_set_user(p, str(userID))
	})
}

// SetRequest sets the scope's http.method, http.path and, unless empty, http.request_id.
func (s *Scope) SetRequest(method, path, requestID string) error {
	return s.set("ferrolog_logger_set_request", func(p *C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_logger_set_request(p, str(method), str(path), str(requestID))
	})
}

// SetAttribute sets one string attribute of the scope's later entries.
func (s *Scope) SetAttribute(key, value string) error {
	return s.set("ferrolog_logger_set_attribute", func(p *C.ferrolog_logger) C.ferrolog_result {
		return C.ferrolog_logger_set_attribute(p, str(key), str(value))
	})
}

func (s *Scope) set(call string, do func(*C.ferrolog_logger) C.ferrolog_result) error {
	code, err := s.call(do)
	if err != nil {
		return err
	}
	return check(call, code)
}
