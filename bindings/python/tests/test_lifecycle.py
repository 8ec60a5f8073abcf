"""Who keeps a client alive, and loggers shared across threads."""

from __future__ import annotations

import gc
import threading
import weakref

import ferrolog
from conftest import Collector, sent


def test_a_logger_keeps_its_client_running_and_the_last_one_frees_it(collector: Collector) -> None:
    client = ferrolog.Client(api_key="test-key", endpoint=f"{collector.url}/v1/logs")
    client_ref = weakref.ref(client)
    logger = client.logger().child(kept="yes")
    with logger.span("kept alive") as span:
        span_logger = span.logger()
    del client, logger, span
    gc.collect()
    assert client_ref() is not None, "a span's logger still needs the client"
    assert span_logger.info("still running") == ferrolog.Result.OK
    del span_logger
    gc.collect()
    assert client_ref() is None, "nothing left uses the client: it is freed, not leaked"


def test_one_logger_shared_by_threads_delivers_every_entry(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logger = client.logger()

    def log_some(thread: int) -> None:
        for number in range(50):
            logger.info(marker, thread=thread, number=number)

    threads = [threading.Thread(target=log_some, args=(thread,)) for thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = sent(client, collector, text=marker)
    assert sorted((e["attributes"]["thread"], e["attributes"]["number"]) for e in entries) == [
        (thread, number) for thread in range(4) for number in range(50)
    ]
