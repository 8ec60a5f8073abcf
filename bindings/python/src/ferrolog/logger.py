"""Loggers and scopes: levelled logs, captured errors, metrics, events, audits and spans."""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from orjson import JSONEncodeError
from orjson import dumps as _dumps

from ._exceptions import error_type, exception_arrays
from ._handle import Owned, new_handle
from ._native import Header, Reading, lib, unprototyped
from ._text import attributes_json, attributes_str, struct_array, text_arg
from .errors import LOG_OUTCOMES, Result, check, deferred, log_outcome
from .span import Span

_Function = TypeVar("_Function", bound=Callable[..., Any])

_METRIC_KINDS: dict[str, int] = {"counter": 1, "gauge": 2, "distribution": 3}

# Bound once: the lookup on the library object is a measurable part of a log call.
_ferrolog_log32 = unprototyped("ferrolog_log32")
# ctypes passes an int as a C int, masked to 32 bits: longer texts would arrive cut short.
_MAX_TEXT = 2**32 - 1
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
# A level the core refuses as out of range, standing in for one too wide to pass.
_OUT_OF_RANGE = 0


def level_number(level: int | str) -> int:
    """A level as the core numbers it (1 emergency … 8 debug), from a number or either name set."""
    if isinstance(level, bool) or not isinstance(level, (int, str)):
        raise TypeError(f"ferrolog: a level is an int or a name, not {type(level).__name__}")
    if isinstance(level, int):
        # The log call passes the level as a C int, which would mask a wider one into range.
        return level if _INT32_MIN <= level <= _INT32_MAX else _OUT_OF_RANGE
    return _named_level(level)


# Programs name a handful of levels over and over; an unknown name raises and is not kept.
@functools.lru_cache(maxsize=64)
def _named_level(name: str) -> int:
    data = name.encode("utf-8")
    number = ctypes.c_int32()
    if lib.ferrolog_level_from_name(data, len(data), ctypes.byref(number)) != Result.OK:
        raise ValueError(f"ferrolog: unknown level {name!r}")
    return number.value


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"ferrolog: {name} must be a number, not {type(value).__name__}")
    return float(value)


def _text_option(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"ferrolog: {name} must be a str, not {type(value).__name__}")
    return value


def _at(name: str) -> Callable[..., Result]:
    level = level_number(name)

    def log_at(
        self: Logger, message: str, attributes: Mapping[str, Any] | None = None, /, **more: Any
    ) -> Result:
        # `_with`, its two usual cases in this frame: one Python frame is a seventh of the call.
        if attributes is None:
            attributes = more
        elif more or type(attributes) is not dict:
            attributes = _with(attributes, more)
        return self._log(level, message, attributes)

    log_at.__name__ = log_at.__qualname__ = name
    log_at.__doc__ = f"Logs `message` at {name} with `attributes` (a mapping, keywords, or both)."
    return log_at


def _with(attributes: Mapping[str, Any] | None, more: dict[str, Any]) -> Mapping[str, Any]:
    """A log call's attributes: given as keywords, as a mapping, or both, the keywords on top.

    A plain dict alone is passed on as it is, neither copied nor unpacked into keywords and
    packed again: `logger.info(msg, attrs)` costs a quarter less than
    `logger.info(msg, **attrs)`."""
    if attributes is None:
        return more
    if type(attributes) is dict and not more:
        return attributes
    if not isinstance(attributes, Mapping):
        raise TypeError(f"ferrolog: attributes are a mapping, not {type(attributes).__name__}")
    return {**attributes, **more}


class Logger(Owned):
    """A client plus inherited attributes. Thread-safe; children and scopes share its client."""

    def __init__(self, handle: Any, owner: Any) -> None:
        super().__init__(handle, lib.ferrolog_logger_free)
        self._owner = owner  # keeps the client running while a logger of it lives
        # The handle as ctypes' own argument object, which an unprototyped call passes on as
        # it is, without looking up the handle's type.
        self._address = ctypes.c_void_p.from_param(handle.value)

    def log(
        self, level: int | str, message: str, attributes: Mapping[str, Any] | None = None, /, **more: Any
    ) -> Result:
        """Logs `message` at `level` (a number 1–8 or a level name) with `attributes` (a
        mapping, keywords, or both)."""
        return self._log(level_number(level), message, _with(attributes, more))

    def _log(self, level: int, message: str, attributes: Mapping[str, Any]) -> Result:
        # The hot path of every log call, in one frame. orjson is called here without options,
        # at half the cost of a call with them; it refuses what needs them, keys that are not
        # str and values JSON has no form for, which `attributes_json` then encodes.
        try:
            text = str.encode(message)
        except TypeError:
            raise TypeError(f"ferrolog: message must be a str, not {type(message).__name__}") from None
        try:
            data = _dumps(attributes) if attributes else b""
        except JSONEncodeError:
            data = attributes_json(attributes)
        text_len, data_len = len(text), len(data)
        if text_len > _MAX_TEXT or data_len > _MAX_TEXT:
            raise ValueError("ferrolog: a message or its attributes are 4 GiB or more")
        result = _ferrolog_log32(self._address, level, text, text_len, data, data_len)
        # The usual answer, read here: a call to log_outcome is a tenth of the log call.
        outcome = LOG_OUTCOMES.get(result)
        if outcome is None or deferred:
            return log_outcome("ferrolog_log", result)
        return outcome

    debug = _at("debug")
    info = _at("info")
    notice = _at("notice")
    warning = _at("warning")
    warn = _at("warn")
    error = _at("error")
    critical = _at("critical")
    fatal = _at("fatal")
    alert = _at("alert")
    emergency = _at("emergency")
    panic = _at("panic")

    def child(self, **attributes: Any) -> Logger:
        """A logger with this logger's attributes and `attributes` on top."""
        data = attributes_json(attributes)
        handle = new_handle(
            "ferrolog_logger_child",
            lambda out: lib.ferrolog_logger_child(self._handle, data or None, len(data), out),
        )
        return Logger(handle, self._owner)

    def scope(self) -> Scope:
        """A scope for one request: its own user, request, attributes and breadcrumb trail."""
        handle = new_handle("ferrolog_logger_scope", lambda out: lib.ferrolog_logger_scope(self._handle, out))
        return Scope(handle, self._owner)

    def add_breadcrumb(
        self,
        message: str,
        category: str = "",
        level: int | str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        """Adds a breadcrumb to this logger's trail; `data` values travel as strings."""
        strings = {str(key): str(value) for key, value in (data or {}).items()}
        result = lib.ferrolog_logger_add_breadcrumb(
            self._handle,
            text_arg("category", category),
            text_arg("message", message),
            0 if level is None else level_number(level),
            attributes_str(strings),
        )
        check("ferrolog_logger_add_breadcrumb", result)

    def capture_error(
        self,
        exc: BaseException,
        /,
        message: str | None = None,
        *,
        level: int | str | None = None,
        fingerprint: str | None = None,
        **attributes: Any,
    ) -> Result:
        """Sends `exc` with its type, text, traceback frames (innermost first) and cause chain.

        `message`, when given, is the entry's message; the error's text then travels as the
        attribute `error`. `level` (error by default) and `fingerprint` (a grouping key of
        the caller's, instead of the one computed from the frames) are optional.
        """
        return self.send_error(exc, message, attributes, level=level, fingerprint=fingerprint)

    def send_error(
        self,
        exc: BaseException,
        message: str | None,
        attributes: Mapping[str, Any],
        *,
        level: int | str | None = None,
        fingerprint: str | None = None,
    ) -> Result:
        """`capture_error` with the attributes as one mapping, whose keys may be any string."""
        if not isinstance(exc, BaseException):
            raise TypeError(f"ferrolog: capture_error takes an exception, not {type(exc).__name__}")
        options: dict[str, Any] = {}
        if message is not None:
            options["message"] = _text_option("message", message)
        if level is not None:
            options["level"] = level_number(level)
        if fingerprint is not None:
            options["fingerprint"] = _text_option("fingerprint", fingerprint)
        (frames, frame_count), (causes, cause_count) = exception_arrays(exc)
        result = lib.ferrolog_capture_error(
            self._handle,
            text_arg("error type", error_type(exc)),
            text_arg("error message", str(exc)),
            frames,
            frame_count,
            causes,
            cause_count,
            attributes_str(attributes),
            attributes_str(options),
        )
        return log_outcome("ferrolog_capture_error", result)

    def capture_exception(
        self,
        exc: BaseException | None = None,
        /,
        message: str | None = None,
        *,
        level: int | str | None = None,
        fingerprint: str | None = None,
        **attributes: Any,
    ) -> Result:
        """As `capture_error`; without `exc`, the exception being handled."""
        if exc is None:
            exc = sys.exception()
            if exc is None:
                raise ValueError(
                    "ferrolog: capture_exception() without an argument needs an exception being handled"
                )
        return self.send_error(exc, message, attributes, level=level, fingerprint=fingerprint)

    def metric(self, kind: str, name: str, value: float, /, *, unit: str = "", **attributes: Any) -> Result:
        """Records a metric; `kind` is `counter`, `gauge` or `distribution`."""
        return self.send_metric(kind, name, value, unit, attributes)

    def send_metric(
        self, kind: str, name: str, value: float, unit: str, attributes: Mapping[str, Any]
    ) -> Result:
        """`metric` with the attributes as one mapping, whose keys may be any string."""
        if kind not in _METRIC_KINDS:
            raise ValueError(f"ferrolog: metric kind must be counter, gauge or distribution, not {kind!r}")
        result = lib.ferrolog_metric(
            self._handle,
            _METRIC_KINDS[kind],
            text_arg("name", name),
            _number("value", value),
            text_arg("unit", unit),
            attributes_str(attributes),
        )
        return log_outcome("ferrolog_metric", result)

    def counter(self, name: str, value: float = 1, /, *, unit: str = "", **attributes: Any) -> Result:
        return self.metric("counter", name, value, unit=unit, **attributes)

    def gauge(self, name: str, value: float, /, *, unit: str = "", **attributes: Any) -> Result:
        return self.metric("gauge", name, value, unit=unit, **attributes)

    def distribution(self, name: str, value: float, /, *, unit: str = "", **attributes: Any) -> Result:
        return self.metric("distribution", name, value, unit=unit, **attributes)

    def event(self, name: str, /, **attributes: Any) -> Result:
        result = lib.ferrolog_event(self._handle, text_arg("name", name), attributes_str(attributes))
        return log_outcome("ferrolog_event", result)

    def audit(
        self,
        action: str,
        actor: str,
        resource: str,
        /,
        resource_id: str = "",
        *,
        outcome: str = "",
        actor_type: str = "",
        **attributes: Any,
    ) -> Result:
        """Records that `actor` did `action` to `resource`; never sampled. `outcome` "" is success."""
        return self.send_audit(action, actor, resource, resource_id, outcome, actor_type, attributes)

    def send_audit(
        self,
        action: str,
        actor: str,
        resource: str,
        resource_id: str,
        outcome: str,
        actor_type: str,
        attributes: Mapping[str, Any],
    ) -> Result:
        """`audit` with the attributes as one mapping, whose keys may be any string."""
        result = lib.ferrolog_audit(
            self._handle,
            text_arg("action", action),
            text_arg("actor", actor),
            text_arg("actor_type", actor_type),
            text_arg("resource", resource),
            text_arg("resource_id", resource_id),
            text_arg("outcome", outcome),
            attributes_str(attributes),
        )
        return log_outcome("ferrolog_audit", result)

    def telemetry(
        self,
        device_id: str,
        readings: Mapping[str, float | tuple[float, str]],
        /,
        *,
        managed: bool = False,
        **attributes: Any,
    ) -> Result:
        """Records one device's readings, each a value or a (value, unit) pair; `managed` sends
        them as managed-device telemetry."""
        items = []
        for name, reading in readings.items():
            value, unit = reading if isinstance(reading, tuple) else (reading, "")
            items.append(Reading(text_arg("reading name", name), _number(name, value), text_arg("unit", unit)))
        array, count = struct_array(Reading, items)
        result = lib.ferrolog_telemetry(
            self._handle, text_arg("device_id", device_id), array, count, bool(managed), attributes_str(attributes)
        )
        return log_outcome("ferrolog_telemetry", result)

    def traced(self, name: str | None = None, operation: str = "") -> Callable[[_Function], _Function]:
        """A decorator timing each call in a span: see `ferrolog.context.traced`."""
        from .context import traced

        return traced(self, name, operation)

    def span(self, name: str, operation: str = "") -> Span:
        """Starts a span: a child of the span this logger is bound to, else a new trace's root."""
        name_arg, operation_arg = text_arg("name", name), text_arg("operation", operation)
        handle = new_handle(
            "ferrolog_span_start",
            lambda out: lib.ferrolog_span_start(self._handle, name_arg, operation_arg, out),
        )
        return Span(handle, self._owner)

    def continue_from_headers(
        self,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        name: str,
        operation: str = "",
    ) -> Span:
        """Starts a span continuing the trace in an incoming request's headers (`traceparent`,
        else `X-LogFlux-Trace`), or a new trace without a valid one."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        array, count = struct_array(
            Header,
            [Header(text_arg("header name", key), text_arg("header value", value)) for key, value in pairs],
        )
        name_arg, operation_arg = text_arg("name", name), text_arg("operation", operation)
        handle = new_handle(
            "ferrolog_span_continue_from_headers",
            lambda out: lib.ferrolog_span_continue_from_headers(
                self._handle, array, count, name_arg, operation_arg, out
            ),
        )
        return Span(handle, self._owner)


class Scope(Logger):
    """A logger for one request, whose user, request and attributes can change."""

    def set_user(self, user_id: str) -> None:
        check(
            "ferrolog_logger_set_user",
            lib.ferrolog_logger_set_user(self._handle, text_arg("user_id", user_id)),
        )

    def set_request(self, method: str, path: str, request_id: str = "") -> None:
        result = lib.ferrolog_logger_set_request(
            self._handle,
            text_arg("method", method),
            text_arg("path", path),
            text_arg("request_id", request_id),
        )
        check("ferrolog_logger_set_request", result)

    def set_attribute(self, key: str, value: str) -> None:
        result = lib.ferrolog_logger_set_attribute(
            self._handle, text_arg("key", key), text_arg("value", value)
        )
        check("ferrolog_logger_set_attribute", result)
