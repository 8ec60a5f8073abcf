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
import functools
import inspect
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any, TypeVar

from .logger import Logger, Scope

Returned = TypeVar("Returned")
Function = TypeVar("Function", bound=Callable[..., Any])

_current: contextvars.ContextVar[Logger | None] = contextvars.ContextVar("ferrolog_current_logger", default=None)


@contextmanager
def current(logger: Logger) -> Iterator[Logger]:
    """Makes `logger` (a scope, a span's logger) current for the block; the one that was
    current before comes back on exit."""
    token = _current.set(logger)
    try:
        yield logger
    finally:
        _current.reset(token)


@contextmanager
def request_scope(logger: Logger) -> Iterator[Scope]:
    """A new scope of `logger`, current for the block (`with`, in plain code or a coroutine);
    the scope that was current before comes back on exit."""
    with current(logger.scope()) as scope:
        assert isinstance(scope, Scope)
        yield scope


def current_logger(default: Logger) -> Logger:
    """The logger current in this context (a scope, a traced call's span), else `default`."""
    logger = _current.get()
    return default if logger is None else logger


def traced(logger: Logger, name: str | None = None, operation: str = "") -> Callable[[Function], Function]:
    """A decorator timing each call of a function or coroutine function in a span named `name`
    (the function's qualified name by default). The span is a child of the span current in the
    context, if any, else of `logger`'s; its logger is current during the call, so what the
    call logs through `current_logger` carries the span's ids. An exception that escapes marks
    the span failed and propagates."""

    def decorate(function: Function) -> Function:
        span_name = name or function.__qualname__
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def traced_coroutine(*args: Any, **kwargs: Any) -> Any:
                with current_logger(logger).span(span_name, operation) as span, current(span.logger()):
                    return await function(*args, **kwargs)

            return traced_coroutine  # type: ignore[return-value]

        @functools.wraps(function)
        def traced_call(*args: Any, **kwargs: Any) -> Any:
            with current_logger(logger).span(span_name, operation) as span, current(span.logger()):
                return function(*args, **kwargs)

        return traced_call  # type: ignore[return-value]

    return decorate


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
