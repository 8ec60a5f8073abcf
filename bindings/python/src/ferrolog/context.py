"""Request scopes carried by `contextvars`, so that code deep in a request logs with its scope.

A context variable follows the flow of control: it survives `await`, and every asyncio task runs
in a copy of the context it was created in, so concurrent requests never see each other's scope.
Threads are the exception: `loop.run_in_executor` hands a function to another thread without the
caller's context, so that work would see no scope. `contextvars.copy_context().run` is what
carries it across; `run_in_executor` below does exactly that (`asyncio.to_thread` already does).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any, TypeVar

from .logger import Logger, Scope

Returned = TypeVar("Returned")

_current_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar(
    "ferrolog_current_scope", default=None
)


@contextmanager
def request_scope(logger: Logger) -> Iterator[Scope]:
    """A new scope of `logger`, current for the block (`with`, in plain code or a coroutine);
    the scope that was current before comes back on exit."""
    scope = logger.scope()
    token = _current_scope.set(scope)
    try:
        yield scope
    finally:
        _current_scope.reset(token)


def current_logger(default: Logger) -> Logger:
    """The scope current in this context, else `default`."""
    scope = _current_scope.get()
    return default if scope is None else scope


def run_in_executor(
    loop: asyncio.AbstractEventLoop,
    fn: Callable[..., Returned],
    *args: Any,
    executor: Executor | None = None,
) -> asyncio.Future[Returned]:
    """`loop.run_in_executor(executor, fn, *args)`, with `fn` running in a copy of the caller's
    context, so it logs with the caller's scope."""
    context = contextvars.copy_context()
    return loop.run_in_executor(executor, context.run, fn, *args)
