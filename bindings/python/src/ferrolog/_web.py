"""One served HTTP request's telemetry, the part every web framework integration shares.

A request gets a scope (its method, path and request id) current in `ferrolog.context` for as
long as it is served, a server span continuing the caller's trace, one entry when it is done
(status and duration) and, when the handler raised, the captured error. The integrations only
translate their framework's request, response and hooks into these calls.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from typing import Any

from .client import Client
from .context import request_scope
from .logger import Logger

REQUEST_ID_HEADER = "X-Request-ID"
SERVER_OPERATION = "http.server"
STATUS_ATTRIBUTE = "http.status_code"
DURATION_ATTRIBUTE = "duration_ms"
# The status of a request whose handler raised before answering.
INTERNAL_ERROR = 500


def root_logger(source: Client | Logger | Mapping[str, Any]) -> Logger:
    """The logger an integration sends through: a given logger, a client's root logger, or the
    root logger of a client started from a mapping of `Client` options."""
    if isinstance(source, Logger):
        return source
    if isinstance(source, Client):
        return source.logger()
    if isinstance(source, Mapping):
        return Client(**source).logger()
    raise TypeError(
        "ferrolog: a web integration needs a ferrolog.Client, a ferrolog.Logger or a mapping of "
        f"Client options, not {type(source).__name__}"
    )


def _level(status: int) -> str:
    if status >= 500:
        return "error"
    if status >= 400:
        return "warning"
    return "info"


class ServedRequest:
    """Opened when a request arrives, `finish`ed once its status is known; in between, its
    `scope` is the current logger of `ferrolog.context`."""

    def __init__(self, logger: Logger, method: str, path: str, headers: Iterable[tuple[str, str]]) -> None:
        self._started = time.perf_counter()
        pairs = list(headers)
        wanted = REQUEST_ID_HEADER.lower()
        given = next((value for name, value in pairs if name.lower() == wanted and value), None)
        self.request_id = given or uuid.uuid4().hex
        self._summary = f"{method} {path}"
        request = logger.scope()
        request.set_request(method, path, self.request_id)
        self._span = request.continue_from_headers(pairs, self._summary, SERVER_OPERATION)
        self._failed = False
        self._current = ExitStack()
        # A scope of the span's logger: handler code logs with the request and the trace ids.
        self.scope = self._current.enter_context(request_scope(self._span.logger()))

    def response_headers(self) -> list[tuple[str, str]]:
        """What the response carries back: the request id and this server span's trace headers,
        so the caller can find the request's entries."""
        return [
            (REQUEST_ID_HEADER, self.request_id),
            ("traceparent", self._span.header("traceparent")),
            ("X-LogFlux-Trace", self._span.header("logflux")),
        ]

    def capture(self, exc: BaseException) -> None:
        """Sends the error a handler let escape and fails the span with it."""
        self.scope.capture_exception(exc)
        self._span.set_error(str(exc) or type(exc).__name__)
        self._failed = True

    def finish(self, status: int) -> None:
        """Ends the span with `status`, logs the request's entry and ends its scope."""
        try:
            duration_ms = round((time.perf_counter() - self._started) * 1000, 3)
            self._span.set_attribute(STATUS_ATTRIBUTE, str(status))
            if status >= INTERNAL_ERROR and not self._failed:
                self._span.set_error(f"HTTP {status}")
            self.scope.log(
                _level(status),
                f"{self._summary} {status}",
                **{STATUS_ATTRIBUTE: status, DURATION_ATTRIBUTE: duration_ms},
            )
            self._span.end()
        finally:
            self._current.close()
