"""Request scopes through contextvars: nesting, `await`, concurrent tasks and executor threads."""

from __future__ import annotations

import asyncio
import random

import pytest

import ferrolog
from conftest import Collector, sent
from ferrolog.context import current_logger, request_scope, run_in_executor


def test_a_scope_is_current_for_its_block_and_the_previous_one_comes_back(client: ferrolog.Client) -> None:
    root = client.logger()
    assert current_logger(root) is root
    with request_scope(root) as outer:
        assert isinstance(outer, ferrolog.Scope)
        assert current_logger(root) is outer
        with request_scope(outer) as inner:
            assert current_logger(root) is inner
        assert current_logger(root) is outer
    assert current_logger(root) is root


def test_a_scope_ends_with_its_block_even_when_it_raises(client: ferrolog.Client) -> None:
    root = client.logger()
    with pytest.raises(RuntimeError), request_scope(root):
        raise RuntimeError("request failed")
    assert current_logger(root) is root


def test_a_scope_survives_await(client: ferrolog.Client, collector: Collector, marker: str) -> None:
    root = client.logger()

    async def handle_request() -> None:
        with request_scope(root) as scope:
            scope.set_request("GET", "/slow", "req-await")
            await asyncio.sleep(0.01)
            await asyncio.sleep(0)
            current_logger(root).info(marker)

    asyncio.run(handle_request())
    [entry] = sent(client, collector, text=marker)
    assert entry["attributes"]["http.request_id"] == "req-await"


def test_concurrent_tasks_each_log_with_their_own_scope(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    root = client.logger()
    delays = random.Random(marker)

    async def handle_request(number: int) -> None:
        with request_scope(root) as scope:
            scope.set_request("POST", "/orders", f"req-{number}")
            scope.set_attribute("task", str(number))
            # Interleave the tasks, so each one's scope is set while the others' are too.
            for _ in range(3):
                await asyncio.sleep(delays.random() / 200)
                current_logger(root).info(marker, number=number)

    async def serve() -> None:
        await asyncio.gather(*(handle_request(number) for number in range(20)))
        assert current_logger(root) is root, "no task's scope leaks into the one that gathered them"

    asyncio.run(serve())
    entries = sent(client, collector, text=marker)
    assert len(entries) == 60
    for entry in entries:
        attributes = entry["attributes"]
        assert attributes["http.request_id"] == f"req-{attributes['number']}"
        assert attributes["task"] == str(attributes["number"])
    assert {entry["attributes"]["number"] for entry in entries} == set(range(20))


def test_executor_work_sees_the_scope_through_the_helper_only(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    root = client.logger()

    def blocking_work(via: str) -> ferrolog.Logger:
        logger = current_logger(root)
        logger.info(marker, via=via)
        return logger

    async def handle_request() -> None:
        loop = asyncio.get_running_loop()
        with request_scope(root) as scope:
            scope.set_request("GET", "/report", "req-executor")
            assert await run_in_executor(loop, blocking_work, "helper") is scope
            # asyncio itself hands the function over without the caller's context.
            assert await loop.run_in_executor(None, blocking_work, "plain") is root

    asyncio.run(handle_request())
    helper, plain = sent(client, collector, text=marker)
    assert (helper["attributes"]["via"], helper["attributes"]["http.request_id"]) == (
        "helper",
        "req-executor",
    )
    assert plain["attributes"] == {"via": "plain"}
