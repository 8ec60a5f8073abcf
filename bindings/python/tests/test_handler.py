"""stdlib logging through FerrologHandler: levels, `extra`, exc_info and a handler that never raises."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

import ferrolog
from conftest import Collector, sent
from ferrolog.context import request_scope
from ferrolog.handler import FerrologHandler

THIS_FILE = __file__


@pytest.fixture
def stdlib_logger(marker: str) -> Iterator[logging.Logger]:
    """A stdlib logger of this test alone, passing every level on and nothing to its parents."""
    logger = logging.getLogger(f"tests.handler.{marker}")
    logger.setLevel(1)
    logger.propagate = False
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("levelno", "level"),
    [
        (logging.DEBUG, 8),
        (logging.INFO, 7),
        (logging.WARNING, 5),
        (logging.ERROR, 4),
        (logging.CRITICAL, 3),
        (5, 8),  # below DEBUG
        (19, 7),  # nearest INFO
        (25, 5),  # halfway: the more severe
        (42, 4),  # nearest ERROR
        (90, 3),  # above CRITICAL
    ],
)
def test_stdlib_levels_map_to_the_nearest_ferrolog_level(
    logflux_client: ferrolog.Client,
    collector: Collector,
    marker: str,
    stdlib_logger: logging.Logger,
    levelno: int,
    level: int,
) -> None:
    stdlib_logger.addHandler(FerrologHandler(logflux_client))
    stdlib_logger.log(levelno, marker)
    [entry] = sent(logflux_client, collector, text=marker)
    assert (entry["kind"], entry["level"], entry["message"]) == ("log", level, marker)


def test_the_message_is_formatted_and_extra_fields_travel_as_attributes(
    client: ferrolog.Client, collector: Collector, marker: str, stdlib_logger: logging.Logger
) -> None:
    stdlib_logger.addHandler(FerrologHandler(client.logger().child(service="api")))
    stdlib_logger.info("%s paid %d", marker, 12, extra={"order_id": "o-7", "items": 3, "tags": ["a"]})
    [entry] = sent(client, collector, text=marker)
    assert entry["message"] == f"{marker} paid 12"
    assert entry["attributes"] == {
        "service": "api",
        "order_id": "o-7",
        "items": 3,
        "tags": ["a"],
        "logger": stdlib_logger.name,
    }


def test_a_record_with_exc_info_is_a_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str, stdlib_logger: logging.Logger
) -> None:
    stdlib_logger.addHandler(FerrologHandler(logflux_client))

    def fail() -> None:
        raise ValueError("bad input")

    try:
        fail()
    except ValueError:
        stdlib_logger.exception("%s while parsing", marker, extra={"attempt": 2})
    [entry] = sent(logflux_client, collector, text=marker)
    assert entry["message"] == f"{marker} while parsing"
    assert entry["level"] == 4
    assert entry["error"]["type"] == "ValueError"
    assert entry["attributes"]["error"] == "bad input"
    assert entry["attributes"]["attempt"] == "2"
    assert entry["attributes"]["logger"] == stdlib_logger.name
    frames = entry["error"]["stack_trace"]
    assert [frame["function"] for frame in frames] == [
        "fail",
        "test_a_record_with_exc_info_is_a_captured_error",
    ]
    assert frames[0]["file"] == THIS_FILE


def test_exc_info_without_an_exception_is_a_plain_log(
    logflux_client: ferrolog.Client, collector: Collector, marker: str, stdlib_logger: logging.Logger
) -> None:
    stdlib_logger.addHandler(FerrologHandler(logflux_client))
    stdlib_logger.error(marker, exc_info=True)  # noqa: LOG014 (nothing is being handled, on purpose)
    [entry] = sent(logflux_client, collector, text=marker)
    assert (entry["kind"], entry["level"]) == ("log", 4)
    assert "error" not in entry


class RecordingHandler(FerrologHandler):
    def __init__(self, logger: ferrolog.Logger) -> None:
        super().__init__(logger)
        self.failed: list[logging.LogRecord] = []

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed.append(record)


def test_emit_never_raises_and_reports_through_handle_error(
    client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    # Records handed to the handler alone: other handlers (pytest's own) would raise on them first.
    handler = RecordingHandler(client.logger())
    unformattable = logging.makeLogRecord({"msg": "%d items", "args": ("not a number",)})
    not_json = logging.makeLogRecord({"msg": marker, "text": "\ud800"})
    handler.handle(unformattable)
    handler.handle(not_json)
    assert handler.failed == [unformattable, not_json]
    handler.handle(logging.makeLogRecord({"msg": marker, "levelno": logging.INFO}))
    assert len(sent(client, collector, text=marker)) == 1, "the handler still works afterwards"


def test_emit_after_shutdown_does_not_raise(client: ferrolog.Client, stdlib_logger: logging.Logger) -> None:
    handler = RecordingHandler(client.logger())
    stdlib_logger.addHandler(handler)
    client.shutdown()
    stdlib_logger.warning("after shutdown")
    assert handler.failed == [], "a shut-down client drops the entry; that is no error"


def test_the_current_request_scope_is_used(
    client: ferrolog.Client, collector: Collector, marker: str, stdlib_logger: logging.Logger
) -> None:
    root = client.logger()
    stdlib_logger.addHandler(FerrologHandler(root))
    with request_scope(root) as scope:
        scope.set_request("GET", "/cart", "req-9")
        stdlib_logger.info(marker, extra={"inside": True})
    stdlib_logger.info(marker, extra={"inside": False})
    inside, outside = sent(client, collector, text=marker)
    assert inside["attributes"]["http.request_id"] == "req-9"
    assert inside["attributes"]["inside"] is True
    assert "http.request_id" not in outside["attributes"]
