"""ferrolog.asgi under FastAPI, with its TestClient and with concurrent httpx requests (httpx2,
the successor Starlette's TestClient asks for)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import ferrolog
from conftest import Collector, sent
from ferrolog.asgi import FerrologMiddleware
from ferrolog.context import current_logger
from served import CALLER_SPAN_ID, assert_captured, assert_continued, served_entries, traceparent

THIS_FILE = __file__


class StockMissing(Exception):
    pass


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def make_app(client: ferrolog.Client, lifespan: Lifespan | None = None) -> FastAPI:
    root = client.logger()
    app = FastAPI(lifespan=lifespan)
    app.add_middleware(FerrologMiddleware, client=client)
    delays = random.Random(0)

    @app.get("/orders/{order_id}")
    async def show_order(order_id: str) -> dict[str, str]:
        # Awaits between the logs, so concurrent requests interleave inside their scopes.
        for step in range(3):
            await asyncio.sleep(delays.random() / 200)
            current_logger(root).info("order step", order=order_id, step=step)
        return {"order": order_id}

    @app.get("/report")
    def blocking_report() -> str:
        # A plain function: FastAPI runs it on a worker thread, in a copy of the request's context.
        current_logger(root).info("report built")
        return "report"

    @app.get("/stock")
    async def check_stock() -> None:
        raise StockMissing("sku-7 is out")

    return app


def test_a_request_arrives_with_its_id_method_path_status_and_duration(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with TestClient(make_app(logflux_client)) as http:
        response = http.get(
            "/orders/o-1", headers={"X-Request-ID": "req-asgi-1", "traceparent": traceparent(marker)}
        )
    assert response.json() == {"order": "o-1"}
    served = served_entries(logflux_client, collector, marker, "GET", "/orders/o-1", 200)
    assert served.summary["attributes"]["http.request_id"] == "req-asgi-1"
    assert response.headers["x-request-id"] == "req-asgi-1"
    assert_continued(served, marker, response.headers)
    assert [entry["attributes"]["step"] for entry in served.logs] == ["0", "1", "2"]


def test_a_plain_endpoint_on_a_worker_thread_logs_with_the_request_scope(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    response = TestClient(make_app(logflux_client)).get(
        "/report", headers={"traceparent": traceparent(marker)}
    )
    assert response.status_code == 200
    served = served_entries(logflux_client, collector, marker, "GET", "/report", 200)
    assert [entry["message"] for entry in served.logs] == ["report built"]


def test_an_unhandled_error_is_captured_and_re_raised(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    with pytest.raises(StockMissing, match="sku-7"):
        TestClient(make_app(logflux_client)).get("/stock", headers={"traceparent": traceparent(marker)})
    served = served_entries(logflux_client, collector, marker, "GET", "/stock", 500)
    assert_captured(served, "StockMissing", "check_stock", THIS_FILE)
    assert served.span["attributes"]["error.message"] == "sku-7 is out"


def test_the_server_still_answers_500_for_the_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    http = TestClient(make_app(logflux_client), raise_server_exceptions=False)
    response = http.get("/stock", headers={"traceparent": traceparent(marker)})
    assert response.status_code == 500
    served = served_entries(logflux_client, collector, marker, "GET", "/stock", 500)
    assert_captured(served, "StockMissing", "check_stock", THIS_FILE)


def test_an_unknown_route_is_a_404_without_a_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    response = TestClient(make_app(logflux_client)).get(
        "/nowhere", headers={"traceparent": traceparent(marker)}
    )
    assert response.status_code == 404
    served = served_entries(logflux_client, collector, marker, "GET", "/nowhere", 404)
    assert served.errors == []
    assert_continued(served, marker, response.headers)


def test_concurrent_requests_keep_their_own_scopes(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    app = make_app(logflux_client)
    trace_ids = {number: f"{marker[:-2]}{number:02x}" for number in range(20)}

    async def one_request(http: httpx.AsyncClient, number: int) -> httpx.Response:
        return await http.get(
            f"/orders/o-{number}",
            headers={"X-Request-ID": f"req-{number}", "traceparent": traceparent(trace_ids[number])},
        )

    async def serve_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await asyncio.gather(*(one_request(http, number) for number in trace_ids))

    responses = asyncio.run(serve_all())
    assert [response.status_code for response in responses] == [200] * 20
    logflux_client.flush(5.0)
    for number, trace_id in trace_ids.items():
        served = served_entries(logflux_client, collector, trace_id, "GET", f"/orders/o-{number}", 200)
        assert served.summary["attributes"]["http.request_id"] == f"req-{number}"
        assert len(served.logs) == 3
        for entry in served.logs:
            assert entry["attributes"]["order"] == f"o-{number}"
            assert entry["attributes"]["http.request_id"] == f"req-{number}"
        assert served.span["parent_span_id"] == CALLER_SPAN_ID


def test_lifespan_passes_through_and_logs_nothing(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    started: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started.append("started")
        current_logger(logflux_client.logger()).info(marker)
        yield

    with TestClient(make_app(logflux_client, lifespan)):
        pass
    assert started == ["started"]
    [entry] = sent(logflux_client, collector, text=marker)
    assert "http.request_id" not in entry.get("attributes", {}), "no request scope outside a request"
