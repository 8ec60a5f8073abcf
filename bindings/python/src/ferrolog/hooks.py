"""Before-send hooks written in Python, run by the core on the thread that logs the entry.

A hook takes the entry as a dict, `{"type", "level", "message", "attributes"}` (`level` the
syslog number, 8 debug … 1 emergency; `message` the log message or the metric, event, span or
audit name), and returns it, changed in place or rebuilt, to send it, or None to drop it
(counted as `before_send`). Entries logged from inside a hook skip hooks.

A hook that raises leaves its entry as it was, as a hook that panics in the core does; the
exception is reported through the `ferrolog` stdlib logger, or, when the client was made with
`hook_errors="raise"`, raised by the call that logged the entry once the core has returned.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ._native import BeforeSendFunction, lib
from .errors import Result, check, defer, result_name

BeforeSend = Callable[[dict[str, Any]], Mapping[str, Any] | None]
HookErrors = Literal["report", "raise"]

# The entry types a Python client sends, by the name hooks are set under.
ENTRY_TYPES: dict[str, int] = {"log": 1, "metric": 2, "trace": 3, "event": 4, "audit": 5}

_report = logging.getLogger("ferrolog")
_interpreter_exiting = False


@atexit.register
def _stop_running_hooks() -> None:
    # A thread still logging while the interpreter winds down must not enter Python: its
    # entries go out as they are.
    global _interpreter_exiting
    _interpreter_exiting = True


def _replace(kind: str, entry: ctypes.c_void_p, original_type: object, kept: object) -> None:
    if not isinstance(kept, Mapping):
        raise TypeError(
            f"ferrolog: before_send_{kind} must return the entry (a dict) or None, "
            f"not {type(kept).__name__}"
        )
    replacement = dict(kept)
    if replacement.pop("type", original_type) != original_type:
        raise ValueError(f"ferrolog: before_send_{kind} cannot change the entry's type")
    try:
        data = json.dumps(replacement, default=str, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except ValueError as error:
        raise ValueError(f"ferrolog: before_send_{kind} returned an entry JSON cannot hold: {error}") from None
    result = lib.ferrolog_hook_entry_replace(entry, data, len(data))
    if result != Result.OK:
        raise ValueError(
            f"ferrolog: before_send_{kind} returned an entry the core refused ({result_name(result)}): "
            "it may hold only level (1..8 or a level name), message (a str) and attributes (a dict)"
        )


def _trampoline(kind: str, hook: BeforeSend, errors: HookErrors) -> Any:
    def call(_userdata: int | None, entry: int, text: Any, length: int) -> int:
        if _interpreter_exiting or sys.is_finalizing():
            return Result.OK
        try:
            seen: dict[str, Any] = json.loads(ctypes.string_at(text, length))
            kept = hook(seen)
            if kept is None:
                return Result.FILTERED
            _replace(kind, ctypes.c_void_p(entry), seen.get("type"), kept)
        except BaseException as error:  # noqa: BLE001 (nothing may unwind into the core)
            if errors == "raise" or not isinstance(error, Exception):
                defer(error)
            else:
                _report.error("before_send_%s raised; the entry is sent as it was", kind, exc_info=error)
        return Result.OK

    return BeforeSendFunction(call)


def checked_hooks(hooks: Mapping[str, BeforeSend] | None, errors: HookErrors) -> dict[str, BeforeSend]:
    """The hooks by entry type, refused with a clear error before any core object exists."""
    if errors not in ("report", "raise"):
        raise ValueError(f"ferrolog: hook_errors must be 'report' or 'raise', not {errors!r}")
    if hooks is None:
        return {}
    if not isinstance(hooks, Mapping):
        raise TypeError(f"ferrolog: before_send must be a dict of hooks by entry type, not {type(hooks).__name__}")
    for kind, hook in hooks.items():
        if kind not in ENTRY_TYPES:
            raise ValueError(
                f"ferrolog: no before-send hook for entry type {kind!r}; the types are {', '.join(ENTRY_TYPES)}"
            )
        if not callable(hook):
            raise TypeError(f"ferrolog: the before_send hook for {kind} must be callable, not {type(hook).__name__}")
    return dict(hooks)


def install(config: ctypes.c_void_p, hooks: Mapping[str, BeforeSend], errors: HookErrors) -> list[Any]:
    """Sets the hooks on `config`; the C functions returned must outlive every client made from it."""
    functions = []
    for kind, hook in hooks.items():
        function = _trampoline(kind, hook, errors)
        functions.append(function)
        check(
            "ferrolog_config_set_before_send",
            lib.ferrolog_config_set_before_send(config, ENTRY_TYPES[kind], function, None),
        )
    return functions
