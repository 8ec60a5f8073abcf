"""The LuminaLog Python SDK's API over the ferrolog core: a program written for `luminalog`
works after changing only its import to `from ferrolog.luminalog import …`.

Every documented constructor option maps to a core option of the same name: `api_key`,
`environment`, `project_id`, `privacy_mode`, `min_level` (held to LuminaLog's six names, which
is all the SDK takes; the core also takes syslog names), `batch_size` (the core clamps it to
50..500 and warns once), `flush_interval`, `endpoint` (the full ingest URL; None keeps the
core's LuminaLog default, the SDK's own) and `debug`. The protocol is always LuminaLog,
whatever the key's shape. What the SDK does with no core counterpart, and what this does:
- its own queue, timer thread and per-instance atexit hook: the core's worker batches and
  retries, and the binding's one atexit hook shuts the client down with a short deadline;
- the "LuminaLog SDK initialized" debug entry each constructor sends: not sent, since it is
  noise on the wire rather than a behaviour programs rely on;
- `child()` building a second full SDK instance: children share their parent's client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._trace_ids import generate_span_id, generate_trace_id, get_trace_id_from_request
from .client import Client
from .errors import Result
from .logger import Logger, level_number

__all__ = ["LuminaLog", "generate_span_id", "generate_trace_id", "get_trace_id_from_request"]

LEVELS = ("debug", "info", "warn", "error", "fatal", "panic")

# A panic is sent at once by the core; the caller waits this long at most for it to leave,
# as the SDK's panic flushes synchronously.
PANIC_FLUSH_SECONDS = 1.0


def _merged(call: str, metadata: Mapping[str, Any] | None, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata dict and keyword metadata of one call, the keywords winning: the caller's
    dict itself when there are no keywords, since every call only reads it."""
    if metadata is None:
        return dict(extra)
    if not extra and type(metadata) is dict:
        return metadata
    if not isinstance(metadata, Mapping):
        raise TypeError(f"ferrolog: {call} metadata must be a dict, not {type(metadata).__name__}")
    return {**metadata, **extra}


def _message_and_context(
    first: Mapping[str, Any] | str | None, second: str | Mapping[str, Any] | None
) -> tuple[str | None, Mapping[str, Any] | None]:
    """capture_error's optional message and context, in either order."""
    message, context = (first, second) if isinstance(first, str) else (second, first)
    if message is not None and not isinstance(message, str):
        raise TypeError(f"ferrolog: capture_error message must be a str, not {type(message).__name__}")
    if context is not None and not isinstance(context, Mapping):
        raise TypeError(f"ferrolog: capture_error context must be a dict, not {type(context).__name__}")
    return message, context


def _core_options(
    api_key: str,
    environment: str,
    project_id: str | None,
    privacy_mode: bool,
    min_level: str | None,
    batch_size: int,
    flush_interval: float,
    endpoint: str | None,
    debug: bool,
) -> dict[str, Any]:
    if not isinstance(api_key, str):
        raise TypeError(f"ferrolog: LuminaLog api_key must be a str, not {type(api_key).__name__}")
    if not api_key:
        raise ValueError("ferrolog: LuminaLog api_key is required")
    if min_level is not None and min_level not in LEVELS:
        raise ValueError(
            f"ferrolog: LuminaLog min_level must be one of {', '.join(LEVELS)}, not {min_level!r}"
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError(f"ferrolog: LuminaLog batch_size must be an int, not {type(batch_size).__name__}")
    options: dict[str, Any] = {
        "protocol": "luminalog",
        "api_key": api_key,
        "environment": environment,
        "privacy_mode": privacy_mode,
        "batch_size": batch_size,
        "flush_interval": flush_interval,
        "debug": debug,
    }
    optional = {"project_id": project_id, "min_level": min_level, "endpoint": endpoint}
    options.update({key: value for key, value in optional.items() if value})
    return options


def _at(level: str) -> Callable[..., Result]:
    number = level_number(level)

    def log_at(
        self: LuminaLog, message: str, metadata: Mapping[str, Any] | None = None, **extra: Any
    ) -> Result:
        # The merged dict goes to the logger's hot path as it is, not unpacked into keywords.
        return self._logger._log(number, message, _merged(level, metadata, extra))

    log_at.__name__ = log_at.__qualname__ = level
    log_at.__doc__ = f"Logs `message` at {level} with `metadata` (a dict) and keyword metadata."
    return log_at


class LuminaLog:
    """A LuminaLog logger: `LuminaLog(api_key=…, environment=…, batch_size=100, …)`."""

    def __init__(
        self,
        api_key: str,
        environment: str = "default",
        project_id: str | None = None,
        privacy_mode: bool = False,
        min_level: str | None = None,
        batch_size: int = 100,
        flush_interval: float = 5.0,
        endpoint: str | None = None,
        debug: bool = False,
    ) -> None:
        self._client = Client(
            **_core_options(
                api_key,
                environment,
                project_id,
                privacy_mode,
                min_level,
                batch_size,
                flush_interval,
                endpoint,
                debug,
            )
        )
        self._logger = self._client.logger()

    @classmethod
    def _sharing(cls, client: Client, logger: Logger) -> LuminaLog:
        instance = cls.__new__(cls)
        instance._client, instance._logger = client, logger
        return instance

    debug = _at("debug")
    info = _at("info")
    warn = _at("warn")
    error = _at("error")
    fatal = _at("fatal")
    _log_panic = _at("panic")

    def panic(self, message: str, metadata: Mapping[str, Any] | None = None, **extra: Any) -> Result:
        """Logs a system-wide failure and waits briefly for it to be delivered."""
        result = self._log_panic(message, metadata, **extra)
        self._client.flush(PANIC_FLUSH_SECONDS)
        return result

    def child(self, metadata: Mapping[str, Any] | None = None, **extra: Any) -> LuminaLog:
        """A logger adding `metadata` (and keyword metadata) to every entry; nests."""
        return self._sharing(self._client, self._logger.child(**_merged("child", metadata, extra)))

    def capture_error(
        self,
        error: BaseException,
        context: Mapping[str, Any] | str | None = None,
        message: str | Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Result:
        """Sends `error` with its type, text and frames, and `context` as its metadata.

        As in the SDK, the second argument is the context. A message, which the SDK lacks,
        comes as `message=`, or second with the context third (ferrolog's own order)."""
        text, context = _message_and_context(context, message)
        return self._logger.capture_error(error, text, **_merged("capture_error", context, extra))

    capture_exception = capture_error

    def flush(self, timeout: float = 2.0) -> bool:
        """Sends everything logged so far; False when `timeout` seconds passed first."""
        return self._client.flush(timeout)

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stops the client (a child's too: they share it), flushing what remains."""
        return self._client.shutdown(timeout)

    def stats(self) -> dict[str, Any]:
        """The core's counters (a ferrolog addition)."""
        return self._client.stats()
