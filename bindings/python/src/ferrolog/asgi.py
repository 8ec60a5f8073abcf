"""ASGI middleware, for FastAPI, Starlette or any ASGI app:
`app.add_middleware(FerrologMiddleware, client=client)`, or `FerrologMiddleware(app, client=client)`.

Each HTTP request gets a scope current in `ferrolog.context` for the whole of its handling (it
survives `await`, and concurrent requests each have their own), a server span continuing the
caller's trace and one entry with its status and duration. An exception the app lets escape is
captured and re-raised, so the server (or Starlette's error middleware) answers 500 as usual;
that answer is made outside the middleware, so it lacks the trace headers the others carry back.
Lifespan and websocket connections pass through untouched. No framework is imported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from ._web import INTERNAL_ERROR, ServedRequest, root_logger
from .client import Client
from .logger import Logger

__all__ = ["FerrologMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


# ASGI carries header names and values as the bytes sent; HTTP/1.1 reads them as ISO-8859-1.
def _text(value: bytes) -> str:
    return value.decode("latin-1")


def _bytes(value: str) -> bytes:
    return value.encode("latin-1")


class FerrologMiddleware:
    """`client` is a `ferrolog.Client`, a `ferrolog.Logger` (its attributes go on every
    request's entries) or a mapping of `Client` options."""

    def __init__(self, app: App, client: Client | Logger | Mapping[str, Any]) -> None:
        self.app = app
        self._root = root_logger(client)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(_text(name), _text(value)) for name, value in scope.get("headers", ())]
        served = ServedRequest(self._root, scope["method"], scope["path"], headers)
        status = INTERNAL_ERROR

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                added = [(_bytes(name.lower()), _bytes(value)) for name, value in served.response_headers()]
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        try:
            await self.app(scope, receive, answer)
        except Exception as exc:
            served.capture(exc)
            raise
        finally:
            served.finish(status)
