"""Values crossing into the core: attributes as JSON, string arguments, strings read back."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import orjson

from ._native import Str, to_str
from .errors import FerrologError, Result, check

Item = TypeVar("Item", bound=ctypes.Structure)


# orjson writes keys that are not str as the stdlib does (`1` as "1", None as "null").
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS
# As deep as orjson goes; the core takes 64 levels in any case.
_MAX_DEPTH = 254
_INT64_RANGE = range(-(2**63), 2**64)


def attributes_json(attributes: Mapping[str, Any]) -> bytes:
    """One JSON object; values JSON cannot hold travel as their str().

    orjson encodes it, five times faster than the stdlib's encoder, which was the largest
    part of a log call's time. NaN and the infinities become null, as in JavaScript's
    JSON.stringify. Integers beyond 64 bits, which orjson refuses, travel as their digits:
    the receiving side's JSON numbers could not hold them exactly anyway."""
    if not attributes:
        return b""
    try:
        return orjson.dumps(attributes, default=str, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        pass
    try:
        widened = _wide_integers_as_text(attributes, 0)
        return orjson.dumps(widened, default=str, option=_ORJSON_OPTIONS)
    except (orjson.JSONEncodeError, ValueError) as error:
        raise ValueError(f"ferrolog: attributes cannot be sent as JSON: {error}") from None


def _wide_integers_as_text(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError("circular or nested too deeply")
    if isinstance(value, int) and not isinstance(value, bool) and value not in _INT64_RANGE:
        return str(value)
    if isinstance(value, Mapping):
        return {key: _wide_integers_as_text(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_wide_integers_as_text(item, depth + 1) for item in value]
    return value


def attributes_str(attributes: Mapping[str, Any]) -> Str:
    data = attributes_json(attributes)
    return Str(data, len(data))


def text_arg(name: str, value: object) -> Str:
    """A required string argument."""
    if not isinstance(value, str):
        raise TypeError(f"ferrolog: {name} must be a str, not {type(value).__name__}")
    return to_str(value)


def struct_array(kind: type[Item], items: list[Item]) -> tuple[ctypes.Array[Item], int]:
    """A C array of `items` and its length; never a NULL pointer, even when empty (the core
    reads NULL frames as "take the native stack"). The array keeps the items' bytes alive."""
    return (kind * max(len(items), 1))(*items), len(items)


def read_string(call: str, write: Callable[[ctypes.Array[ctypes.c_char], int, Any], int]) -> str:
    """Reads a string the core copies into a caller buffer, growing it once if needed."""
    needed = ctypes.c_size_t(0)
    capacity = 256
    for _ in range(2):
        buffer = ctypes.create_string_buffer(capacity)
        result = write(buffer, capacity, ctypes.byref(needed))
        if result != Result.BUFFER_TOO_SMALL:
            check(call, result)
            return buffer.value.decode("utf-8")
        capacity = needed.value
    raise FerrologError(call, Result.BUFFER_TOO_SMALL)
