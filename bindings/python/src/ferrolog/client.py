"""The client: options in, the core started, flush, shutdown and counters out."""

from __future__ import annotations

import ctypes
import json
import math
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self
from weakref import finalize as weakref_finalize

from . import _lifecycle, hooks
from ._handle import new_handle
from ._native import lib
from ._text import read_string
from .errors import ConfigError, Result, check, take_error_message
from .logger import Logger


def option_text(key: str, value: object) -> str:
    """An option's string form, as `ferrolog_config_set` and the environment take it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise TypeError(f"ferrolog: option {key} must be a str, bool, int or float, not {type(value).__name__}")


def _milliseconds(timeout: float) -> int:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"ferrolog: timeout must be a number of seconds, not {type(timeout).__name__}")
    if not math.isfinite(timeout) or timeout < 0:
        raise ValueError(f"ferrolog: timeout must be a finite number of seconds >= 0, not {timeout}")
    return round(timeout * 1000)


def _config_call(call: str, option: str | None, invoke: Callable[[Any], int]) -> None:
    """Runs a call that may answer an error object, raising it as a ConfigError."""
    error = ctypes.c_void_p()
    result = invoke(ctypes.byref(error))
    if result != Result.OK:
        detail = take_error_message(error) if error else ""
        raise ConfigError(call, result, detail, option)


def _free_client(handle: ctypes.c_void_p, hook_functions: list[Any]) -> None:
    """Frees the client; holding `hook_functions` until then keeps its C hooks callable."""
    lib.ferrolog_client_free(handle)


class Client:
    """A running ferrolog client. `Client(api_key="…", endpoint="…")`; every option of the
    README's table is a keyword, its value a str, bool, int or float.

    `before_send` maps entry types (`log`, `metric`, `trace`, `event`, `audit`) to hooks (see
    `ferrolog.hooks`); `hook_errors` says whether a hook's exception is reported through the
    `ferrolog` stdlib logger or raised by the call that logged the entry."""

    def __init__(
        self,
        *,
        before_send: Mapping[str, hooks.BeforeSend] | None = None,
        hook_errors: hooks.HookErrors = "report",
        **options: Any,
    ) -> None:
        self._start(options, {}, hooks.checked_hooks(before_send, hook_errors), hook_errors, from_env=False)

    @classmethod
    def from_env(
        cls,
        *,
        defaults: Mapping[str, Any] | None = None,
        before_send: Mapping[str, hooks.BeforeSend] | None = None,
        hook_errors: hooks.HookErrors = "report",
        **overrides: Any,
    ) -> Client:
        """A client configured from `defaults`, then the environment (`FERROLOG_*`,
        `LOGFLUX_*`, …), then `overrides`: each wins over the one before."""
        client = cls.__new__(cls)
        checked = hooks.checked_hooks(before_send, hook_errors)
        client._start(overrides, defaults or {}, checked, hook_errors, from_env=True)
        return client

    def _start(
        self,
        options: Mapping[str, Any],
        defaults: Mapping[str, Any],
        before_send: Mapping[str, hooks.BeforeSend],
        hook_errors: hooks.HookErrors,
        from_env: bool,
    ) -> None:
        texts = {key: option_text(key, value) for key, value in options.items()}
        default_texts = {key: option_text(key, value) for key, value in defaults.items()}
        config = new_handle("ferrolog_config_new", lib.ferrolog_config_new)
        try:
            for key, value in default_texts.items():
                self._set_option(config, key, value)
            if from_env:
                _config_call(
                    "ferrolog_config_apply_env",
                    None,
                    lambda error: lib.ferrolog_config_apply_env(config, error),
                )
            for key, value in texts.items():
                self._set_option(config, key, value)
            hook_functions = hooks.install(config, before_send, hook_errors)
            out = ctypes.c_void_p()
            _config_call(
                "ferrolog_client_new",
                None,
                lambda error: lib.ferrolog_client_new(config, ctypes.byref(out), error),
            )
        finally:
            lib.ferrolog_config_free(config)
        self._handle = out
        # At exit the lifecycle hook shuts the client down with a short deadline instead.
        self._finalizer = weakref_finalize(self, _free_client, out, hook_functions)
        self._finalizer.atexit = False
        _lifecycle.track(self)

    @staticmethod
    def _set_option(config: ctypes.c_void_p, key: str, value: str) -> None:
        key_data, value_data = key.encode("utf-8"), value.encode("utf-8")
        _config_call(
            "ferrolog_config_set",
            key,
            lambda error: lib.ferrolog_config_set(
                config, key_data, len(key_data), value_data, len(value_data), error
            ),
        )

    def logger(self) -> Logger:
        """The root logger, with no attributes of its own."""
        handle = new_handle(
            "ferrolog_client_logger", lambda out: lib.ferrolog_client_logger(self._handle, out)
        )
        return Logger(handle, self)

    def flush(self, timeout: float = 2.0) -> bool:
        """Sends everything logged before the call; False when `timeout` seconds passed first."""
        return self._settled(
            "ferrolog_client_flush", lib.ferrolog_client_flush(self._handle, _milliseconds(timeout), None)
        )

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stops the client, delivering what is owed within `timeout` seconds; False when some
        of it was still in flight at the deadline. A second call does nothing."""
        result = lib.ferrolog_client_shutdown(self._handle, _milliseconds(timeout), None)
        _lifecycle.forget(self)
        return self._settled("ferrolog_client_shutdown", result)

    @staticmethod
    def _settled(call: str, result: int) -> bool:
        if result == Result.TIMEOUT:
            return False
        check(call, result)
        return True

    def stats(self) -> dict[str, Any]:
        """The client's counters (`accepted`, `sent`, `dropped`, drop reasons, …)."""
        stats = new_handle("ferrolog_client_stats", lambda out: lib.ferrolog_client_stats(self._handle, out))
        try:
            text = read_string(
                "ferrolog_stats_json",
                lambda buf, capacity, needed: lib.ferrolog_stats_json(stats, buf, capacity, needed),
            )
        finally:
            lib.ferrolog_stats_free(stats)
        counters: dict[str, Any] = json.loads(text)
        return counters

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.shutdown()
