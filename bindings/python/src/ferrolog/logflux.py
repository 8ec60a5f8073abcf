"""The LogFlux Python SDK's API over the ferrolog core: a program written for `logflux`
works after changing only its import to `import ferrolog.logflux as logflux`.

`init(Options(...))` starts one client for the process, always speaking LogFlux; the module's
functions send through it, and `with_scope(fn)` runs `fn` with a scope of its own, which the
module's functions use too while `fn` runs (also across `await`). Every function returns the
core's `Result` (`OK`, `FILTERED` by level, sampling or a hook, `DROPPED`, `SHUT_DOWN`), a
ferrolog addition; bad arguments raise TypeError or ValueError, and a call before `init`
raises RuntimeError. After `close()` calls are accepted and answer `SHUT_DOWN`.

What the SDK does with no core counterpart, and what this does:
- its queue, worker threads, batching, retry, encryption and key persistence: the core's;
- `failsafe`: the core never raises into Python; with `failsafe=False` an exception raised
  by a before-send hook is raised by the call that logged the entry, otherwise it is
  reported through the `ferrolog` stdlib logger and the entry is sent as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from enum import IntEnum
from types import TracebackType
from typing import Any, Self, TypeVar

from . import span as core_span
from ._logflux_options import DEFAULTS, Options, check_field, core_options_of, hooks_of
from .client import Client
from .context import current_logger, request_scope
from .errors import Result
from .logger import Logger
from .logger import Scope as CoreScope

__all__ = [
    "LogLevel",
    "Options",
    "Result",
    "Scope",
    "Span",
    "add_breadcrumb",
    "alert",
    "audit",
    "capture_error",
    "close",
    "continue_from_headers",
    "counter",
    "critical",
    "debug",
    "distribution",
    "emergency",
    "error",
    "event",
    "flush",
    "gauge",
    "info",
    "init",
    "init_from_env",
    "log",
    "notice",
    "start_span",
    "warn",
    "warning",
    "with_scope",
]

Returned = TypeVar("Returned")
Attributes = Mapping[str, Any] | None


class LogLevel(IntEnum):
    """LogFlux's eight severities, the syslog numbers."""

    EMERGENCY = 1
    ALERT = 2
    CRITICAL = 3
    ERROR = 4
    WARNING = 5
    WARN = 5
    NOTICE = 6
    INFO = 7
    DEBUG = 8


def _attributes(call: str, attributes: Attributes) -> dict[str, Any]:
    if attributes is None:
        return {}
    if not isinstance(attributes, Mapping):
        raise TypeError(f"ferrolog.logflux: {call} attributes must be a dict, not {type(attributes).__name__}")
    for key in attributes:
        if not isinstance(key, str):
            raise TypeError(f"ferrolog.logflux: {call} attribute names must be str, not {type(key).__name__}")
    return dict(attributes)


class Span:
    """A span being timed. `start_child`, `set_attribute`, `set_error`, `end`, and
    `trace_header`, the `X-LogFlux-Trace` value for a request it makes; also a context
    manager that ends it, failed if an exception escaped."""

    def __init__(self, span: core_span.Span) -> None:
        self._span = span

    def start_child(self, operation: str, description: str = "") -> Span:
        """A child span: the same trace and sampling decision."""
        return Span(self._span.child(description, operation))

    def set_attribute(self, key: str, value: str) -> None:
        self._span.set_attribute(key, value)

    def set_error(self, message: str) -> None:
        """Marks the span failed, with `message` as its `error.message`."""
        self._span.set_error(message)

    @property
    def trace_header(self) -> str:
        return self._span.header("logflux")

    @property
    def traceparent(self) -> str:
        """The W3C `traceparent` value for the same span (a ferrolog addition)."""
        return self._span.header("traceparent")

    @property
    def ended(self) -> bool:
        return self._span.ended

    def end(self) -> Result:
        """Ends the span and sends its entry; a second end raises."""
        return self._span.end()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._span.__exit__(exc_type, exc, traceback)


def _at(level: LogLevel) -> Callable[..., Result]:
    def log_at(self: _Entries, message: str, attributes: Attributes = None) -> Result:
        return self.log(level, message, attributes)

    name = level.name.lower()
    log_at.__name__ = log_at.__qualname__ = name
    log_at.__doc__ = f"Logs `message` at {name} with `attributes` (a dict)."
    return log_at


class _Entries:
    """What the module and a scope both send, through `_logger()`."""

    def _logger(self) -> Logger:
        raise NotImplementedError

    def log(self, level: LogLevel | int | str, message: str, attributes: Attributes = None) -> Result:
        """Logs `message` at `level` (a LogLevel, 1–8 or a level name) with `attributes`."""
        return self._logger().log(level, message, **_attributes("log", attributes))

    debug = _at(LogLevel.DEBUG)
    info = _at(LogLevel.INFO)
    notice = _at(LogLevel.NOTICE)
    warn = _at(LogLevel.WARN)
    warning = _at(LogLevel.WARNING)
    error = _at(LogLevel.ERROR)
    critical = _at(LogLevel.CRITICAL)
    alert = _at(LogLevel.ALERT)
    emergency = _at(LogLevel.EMERGENCY)

    def counter(self, name: str, value: float, attributes: Attributes = None) -> Result:
        return self._logger().send_metric("counter", name, value, "", _attributes("counter", attributes))

    def gauge(self, name: str, value: float, attributes: Attributes = None) -> Result:
        return self._logger().send_metric("gauge", name, value, "", _attributes("gauge", attributes))

    def distribution(self, name: str, value: float, attributes: Attributes = None) -> Result:
        return self._logger().send_metric(
            "distribution", name, value, "", _attributes("distribution", attributes)
        )

    def event(self, name: str, attributes: Attributes = None) -> Result:
        return self._logger().event(name, **_attributes("event", attributes))

    def audit(
        self, action: str, actor: str, resource: str, resource_id: str = "", attributes: Attributes = None
    ) -> Result:
        """Records that `actor` did `action` to `resource`; never sampled."""
        return self._logger().send_audit(
            action, actor, resource, resource_id, "", "", _attributes("audit", attributes)
        )

    def capture_error(self, err: BaseException, attributes: Attributes = None) -> Result:
        """Sends `err` with its stack trace, cause chain and the breadcrumb trail."""
        return self._logger().send_error(err, None, _attributes("capture_error", attributes))

    def add_breadcrumb(self, category: str, message: str, data: Attributes = None) -> None:
        """Adds to the trail attached to the next captured error; `data` values travel as str."""
        self._logger().add_breadcrumb(message, category, None, _attributes("add_breadcrumb", data))

    def start_span(self, operation: str, description: str = "") -> Span:
        """Starts a span (a new trace's root): `start_span("http.server", "GET /api/users")`."""
        return Span(self._logger().span(description, operation))

    def continue_from_headers(
        self,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        operation: str,
        description: str = "",
    ) -> Span:
        """Starts a span continuing the trace of an incoming request's headers
        (`X-LogFlux-Trace`, or W3C `traceparent`), or a new trace without one."""
        return Span(self._logger().continue_from_headers(headers, description, operation))


class Scope(_Entries):
    """One request's context: its user, request and attributes go on every entry it sends,
    and it keeps its own breadcrumb trail."""

    def __init__(self, scope: CoreScope) -> None:
        self._scope = scope

    def _logger(self) -> Logger:
        return self._scope

    def set_user(self, user_id: str) -> None:
        self._scope.set_user(user_id)

    def set_request(self, method: str, path: str, request_id: str = "") -> None:
        self._scope.set_request(method, path, request_id)

    def set_attribute(self, key: str, value: str) -> None:
        self._scope.set_attribute(key, value)


class _Hub(_Entries):
    """The process's client, and the module's functions, which send through the current scope
    when `with_scope` runs one, else the client's root logger."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: tuple[Client, Logger] | None = None

    def _started(self) -> tuple[Client, Logger]:
        running = self._running
        if running is None:
            raise RuntimeError(
                "ferrolog.logflux: call logflux.init(Options(...)) or logflux.init_from_env() first"
            )
        return running

    def _logger(self) -> Logger:
        return current_logger(self._started()[1])

    def start(self, client: Client) -> None:
        """Makes `client` the process's, shutting down the one before."""
        with self._lock:
            previous, self._running = self._running, (client, client.logger())
        if previous is not None:
            previous[0].shutdown()

    def with_scope(self, fn: Callable[[Scope], Returned]) -> Returned:
        """Runs `fn(scope)` with a new scope, which the module's functions use until it returns."""
        if not callable(fn):
            raise TypeError(f"ferrolog.logflux: with_scope takes a function, not {type(fn).__name__}")
        with request_scope(self._started()[1]) as scope:
            return fn(Scope(scope))

    def flush(self, timeout: float = 2.0) -> bool:
        """Sends everything logged so far; False when `timeout` seconds passed first. Before
        `init` there is nothing to send."""
        running = self._running
        return True if running is None else running[0].flush(timeout)

    def close(self, timeout: float = 2.0) -> bool:
        """Delivers what remains within `timeout` seconds and stops the client; False when
        some was still in flight. Later calls answer `SHUT_DOWN` until the next `init`."""
        running = self._running
        return True if running is None else running[0].shutdown(timeout)


def init(options: Options) -> None:
    """Starts the client (replacing, after shutting it down, one started before)."""
    if not isinstance(options, Options):
        raise TypeError(f"ferrolog.logflux: init takes Options(...), not {type(options).__name__}")
    _hub.start(
        Client(
            protocol="logflux",
            before_send=options.hooks(),
            hook_errors="report" if options.failsafe else "raise",
            **options.core_options(),
        )
    )


def init_from_env(**overrides: Any) -> None:
    """Starts the client from `LOGFLUX_*` (and `FERROLOG_*`) variables over the reference's
    defaults; `overrides`, any Options fields (`node="my-node"`, hooks), win over both."""
    for name, value in overrides.items():
        check_field(name, value)
    _hub.start(
        Client.from_env(
            defaults=core_options_of(DEFAULTS),
            before_send=hooks_of(overrides),
            hook_errors="raise" if overrides.get("failsafe") is False else "report",
            protocol="logflux",
            **core_options_of(overrides),
        )
    )


_hub = _Hub()

log = _hub.log
debug = _hub.debug
info = _hub.info
notice = _hub.notice
warn = _hub.warn
warning = _hub.warning
error = _hub.error
critical = _hub.critical
alert = _hub.alert
emergency = _hub.emergency
counter = _hub.counter
gauge = _hub.gauge
distribution = _hub.distribution
event = _hub.event
audit = _hub.audit
capture_error = _hub.capture_error
add_breadcrumb = _hub.add_breadcrumb
start_span = _hub.start_span
continue_from_headers = _hub.continue_from_headers
with_scope = _hub.with_scope
flush = _hub.flush
close = _hub.close
