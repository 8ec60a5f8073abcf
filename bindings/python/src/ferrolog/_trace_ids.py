"""Trace ids in LuminaLog's form: new UUID v4 ids and the id of an incoming request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._native import Header, lib
from ._text import read_string, struct_array, text_arg


def generate_trace_id() -> str:
    """A new random UUID v4, lowercase and hyphenated (36 characters)."""
    return read_string("ferrolog_generate_trace_id", lib.ferrolog_generate_trace_id)


def generate_span_id() -> str:
    """A new span id: a UUID v4 like a trace id, as the reference SDK makes them."""
    return generate_trace_id()


def _header_pairs(headers: object) -> Iterable[tuple[Any, Any]]:
    items = getattr(headers, "items", None)
    if not callable(items):
        raise TypeError(
            "ferrolog: get_trace_id_from_request takes a request with .headers or a mapping of "
            f"headers, not {type(headers).__name__}"
        )
    pairs: Iterable[tuple[Any, Any]] = items()
    return pairs


def get_trace_id_from_request(request_or_headers: object) -> str:
    """The trace id of an incoming request, from its headers read case-insensitively:
    `x-trace-id`, else `x-request-id`, else a valid W3C `traceparent`'s trace id, else a new
    UUID v4. Takes a Flask, Django or Starlette request (anything with `.headers`) or the
    headers themselves (a mapping, or anything with `.items()`)."""
    # `.headers` first: a Starlette request is itself a Mapping, over its ASGI scope.
    headers = getattr(request_or_headers, "headers", request_or_headers)
    array, count = struct_array(
        Header,
        [
            Header(text_arg("header name", name), text_arg("header value", value))
            for name, value in _header_pairs(headers)
        ],
    )
    return read_string(
        "ferrolog_trace_id_from_headers",
        lambda buf, capacity, needed: lib.ferrolog_trace_id_from_headers(array, count, buf, capacity, needed),
    )
