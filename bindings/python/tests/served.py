"""What the web integrations' tests share: the caller's trace header, and one served request's
entries as the collector received them, sorted by what they are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import ferrolog
from conftest import Collector, sent

# The caller's span, the parent of every server span the tests continue.
CALLER_SPAN_ID = "00f067aa0ba902b7"
GENERATED_REQUEST_ID = re.compile(r"[0-9a-f]{32}")


class Headers(Protocol):
    """A response's headers as each framework's test client has them, read by name."""

    def __getitem__(self, name: str, /) -> str: ...


def traceparent(trace_id: str) -> str:
    """A caller's W3C header; the tests use their 32-hex-digit marker as the trace id, so the
    trace id alone finds a test's entries."""
    return f"00-{trace_id}-{CALLER_SPAN_ID}-01"


@dataclass
class ServedEntries:
    span: dict[str, Any]
    summary: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)


def served_entries(
    client: ferrolog.Client, collector: Collector, trace_id: str, method: str, path: str, status: int
) -> ServedEntries:
    """The entries of the one request of trace `trace_id`, after checking the two every request
    sends: its server span and its summary entry."""
    entries = sent(client, collector, trace_id=trace_id)
    [span] = [entry for entry in entries if entry["kind"] == "trace"]
    summary_message = f"{method} {path} {status}"
    [summary] = [entry for entry in entries if entry["message"] == summary_message]
    rest = [entry for entry in entries if entry is not span and entry is not summary]
    served = ServedEntries(
        span=span,
        summary=summary,
        errors=[entry for entry in rest if "error" in entry],
        logs=[entry for entry in rest if "error" not in entry],
    )
    assert span["message"] == f"{method} {path}"
    assert span["details"]["operation"] == "http.server"
    assert span["attributes"]["http.status_code"] == str(status)
    assert span["details"]["status"] == ("error" if status >= 500 else "ok")
    attributes = summary["attributes"]
    assert (attributes["http.method"], attributes["http.path"]) == (method, path)
    assert attributes["http.status_code"] == str(status)
    assert float(attributes["duration_ms"]) >= 0
    expected_level = 4 if status >= 500 else 5 if status >= 400 else 7
    assert summary["level"] == expected_level
    for entry in [summary, *served.errors, *served.logs]:
        assert entry["span_id"] == span["span_id"], "every entry of the request is in its server span"
        assert entry["attributes"]["http.request_id"] == span["attributes"]["http.request_id"]
    return served


def assert_continued(served: ServedEntries, trace_id: str, response_headers: Headers) -> None:
    """The server span joined the caller's trace and the response names it."""
    span = served.span
    assert (span["trace_id"], span["parent_span_id"]) == (trace_id, CALLER_SPAN_ID)
    assert response_headers["traceparent"] == f"00-{trace_id}-{span['span_id']}-01"
    assert response_headers["X-LogFlux-Trace"].startswith(f"{trace_id}-{span['span_id']}-")


def assert_captured(served: ServedEntries, error_type: str, innermost_function: str, file: str) -> None:
    """One error entry: the exception's type and its frames, innermost (where it was raised) first."""
    [error] = served.errors
    assert error["error"]["type"] == error_type
    innermost = error["error"]["stack_trace"][0]
    assert (innermost["function"], innermost["file"]) == (innermost_function, file)
