"""Spans: ids, parents, propagation headers, errors and loggers bound to them."""

from __future__ import annotations

import pytest

import ferrolog
from conftest import Collector, sent


def traceparent_ids(header: str) -> tuple[str, str]:
    version, trace_id, span_id, flags = header.split("-")
    assert (version, flags) == ("00", "01")
    return trace_id, span_id


def test_a_span_and_its_child_share_the_trace(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with client.logger().span(f"{marker} root", "http.server") as root:
        root.set_attribute("route", "/orders")
        with root.child(f"{marker} query", "db") as child:
            child.logger().info(f"{marker} inside")
        trace_id, root_id = traceparent_ids(root.header("traceparent"))
        _, child_id = traceparent_ids(child.header())
    inside, child_entry, root_entry = sent(client, collector, text=marker)
    assert (root_entry["kind"], root_entry["trace_id"], root_entry["span_id"]) == ("trace", trace_id, root_id)
    assert "parent_span_id" not in root_entry
    assert root_entry["details"]["operation"] == "http.server"
    assert root_entry["details"]["status"] == "ok"
    assert root_entry["attributes"] == {"route": "/orders"}
    assert (child_entry["trace_id"], child_entry["span_id"], child_entry["parent_span_id"]) == (
        trace_id,
        child_id,
        root_id,
    )
    assert (inside["kind"], inside["trace_id"], inside["span_id"]) == ("log", trace_id, child_id)


def test_the_logflux_header_names_the_same_trace(client: ferrolog.Client) -> None:
    with client.logger().span("headers") as span:
        trace_id, span_id = traceparent_ids(span.header("traceparent"))
        assert span.header("logflux").startswith(f"{trace_id}-{span_id}")


def test_a_span_from_a_span_logger_is_a_child(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with client.logger().span(f"{marker} outer") as outer, outer.logger().span(f"{marker} inner"):
        pass
    inner, outer_entry = sent(client, collector, text=marker)
    assert inner["parent_span_id"] == outer_entry["span_id"]


def test_an_exception_leaving_the_block_fails_the_span_and_propagates(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with pytest.raises(RuntimeError, match="boom"), client.logger().span(marker) as span:
        raise RuntimeError("boom")
    assert span.ended
    [entry] = sent(client, collector, text=marker)
    assert entry["details"]["status"] == "error"
    assert entry["attributes"]["error.message"] == "boom"


def test_an_ended_span_ends_once(client: ferrolog.Client, collector: Collector, marker: str) -> None:
    with client.logger().span(marker) as span:
        assert span.end() == ferrolog.Result.OK
    with pytest.raises(ferrolog.FerrologError, match="out of range"):
        span.end()
    assert len(sent(client, collector, text=marker)) == 1


@pytest.mark.parametrize("as_pairs", [False, True])
def test_continue_from_headers_joins_the_callers_trace(
    client: ferrolog.Client, collector: Collector, marker: str, as_pairs: bool
) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    headers = {"TraceParent": f"00-{trace_id}-{parent_id}-01", "Accept": "*/*"}
    with client.logger().continue_from_headers(
        list(headers.items()) if as_pairs else headers, marker, "http.server"
    ):
        pass
    [entry] = sent(client, collector, text=marker)
    assert (entry["trace_id"], entry["parent_span_id"]) == (trace_id, parent_id)


def test_without_trace_headers_a_new_trace_starts(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with client.logger().continue_from_headers({}, marker):
        pass
    [entry] = sent(client, collector, text=marker)
    assert len(entry["trace_id"]) == 32
    assert "parent_span_id" not in entry
