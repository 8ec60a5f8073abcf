"""Spans timed by the core, as context managers."""

from __future__ import annotations

from collections.abc import MutableMapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

from ._handle import Owned, new_handle
from ._native import lib
from ._text import read_string, text_arg
from .errors import Result, check, log_outcome

if TYPE_CHECKING:
    from .logger import Logger

HeaderKind = Literal["traceparent", "logflux"]
_HEADER_KINDS: dict[str, int] = {"traceparent": 1, "logflux": 2}


class Span(Owned):
    """A span being timed: `with logger.span("GET /orders", "http.server") as span: ...`.

    Leaving the block ends it, marked failed with the exception's text if one escaped.
    """

    def __init__(self, handle: Any, owner: Any) -> None:
        super().__init__(handle, lib.ferrolog_span_free)
        self._owner = owner  # keeps the client running while the span lives
        self._ended = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.set_error(str(exc) or type(exc).__name__)
        if not self._ended:
            self.end()

    @property
    def ended(self) -> bool:
        return self._ended

    def child(self, name: str, operation: str = "") -> Span:
        """A child span: the same trace and sampling decision."""
        name_arg, operation_arg = text_arg("name", name), text_arg("operation", operation)
        handle = new_handle(
            "ferrolog_span_start_child",
            lambda out: lib.ferrolog_span_start_child(self._handle, name_arg, operation_arg, out),
        )
        return Span(handle, self._owner)

    def set_attribute(self, key: str, value: str) -> None:
        result = lib.ferrolog_span_set_attribute(self._handle, text_arg("key", key), text_arg("value", value))
        check("ferrolog_span_set_attribute", result)

    def set_error(self, message: str) -> None:
        """Marks the span failed, with `message` as its `error.message`."""
        check(
            "ferrolog_span_set_error", lib.ferrolog_span_set_error(self._handle, text_arg("message", message))
        )

    def header(self, kind: HeaderKind = "traceparent") -> str:
        """The propagation header's value for a request this span makes."""
        if kind not in _HEADER_KINDS:
            raise ValueError(f"ferrolog: header kind must be 'traceparent' or 'logflux', not {kind!r}")
        number = _HEADER_KINDS[kind]
        return read_string(
            "ferrolog_span_header",
            lambda buf, capacity, needed: lib.ferrolog_span_header(
                self._handle, number, buf, capacity, needed
            ),
        )

    def inject(self, headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
        """Adds both propagation headers (`traceparent` and `X-LogFlux-Trace`) for a request
        this span makes to `headers`, and returns it."""
        headers["traceparent"] = self.header("traceparent")
        headers["X-LogFlux-Trace"] = self.header("logflux")
        return headers

    def logger(self) -> Logger:
        """A logger that stamps this span's ids on every entry; its spans are children of this."""
        from .logger import Logger

        handle = new_handle("ferrolog_span_logger", lambda out: lib.ferrolog_span_logger(self._handle, out))
        return Logger(handle, self._owner)

    def end(self) -> Result:
        """Ends the span and sends its entry; a second end raises."""
        outcome = log_outcome("ferrolog_span_end", lib.ferrolog_span_end(self._handle))
        self._ended = True
        return outcome
