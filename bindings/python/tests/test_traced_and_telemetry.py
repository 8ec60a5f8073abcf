"""Traced functions (sync and async, nested), header injection, and telemetry readings."""

from __future__ import annotations

import asyncio

import pytest

import ferrolog
from conftest import Collector, sent
from ferrolog.context import current_logger


def by_message(entries: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {entry["message"]: entry for entry in entries}


def test_traced_calls_nest_as_child_spans_and_log_with_their_ids(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = client.logger()

    @logger.traced(f"{marker} inner", "db")
    def inner() -> int:
        current_logger(logger).info(f"{marker} inside")
        return 7

    @logger.traced(f"{marker} outer")
    def outer() -> int:
        return inner() + 1

    assert outer() == 8
    entries = by_message(sent(client, collector, text=marker))
    outer_span, inner_span, inside = (entries[f"{marker} {name}"] for name in ("outer", "inner", "inside"))
    assert inner_span["parent_span_id"] == outer_span["span_id"]
    assert inner_span["trace_id"] == outer_span["trace_id"]
    assert (inside["trace_id"], inside["span_id"]) == (inner_span["trace_id"], inner_span["span_id"])
    assert inner_span["details"]["operation"] == "db"  # type: ignore[index]


def test_a_traced_coroutine_fails_its_span_and_raises(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    @client.logger().traced(marker)
    async def checkout() -> None:
        await asyncio.sleep(0)
        raise LookupError("no such cart")

    with pytest.raises(LookupError, match="no such cart"):
        asyncio.run(checkout())
    [span] = sent(client, collector, text=marker)
    assert span["details"]["status"] == "error"  # type: ignore[index]
    assert checkout.__name__ == "checkout"


def test_the_default_span_name_is_the_qualified_name(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    @client.logger().child(run=marker).traced()
    def named_for_itself() -> None:
        pass

    named_for_itself()
    spans = [entry for entry in sent(client, collector, kind="trace") if entry.get("attributes", {}).get("run") == marker]
    assert [span["message"] for span in spans] == [named_for_itself.__qualname__]


def test_inject_adds_both_propagation_headers(client: ferrolog.Client) -> None:
    with client.logger().span("outgoing") as span:
        headers = span.inject({"accept": "application/json"})
    assert headers["traceparent"] == span.header("traceparent")
    assert headers["X-LogFlux-Trace"] == span.header("logflux")
    assert headers["accept"] == "application/json"


def test_telemetry_readings_arrive_with_units(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = logflux_client.logger()
    assert logger.telemetry(marker, {"temperature": (21.5, "celsius"), "humidity": 40}, site="lab") == ferrolog.Result.OK
    assert logger.telemetry(f"{marker}-managed", {"battery": 0.9}, managed=True) == ferrolog.Result.OK
    entries = sent(logflux_client, collector, text=marker)
    assert sorted(entry["kind"] for entry in entries) == ["telemetry", "telemetry_managed"]
    plain = next(entry for entry in entries if entry["kind"] == "telemetry")
    assert plain["attributes"]["site"] == "lab"
    details = plain["details"]
    assert details["device_id"] == marker
    assert details["readings"] == [
        {"name": "temperature", "value": 21.5, "unit": "celsius"},
        {"name": "humidity", "value": 40.0},
    ]


def test_telemetry_refuses_a_reading_that_is_not_a_number(client: ferrolog.Client) -> None:
    with pytest.raises(TypeError):
        client.logger().telemetry("device", {"temperature": "warm"})  # type: ignore[dict-item]
