"""Values crossing into the core: attributes as JSON, string arguments, strings read back."""

from __future__ import annotations

import ctypes
import json
import json.encoder
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._native import Str, to_str
from .errors import FerrologError, Result, check

Item = TypeVar("Item", bound=ctypes.Structure)


def _json_encoder() -> Callable[[Mapping[str, Any]], str]:
    """The stdlib's JSON encoding (values JSON cannot hold as their str(), no NaN), built once.

    `json.dumps` with options builds a `JSONEncoder`, and its `encode` a C encoder, on every
    call: the largest part of a log call's time. The C encoder, where the interpreter has
    one, is built here once instead; it keeps no state between calls when it does not track
    cycles, so threads can share it. A cycle then ends as a RecursionError, which
    `attributes_json` reports as the ValueError a cycle always was."""
    make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_c_encoder is None:
        encoder = json.JSONEncoder(default=str, allow_nan=False, ensure_ascii=False, check_circular=False)
        return encoder.encode
    # The arguments of JSONEncoder.iterencode: markers (None: no cycle tracking), default,
    # string encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan.
    c_encoder = make_c_encoder(
        None, str, json.encoder.encode_basestring, None, ": ", ", ", False, False, False
    )
    return lambda attributes: "".join(c_encoder(attributes, 0))


_encode_json = _json_encoder()


def attributes_json(attributes: Mapping[str, Any]) -> bytes:
    """One JSON object; values JSON cannot hold travel as their str()."""
    if not attributes:
        return b""
    try:
        text = _encode_json(attributes)
    except ValueError as error:
        raise ValueError(f"ferrolog: attributes cannot be sent as JSON: {error}") from None
    except RecursionError:
        raise ValueError(
            "ferrolog: attributes cannot be sent as JSON: circular or nested too deeply"
        ) from None
    return text.encode("utf-8")


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
