"""Django integration: put `"ferrolog.django.FerrologMiddleware"` first in `MIDDLEWARE` and set
`FERROLOG` in the settings to a `ferrolog.Client`, a `ferrolog.Logger` or a dict of `Client`
options (`{"api_key": "…", "endpoint": "…"}`).

Each request gets a scope current in `ferrolog.context` (so `current_logger` and the logging
handler log with it), a server span continuing the caller's trace and one entry with its status
and duration. An exception a view raises is left to Django, which answers as it always does
(or re-raises it, in its test client); when that answer is a 5xx, the exception is captured.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase

from ._web import INTERNAL_ERROR, ServedRequest, root_logger

__all__ = ["FerrologMiddleware"]

# Where a view's exception waits on the request until its response shows what it meant.
_RAISED = "_ferrolog_raised"


class FerrologMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        configured = getattr(settings, "FERROLOG", None)
        if configured is None:
            raise ImproperlyConfigured(
                "ferrolog.django: set FERROLOG in the settings to a ferrolog.Client, a ferrolog.Logger "
                "or a dict of Client options"
            )
        try:
            self._root = root_logger(configured)
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"ferrolog.django: FERROLOG: {error}") from error

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        served = ServedRequest(self._root, request.method or "GET", request.path, request.headers.items())
        status = INTERNAL_ERROR
        try:
            response = self.get_response(request)
            status = response.status_code
            raised: Exception | None = getattr(request, _RAISED, None)
            # Http404, PermissionDenied and the like are answers (4xx), not failures.
            if raised is not None and status >= INTERNAL_ERROR:
                served.capture(raised)
            for name, value in served.response_headers():
                response[name] = value
            return response
        finally:
            served.finish(status)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Keeps what a view raised for `__call__`; returning None leaves the answer to Django."""
        setattr(request, _RAISED, exception)
