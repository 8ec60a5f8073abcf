"""A `logging.Handler` that sends stdlib log records through ferrolog."""

from __future__ import annotations

import functools
import logging
from typing import Any

from .client import Client
from .context import current_logger
from .logger import Logger, level_number

# Ordered by stdlib level; a custom level goes to the nearest, and a tie to the more severe.
_LEVELS: tuple[tuple[int, str], ...] = (
    (logging.DEBUG, "debug"),
    (logging.INFO, "info"),
    (logging.WARNING, "warning"),
    (logging.ERROR, "error"),
    (logging.CRITICAL, "critical"),
)

# What every LogRecord carries by itself, plus what formatters add to it; the rest came from `extra`.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def ferrolog_level(levelno: int) -> str:
    """The ferrolog level name of a stdlib level number."""
    _, name = min(_LEVELS, key=lambda level: (abs(level[0] - levelno), -level[0]))
    return name


# A program logs at a handful of levels: each is mapped once, not on every record.
@functools.lru_cache(maxsize=64)
def _core_level(levelno: int) -> int:
    return level_number(ferrolog_level(levelno))


def extra_attributes(record: logging.LogRecord) -> dict[str, Any]:
    """The fields `extra=` added to `record`."""
    return {key: value for key, value in record.__dict__.items() if key not in _RECORD_ATTRIBUTES}


class FerrologHandler(logging.Handler):
    """Sends each record as a ferrolog entry: its message, its `extra` fields and the stdlib
    logger's name as `logger` (which wins over an `extra` field of that name). A record with
    `exc_info` becomes a captured error. Inside `ferrolog.context.request_scope`, entries go
    through the current scope instead of the handler's logger."""

    def __init__(self, logger: Logger | Client, level: int | str = logging.NOTSET) -> None:
        super().__init__(level)
        self._logger = logger.logger() if isinstance(logger, Client) else logger

    def emit(self, record: logging.LogRecord) -> None:
        try:
            target = current_logger(self._logger)
            message = record.getMessage()
            attributes = extra_attributes(record)
            attributes["logger"] = record.name
            exc = record.exc_info[1] if record.exc_info else None
            if exc is not None:
                target.capture_error(exc, message, **attributes)
            else:
                target._log(_core_level(record.levelno), message, attributes)
        except Exception:  # noqa: BLE001 (stdlib handlers catch everything too)
            # A logging call must never break the program that makes it.
            self.handleError(record)
