"""The LuminaLog reference API (ferrolog.luminalog) against the real collector."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

import ferrolog
from conftest import Collector
from ferrolog.luminalog import LuminaLog, generate_span_id, generate_trace_id, get_trace_id_from_request

# LuminaLog's six level names and the ferrolog levels the collector stores them as.
STORED_LEVELS = {"debug": 8, "info": 7, "warn": 5, "error": 4, "fatal": 3, "panic": 1}

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def make_logger(collector: Collector) -> Iterator[Callable[..., LuminaLog]]:
    """LuminaLog loggers sending to the collector, shut down after the test."""
    made: list[LuminaLog] = []

    def make(**options: Any) -> LuminaLog:
        lumina = LuminaLog(api_key="test-key", endpoint=f"{collector.url}/v1/logs", **options)
        made.append(lumina)
        return lumina

    yield make
    for lumina in made:
        lumina.shutdown()


@pytest.fixture
def lumina(make_logger: Callable[..., LuminaLog]) -> LuminaLog:
    return make_logger()


def delivered(lumina: LuminaLog, collector: Collector, marker: str) -> list[dict[str, Any]]:
    assert lumina.flush(5.0)
    return collector.entries(text=marker)


def stderr_until(capfd: pytest.CaptureFixture[str], text: str, timeout: float = 5.0) -> str:
    """What reached stderr up to the line holding `text`, which the SDK writes from its own thread."""
    written = ""
    deadline = time.monotonic() + timeout
    while text not in written and time.monotonic() < deadline:
        written += capfd.readouterr().err
        time.sleep(0.005)
    return written


def is_uuid4(text: str) -> bool:
    return str(uuid.UUID(text)) == text and uuid.UUID(text).version == 4


def test_every_documented_option_is_accepted_and_reaches_the_entries(
    make_logger: Callable[..., LuminaLog], collector: Collector, marker: str
) -> None:
    lumina = make_logger(
        environment="staging",
        project_id="ecommerce-api",
        privacy_mode=True,
        min_level="debug",
        batch_size=50,
        flush_interval=3.0,
        debug=False,
    )
    lumina.info(marker, {"version": "1.0.0"})
    [entry] = delivered(lumina, collector, marker)
    assert entry["protocol"] == "luminalog"
    assert entry["environment"] == "staging"
    assert entry["project_id"] == "ecommerce-api"
    assert entry["privacy_mode"] is True
    assert entry["attributes"] == {"version": "1.0.0"}


def test_the_defaults_are_the_references(lumina: LuminaLog, collector: Collector, marker: str) -> None:
    lumina.info(marker)
    [entry] = delivered(lumina, collector, marker)
    assert entry["environment"] == "default"
    assert entry["privacy_mode"] is False
    assert "project_id" not in entry
    assert "attributes" not in entry


def test_the_protocol_is_luminalog_whatever_the_keys_shape(collector: Collector, marker: str) -> None:
    lumina = LuminaLog(api_key="eu-lf_looks-like-logflux", endpoint=f"{collector.url}/v1/logs")
    lumina.info(marker)
    [entry] = delivered(lumina, collector, marker)
    lumina.shutdown()
    assert entry["protocol"] == "luminalog"


@pytest.mark.parametrize(
    ("batch_size", "logged", "used", "requests"),
    [(10, 100, 50, 2), (1000, 600, 500, 2)],
)
def test_batch_size_is_clamped_to_50_to_500_with_a_warning(
    make_logger: Callable[..., LuminaLog],
    collector: Collector,
    marker: str,
    capfd: pytest.CaptureFixture[str],
    batch_size: int,
    logged: int,
    used: int,
    requests: int,
) -> None:
    lumina = make_logger(batch_size=batch_size, flush_interval=60.0)
    warning = f"batch_size {batch_size} is outside 50..=500"
    assert warning in stderr_until(capfd, warning)
    for number in range(logged):
        lumina.info(marker, n=number)
    assert len(delivered(lumina, collector, marker)) == logged
    assert lumina.stats()["requests"] == requests, f"requests of at most {used} entries"


def test_a_batch_size_in_range_gives_no_warning(
    make_logger: Callable[..., LuminaLog], capfd: pytest.CaptureFixture[str]
) -> None:
    make_logger(batch_size=50)
    make_logger(batch_size=500)
    # Lines are written in order: once a later warning is out, any from the two above would be.
    make_logger(batch_size=49)
    written = stderr_until(capfd, "batch_size 49 is outside")
    assert written.count("batch_size") == 1, written


@pytest.mark.parametrize("level", list(STORED_LEVELS))
def test_each_level_method_sends_its_level_with_dict_and_keyword_metadata(
    lumina: LuminaLog, collector: Collector, marker: str, level: str
) -> None:
    method = getattr(lumina, level)
    assert method(marker, {"user_id": "u1", "step": 1}, step=2) == ferrolog.Result.OK
    [entry] = delivered(lumina, collector, marker)
    assert entry["level"] == STORED_LEVELS[level]
    assert entry["attributes"] == {"user_id": "u1", "step": 2}, "keywords win over the dict"


def test_metadata_keeps_its_json_types(lumina: LuminaLog, collector: Collector, marker: str) -> None:
    metadata = {"amount": 12.5, "items": 3, "paid": True, "user_id": None, "cart": {"skus": ["a", "b"]}}
    lumina.info(marker, metadata)
    [entry] = delivered(lumina, collector, marker)
    assert entry["attributes"] == metadata


def test_the_references_production_example_runs_with_only_its_import_changed(
    collector: Collector, marker: str
) -> None:
    logger_options = {"api_key": "test-key", "endpoint": f"{collector.url}/v1/logs"}
    app_logger = LuminaLog(
        **logger_options,
        environment="production",
        project_id="ecommerce-api",
        min_level="info",
        privacy_mode=False,
        batch_size=50,
        flush_interval=3.0,
        debug=False,
    )
    request_log = app_logger.child({"request_id": marker, "method": "POST", "path": "/api/checkout"})
    request_log.debug("Detailed variable state", {"vars": {}})
    request_log.info("Request started")
    try:
        raise LookupError("no such order")
    except LookupError as exc:
        request_log.capture_error(exc, {"path": "/api/checkout", "method": "POST"})
    request_log.info("Request completed", {"status_code": 500, "duration_ms": 1.25})
    app_logger.shutdown()
    entries = collector.entries(attr=f"request_id={marker}")
    assert [(entry["level"], entry["message"]) for entry in entries] == [
        (7, "Request started"),
        (4, "no such order"),
        (7, "Request completed"),
    ]
    assert {entry["project_id"] for entry in entries} == {"ecommerce-api"}
    assert entries[2]["attributes"]["status_code"] == 500


def test_panic_is_delivered_before_it_returns(lumina: LuminaLog, collector: Collector, marker: str) -> None:
    lumina.panic(marker, {"reason": "disk"})
    [entry] = collector.entries(text=marker)
    assert entry["level"] == STORED_LEVELS["panic"]


def test_child_loggers_nest_and_merge_their_metadata(
    lumina: LuminaLog, collector: Collector, marker: str
) -> None:
    request_log = lumina.child({"request_id": "req_123", "path": "/pay"})
    transaction_log = request_log.child({"user_id": "user_456"}).child(transaction_id="txn_789")
    transaction_log.info(marker, {"path": "/refund"})
    request_log.warn(marker)
    lumina.error(marker)
    entries = delivered(lumina, collector, marker)
    assert [entry["attributes"] for entry in entries if entry["level"] == 7] == [
        {"request_id": "req_123", "path": "/refund", "user_id": "user_456", "transaction_id": "txn_789"}
    ]
    assert [entry["attributes"] for entry in entries if entry["level"] == 5] == [
        {"request_id": "req_123", "path": "/pay"}
    ]
    assert [entry.get("attributes") for entry in entries if entry["level"] == 4] == [None]


def charge(order: str) -> None:
    raise ValueError(order)


def checkout(order: str) -> None:
    charge(order)


@pytest.mark.parametrize("method", ["capture_error", "capture_exception"])
def test_a_captured_error_carries_type_message_frames_and_context(
    lumina: LuminaLog, collector: Collector, marker: str, method: str
) -> None:
    try:
        checkout(marker)
    except ValueError as exc:
        assert getattr(lumina, method)(exc, {"user_id": "user_123"}) == ferrolog.Result.OK
    [entry] = delivered(lumina, collector, marker)
    assert entry["level"] == STORED_LEVELS["error"]
    assert entry["message"] == marker, "without a message, the error's text"
    error = entry["error"]
    assert (error["type"], error["message"]) == ("ValueError", marker)
    assert error["context"]["user_id"] == "user_123"
    assert entry["attributes"]["user_id"] == "user_123"
    frames = error["stack_trace"]
    assert all(isinstance(frame, str) for frame in frames)
    functions = [frame.rstrip().rsplit(" in ", 1)[1] for frame in frames]
    assert functions == [
        "test_a_captured_error_carries_type_message_frames_and_context",
        "checkout",
        "charge",
    ]
    assert f'File "{__file__}"' in frames[-1], "outermost first, as Python prints them"


def test_a_captured_error_takes_a_message_and_the_childs_metadata(
    lumina: LuminaLog, collector: Collector, marker: str
) -> None:
    child = lumina.child({"request_id": "r-1"})
    child.capture_error(KeyError("card"), marker, {"amount": 10})
    child.capture_error(KeyError("card"), {"amount": 20}, message=marker)
    entries = delivered(lumina, collector, marker)
    assert [entry["message"] for entry in entries] == [marker, marker]
    assert [entry["error"]["message"] for entry in entries] == ["'card'", "'card'"]
    assert [entry["error"]["context"]["amount"] for entry in entries] == [10, 20]
    assert all(entry["error"]["context"]["request_id"] == "r-1" for entry in entries)


def test_min_level_filters_logs_but_not_captured_errors(
    make_logger: Callable[..., LuminaLog], collector: Collector, marker: str
) -> None:
    lumina = make_logger(min_level="warn")
    assert lumina.debug(marker) == ferrolog.Result.FILTERED
    assert lumina.info(marker) == ferrolog.Result.FILTERED
    assert lumina.child(a=1).info(marker) == ferrolog.Result.FILTERED
    lumina.warn(marker)
    lumina.fatal(marker)
    lumina.capture_error(RuntimeError(marker))
    levels = sorted(entry["level"] for entry in delivered(lumina, collector, marker))
    assert levels == [3, 4, 5]


def test_generated_ids_are_distinct_uuid4_texts() -> None:
    trace_ids = {generate_trace_id() for _ in range(100)}
    span_ids = {generate_span_id() for _ in range(100)}
    assert len(trace_ids | span_ids) == 200
    assert all(is_uuid4(text) for text in trace_ids | span_ids)


def test_generated_ids_travel_as_metadata(lumina: LuminaLog, collector: Collector, marker: str) -> None:
    trace_id, span_id = generate_trace_id(), generate_span_id()
    lumina.info(marker, {"trace_id": trace_id, "span_id": span_id})
    [entry] = delivered(lumina, collector, marker)
    assert entry["attributes"] == {"trace_id": trace_id, "span_id": span_id}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-trace-id": "abc"}, "abc"),
        ({"traceparent": TRACEPARENT}, "4bf92f3577b34da6a3ce929d0e0e4736"),
        ({"X-Request-ID": "req-9", "traceparent": TRACEPARENT}, "req-9"),
        ({"x-request-id": "req-9", "X-Trace-Id": "abc"}, "abc"),
        ({"x-trace-id": "", "x-request-id": "req-9"}, "req-9"),
    ],
)
def test_the_trace_id_of_a_request_follows_luminalogs_order(headers: dict[str, str], expected: str) -> None:
    assert get_trace_id_from_request(headers) == expected


@pytest.mark.parametrize(
    "traceparent",
    [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736",
    ],
)
def test_an_invalid_traceparent_gives_a_new_uuid4(traceparent: str) -> None:
    trace_id = get_trace_id_from_request({"traceparent": traceparent})
    assert is_uuid4(trace_id)
    assert trace_id != get_trace_id_from_request({"traceparent": traceparent})


def test_no_trace_headers_give_a_new_uuid4() -> None:
    assert is_uuid4(get_trace_id_from_request({"accept": "text/html"}))
    assert is_uuid4(get_trace_id_from_request({}))


class HeadersLikeWerkzeug:
    """Headers with .items() that are not a Mapping, as Flask's are."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return self.pairs


class Request:
    def __init__(self, headers: object) -> None:
        self.headers = headers


class RequestLikeStarlette(Mapping[str, Any]):
    """A request that is itself a Mapping over its ASGI scope, with headers beside it."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.scope: dict[str, Any] = {"type": "http", "headers": [(b"x-trace-id", b"scope")]}
        self.headers = headers

    def __getitem__(self, key: str) -> Any:
        return self.scope[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scope)

    def __len__(self) -> int:
        return len(self.scope)


@pytest.mark.parametrize(
    "request_like",
    [
        Request({"X-Trace-Id": "abc"}),
        RequestLikeStarlette({"x-trace-id": "abc"}),
        Request(HeadersLikeWerkzeug([("X-Trace-Id", "abc")])),
        HeadersLikeWerkzeug([("x-trace-id", "abc")]),
    ],
)
def test_a_request_object_or_its_headers_are_accepted(request_like: object) -> None:
    assert get_trace_id_from_request(request_like) == "abc"


def test_shutdown_stops_the_children_too(lumina: LuminaLog, marker: str) -> None:
    child = lumina.child(a=1)
    assert lumina.shutdown()
    assert child.info(marker) == ferrolog.Result.SHUT_DOWN


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"api_key": None}, TypeError, "api_key must be a str"),
        ({"api_key": ""}, ValueError, "api_key is required"),
        ({"min_level": "verbose"}, ValueError, "min_level must be one of debug, info, warn"),
        ({"min_level": "warning"}, ValueError, "min_level must be one of"),
        ({"batch_size": "100"}, TypeError, "batch_size must be an int"),
        ({"flush_interval": 0}, ferrolog.ConfigError, "flush_interval"),
        ({"flush_interval": "soon"}, ferrolog.ConfigError, "flush_interval"),
        ({"endpoint": "not a url"}, ferrolog.ConfigError, "endpoint"),
        ({"environment": None}, TypeError, "option environment must be"),
    ],
)
def test_bad_options_raise_clear_errors(
    collector: Collector, options: dict[str, Any], error: type[Exception], match: str
) -> None:
    arguments = {"api_key": "test-key", "endpoint": f"{collector.url}/v1/logs", **options}
    with pytest.raises(error, match=match):
        LuminaLog(**arguments)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda lumina: lumina.info(42), TypeError, "message must be a str"),
        (lambda lumina: lumina.info("x", ["not", "a", "dict"]), TypeError, "info metadata must be a dict"),
        (lambda lumina: lumina.child("request"), TypeError, "child metadata must be a dict"),
        (lambda lumina: lumina.capture_error("boom"), TypeError, "takes an exception"),
        (lambda lumina: lumina.capture_error(ValueError(), [1]), TypeError, "context must be a dict"),
        (lambda lumina: lumina.capture_error(ValueError(), "m", "n"), TypeError, "context must be a dict"),
        (
            lambda lumina: lumina.capture_error(ValueError(), {}, message=3),
            TypeError,
            "message must be a str",
        ),
        (lambda lumina: lumina.flush(-1), ValueError, "timeout"),
    ],
)
def test_bad_arguments_raise_clear_errors(
    lumina: LuminaLog, call: Callable[[LuminaLog], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call(lumina)


@pytest.mark.parametrize(
    ("argument", "match"),
    [
        (42, "takes a request with .headers or a mapping of headers, not int"),
        ({"x-trace-id": 7}, "header value must be a str"),
        (Request(None), "not NoneType"),
    ],
)
def test_bad_trace_arguments_raise_clear_errors(argument: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        get_trace_id_from_request(argument)
