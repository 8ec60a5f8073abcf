"""Result codes of the core and the exceptions that carry them."""

from __future__ import annotations

import ctypes
import threading
from enum import IntEnum

from ._native import lib


class Result(IntEnum):
    """ferrolog_result: stable numbers, never renumbered."""

    OK = 0
    FILTERED = 1
    DROPPED = 2
    SHUT_DOWN = 3
    NULL_ARGUMENT = 4
    INVALID_UTF8 = 5
    INVALID_JSON = 6
    INVALID_ARGUMENT = 7
    CONFIG_ERROR = 8
    BUFFER_TOO_SMALL = 9
    TIMEOUT = 10
    PANIC = 11
    TOO_LARGE = 12


# What a log call may answer without anything being wrong with its arguments, by number:
# a dict lookup costs a tenth of building the enum member from its number.
LOG_OUTCOMES = {int(r): r for r in (Result.OK, Result.FILTERED, Result.DROPPED, Result.SHUT_DOWN)}


class FerrologError(Exception):
    """A call into the core failed; `result` is its code, `name` the core's description."""

    def __init__(self, call: str, result: int, detail: str | None = None) -> None:
        self.call = call
        self.result = result
        self.name = result_name(result)
        super().__init__(f"{call}: {detail or self.name}")


class ConfigError(FerrologError, ValueError):
    """An option was refused; `option` names it when the refusal came from one option."""

    def __init__(self, call: str, result: int, detail: str, option: str | None = None) -> None:
        self.option = option
        super().__init__(call, result, detail)


def result_name(result: int) -> str:
    return (lib.ferrolog_result_str(result) or b"").decode("utf-8", "replace")


def check(call: str, result: int) -> None:
    """Raises unless the call succeeded."""
    if result != Result.OK:
        raise FerrologError(call, result)


# Exceptions before-send hooks raised, by thread, for the log call that ran the hook to raise
# once the core has returned: they cannot unwind through the core. Empty unless a hook failed,
# so a log call's whole check is the truth of one dict.
deferred: dict[int, BaseException] = {}


def defer(error: BaseException) -> None:
    deferred[threading.get_ident()] = error


def log_outcome(call: str, result: int) -> Result:
    """The outcome of a call that sends an entry; argument errors raise, and so does an
    exception deferred by a hook the call ran."""
    error = deferred.pop(threading.get_ident(), None) if deferred else None
    if error is not None:
        raise error
    outcome = LOG_OUTCOMES.get(result)
    if outcome is None:
        raise FerrologError(call, result)
    return outcome


def take_error_message(error: ctypes.c_void_p) -> str:
    """The message of a core error object, which is freed."""
    try:
        return (lib.ferrolog_error_message(error) or b"").decode("utf-8", "replace")
    finally:
        lib.ferrolog_error_free(error)
