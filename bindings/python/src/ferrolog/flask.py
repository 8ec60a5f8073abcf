"""Flask integration: `Ferrolog(app, client=client)`, or `Ferrolog(client=client).init_app(app)`.

Each request gets a scope current in `ferrolog.context` (so `ext.logger`, the logging handler
and `current_logger` log with it), a server span continuing the caller's trace and one entry
with its status and duration. An error a view lets escape is captured and Flask handles it as
it always does (a 500, or re-raised when `PROPAGATE_EXCEPTIONS` is on, as under testing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, request

from ._web import INTERNAL_ERROR, ServedRequest, root_logger
from .client import Client
from .context import current_logger
from .logger import Logger

__all__ = ["Ferrolog"]

# Where a request's telemetry waits on `flask.g` between the hooks.
_SERVED = "_ferrolog_served"
_STATUS = "_ferrolog_status"


class Ferrolog:
    """The extension. `client` is a `ferrolog.Client`, a `ferrolog.Logger` (its attributes go
    on every request's entries) or a mapping of `Client` options; without one, `init_app`
    reads the options from `app.config["FERROLOG"]`."""

    def __init__(
        self, app: Flask | None = None, client: Client | Logger | Mapping[str, Any] | None = None
    ) -> None:
        self._root: Logger | None = None if client is None else root_logger(client)
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        if self._root is None:
            if "FERROLOG" not in app.config:
                raise RuntimeError(
                    "ferrolog.flask: pass client= to Ferrolog or set app.config['FERROLOG'] "
                    "to a ferrolog.Client, a ferrolog.Logger or a dict of Client options"
                )
            self._root = root_logger(app.config["FERROLOG"])
        root = self._root
        app.extensions["ferrolog"] = self

        def open_request() -> None:
            setattr(g, _SERVED, ServedRequest(root, request.method, request.path, request.headers.items()))

        def answered(response: Response) -> Response:
            served: ServedRequest | None = g.get(_SERVED)
            if served is not None:
                response.headers.extend(served.response_headers())
                setattr(g, _STATUS, response.status_code)
            return response

        def close_request(exc: BaseException | None) -> None:
            served: ServedRequest | None = g.pop(_SERVED, None)
            if served is None:  # an earlier before_request answered before ours ran
                return
            if exc is not None:
                served.capture(exc)
            served.finish(g.pop(_STATUS, INTERNAL_ERROR))

        # First, so that the scope is current for every other hook of the request.
        app.before_request_funcs.setdefault(None, []).insert(0, open_request)
        app.after_request(answered)
        app.teardown_request(close_request)

    @property
    def logger(self) -> Logger:
        """The current request's scope, else the extension's root logger."""
        if self._root is None:
            raise RuntimeError("ferrolog.flask: init_app has not been called")
        return current_logger(self._root)
