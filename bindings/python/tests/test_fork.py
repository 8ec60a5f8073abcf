"""A forked child logs through the client it inherited: with a worker mid-flush at the fork,
through multiprocessing's fork start method, and never sending its parent's entries."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator

import pytest

import ferrolog

from conftest import Collector

PARENT_ENTRIES = 20
CHILD_ENTRIES = 10


@pytest.fixture
def slow_first_answer(collector: Collector) -> Iterator[None]:
    """The next ingest request waits long enough for a fork to land while it is in flight."""
    collector.set_fault(delay_ms=600, count=1)
    yield
    collector.set_fault()


def wait_for(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_child_forked_mid_flush_logs_normally(
    collector: Collector, marker: str, slow_first_answer: None
) -> None:
    client = ferrolog.Client(api_key="test-key", endpoint=f"{collector.url}/v1/logs", worker_count=1)
    logger = client.logger()
    for i in range(PARENT_ENTRIES):
        logger.info(f"{marker} parent {i}")
    flushed: list[bool] = []
    flusher = threading.Thread(target=lambda: flushed.append(client.flush(10.0)))
    flusher.start()
    threading.Event().wait(0.2)

    pid = os.fork()
    if pid == 0:
        # Anything but a clean exit with status 0 fails the parent's check.
        try:
            for i in range(CHILD_ENTRIES):
                logger.info(f"{marker} child {i}")
            delivered = client.flush(5.0) and client.stats()["sent"] == CHILD_ENTRIES
            os._exit(0 if delivered and client.shutdown(2.0) else 1)
        finally:
            os._exit(2)

    assert wait_for(pid) == 0
    flusher.join()
    assert flushed == [True]
    assert client.stats()["sent"] == PARENT_ENTRIES
    assert client.shutdown(2.0)
    assert len(collector.entries(text=f"{marker} parent ")) == PARENT_ENTRIES
    assert len(collector.entries(text=f"{marker} child ")) == CHILD_ENTRIES


# What a pool's workers log through: inherited by the fork, as a module's logger would be.
_worker_logger: ferrolog.Logger | None = None


def _log_in_worker(marker: str, index: int) -> int:
    assert _worker_logger is not None
    _worker_logger.info(f"{marker} worker {index}", index=index)
    return index


def test_multiprocessing_fork_workers_deliver_their_entries(collector: Collector, marker: str) -> None:
    global _worker_logger
    client = ferrolog.Client(api_key="test-key", endpoint=f"{collector.url}/v1/logs")
    _worker_logger = client.logger()
    _worker_logger.info(f"{marker} before the pool")
    pool = multiprocessing.get_context("fork").Pool(2)
    try:
        assert sorted(pool.starmap(_log_in_worker, [(marker, i) for i in range(4)])) == [0, 1, 2, 3]
    finally:
        # Closed and joined, the workers leave normally: their exit finalizers send what
        # they logged (os._exit skips atexit).
        pool.close()
        pool.join()
    assert client.flush(5.0)
    assert len(collector.entries(text=f"{marker} worker ")) == 4
    assert len(collector.entries(text=f"{marker} before the pool")) == 1
    _worker_logger = None
    client.shutdown(2.0)
