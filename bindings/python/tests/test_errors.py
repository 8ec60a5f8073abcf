"""Python exceptions captured with their type, message, frames, chain and breadcrumbs (LogFlux
carries all of them)."""

from __future__ import annotations

from typing import Any

import pytest

import ferrolog
from conftest import Collector, sent

THIS_FILE = __file__


class PaymentDeclined(Exception):
    pass


def charge(card: str) -> None:
    raise KeyError(card)


def checkout(card: str) -> None:
    try:
        charge(card)
    except KeyError as error:
        raise PaymentDeclined("card refused") from error


def checkout_while_handling() -> None:
    try:
        charge("none")
    except KeyError:
        raise RuntimeError("while handling")  # the implicit __context__ is the point


def raised(function: Any, *args: Any) -> BaseException:
    with pytest.raises(BaseException) as caught:
        function(*args)
    return caught.value


def test_an_exception_travels_with_type_message_frames_and_cause(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    exc = raised(checkout, "4111")
    assert logflux_client.logger().capture_error(exc, marker, order="o-1") == ferrolog.Result.OK
    [entry] = sent(logflux_client, collector, text=marker)
    error = entry["error"]
    assert error["type"] == "PaymentDeclined"
    assert entry["attributes"]["error"] == "card refused"
    assert entry["attributes"]["order"] == "o-1"
    assert entry["level"] == 4
    assert error["error_chain"] == [
        {"type": "PaymentDeclined", "message": "card refused"},
        {"type": "KeyError", "message": "'4111'"},
    ]
    functions = [frame["function"] for frame in error["stack_trace"]]
    assert functions == ["checkout", "raised"], "innermost first"
    innermost = error["stack_trace"][0]
    assert innermost["file"] == THIS_FILE
    assert innermost["line"] == checkout.__code__.co_firstlineno + 4


def test_the_implicit_context_is_part_of_the_chain(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    exc = raised(checkout_while_handling)
    logflux_client.logger().capture_error(exc, marker)
    [entry] = sent(logflux_client, collector, text=marker)
    assert [link["type"] for link in entry["error"]["error_chain"]] == ["RuntimeError", "KeyError"]


def test_a_suppressed_context_is_left_out(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    try:
        try:
            charge("x")
        except KeyError:
            raise ValueError(marker) from None
    except ValueError as exc:
        logflux_client.logger().capture_exception(exc)
    [entry] = sent(logflux_client, collector, text=marker)
    assert entry["error"]["type"] == "ValueError"
    assert "error_chain" not in entry["error"]
    assert entry["message"] == marker, "without a message, the error's text is the entry's"


def test_an_exception_never_raised_has_no_frames(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    logflux_client.logger().capture_error(ValueError(marker))
    [entry] = sent(logflux_client, collector, text=marker)
    assert entry["error"]["type"] == "ValueError"
    assert "stack_trace" not in entry["error"]


def test_capture_exception_takes_the_one_being_handled(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    try:
        charge(marker)
    except KeyError:
        logflux_client.logger().capture_exception(message=marker)
    [entry] = sent(logflux_client, collector, text=marker)
    assert entry["error"]["type"] == "KeyError"
    assert entry["error"]["stack_trace"][0]["function"] == "charge"


def test_capture_exception_outside_a_handler_is_refused(logflux_client: ferrolog.Client) -> None:
    with pytest.raises(ValueError, match="exception being handled"):
        logflux_client.logger().capture_exception()


def test_breadcrumbs_travel_with_a_captured_error(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    scope = logflux_client.logger().scope()
    scope.add_breadcrumb("opened the cart", category="ui", level="info", data={"items": 3})
    scope.capture_error(ValueError(marker))
    [entry] = sent(logflux_client, collector, text=marker)
    crumbs = entry["error"]["breadcrumbs"]
    assert [(crumb["message"], crumb["category"]) for crumb in crumbs] == [("opened the cart", "ui")]
    assert crumbs[0]["data"] == {"items": "3"}


def test_a_capture_may_set_its_level_and_fingerprint(
    logflux_client: ferrolog.Client, collector: Collector, marker: str
) -> None:
    exc = raised(checkout, "4111")
    logger = logflux_client.logger()
    assert logger.capture_error(exc, marker, level="critical", fingerprint="checkout-declined") == ferrolog.Result.OK
    [entry] = sent(logflux_client, collector, text=marker)
    assert entry["level"] == 3
    assert entry["attributes"]["error.fingerprint"] == "checkout-declined"


def test_a_capture_refuses_options_of_the_wrong_type(logflux_client: ferrolog.Client) -> None:
    exc = raised(checkout, "4111")
    logger = logflux_client.logger()
    with pytest.raises(TypeError, match="fingerprint"):
        logger.capture_error(exc, fingerprint=7)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown level"):
        logger.capture_exception(exc, level="loud")
