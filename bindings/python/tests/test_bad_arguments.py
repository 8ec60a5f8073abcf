"""Wrong arguments raise clear Python exceptions and never reach the core as garbage."""

from __future__ import annotations

from typing import Any

import pytest

import ferrolog


@pytest.fixture
def logger(client: ferrolog.Client) -> ferrolog.Logger:
    return client.logger()


def _cyclic() -> dict[str, Any]:
    """A dict that holds itself, which JSON cannot encode."""
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


def test_a_level_out_of_range_names_the_core_result(logger: ferrolog.Logger) -> None:
    with pytest.raises(ferrolog.FerrologError, match="ferrolog_log: an argument was out of range") as refused:
        logger.log(99, "x")
    assert refused.value.result == ferrolog.Result.INVALID_ARGUMENT
    # A C int would mask these into the range the core takes; they are refused instead.
    for too_wide in (2**32 + 6, -(2**40)):
        with pytest.raises(ferrolog.FerrologError, match="out of range"):
            logger.log(too_wide, "x")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda logger: logger.log("loud", "x"), ValueError, "unknown level 'loud'"),
        (lambda logger: logger.log(True, "x"), TypeError, "level"),
        (lambda logger: logger.info(42), TypeError, "message must be a str"),
        (lambda logger: logger.info("x", text="\ud800"), ValueError, "JSON"),
        (lambda logger: logger.info("x", loop=_cyclic()), ValueError, "JSON"),
        (lambda logger: logger.info("\ud800"), UnicodeEncodeError, "surrogate"),
        (lambda logger: logger.capture_error("not an exception"), TypeError, "takes an exception"),
        (lambda logger: logger.capture_error(ValueError(), message=3), TypeError, "message"),
        (lambda logger: logger.metric("histogram", "m", 1), ValueError, "metric kind"),
        (lambda logger: logger.gauge("m", "high"), TypeError, "value must be a number"),
        (lambda logger: logger.event(None), TypeError, "name must be a str"),
        (lambda logger: logger.span("s").header("b3"), ValueError, "header kind"),
        (lambda logger: logger.scope().set_user(7), TypeError, "user_id must be a str"),
        (lambda logger: logger.continue_from_headers({"traceparent": 1}, "s"), TypeError, "header value"),
    ],
)
def test_python_side_errors(logger: ferrolog.Logger, call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(logger)


def test_a_non_finite_metric_names_the_core_result(logger: ferrolog.Logger) -> None:
    with pytest.raises(ferrolog.FerrologError, match="ferrolog_metric: an argument was out of range"):
        logger.gauge("m", float("inf"))


def test_a_breadcrumb_level_out_of_range_is_refused(logger: ferrolog.Logger) -> None:
    with pytest.raises(ferrolog.FerrologError, match="ferrolog_logger_add_breadcrumb"):
        logger.add_breadcrumb("x", level=42)


def test_the_logger_still_works_after_refusals(logger: ferrolog.Logger) -> None:
    for bad in (
        lambda: logger.log(0, "x"),
        lambda: logger.info("x", v="\ud800"),
        lambda: logger.info("x", loop=_cyclic()),
    ):
        with pytest.raises((ferrolog.FerrologError, ValueError)):
            bad()
    assert logger.info("fine") == ferrolog.Result.OK
