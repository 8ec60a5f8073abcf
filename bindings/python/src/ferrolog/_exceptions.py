"""A Python exception as the core's captured error: type, message, frames and cause chain."""

from __future__ import annotations

import ctypes
import traceback

from ._native import Cause, Frame, to_str
from ._text import struct_array

# The core keeps at most this many links, the error itself included.
MAX_CHAIN = 10


def error_type(exc: BaseException) -> str:
    return type(exc).__name__


def frames_of(exc: BaseException) -> list[Frame]:
    """The traceback's frames, innermost (the one that raised) first."""
    summary = traceback.extract_tb(exc.__traceback__)
    return [
        Frame(to_str(frame.name), to_str(frame.filename), frame.lineno or 0) for frame in reversed(summary)
    ]


def chain_of(exc: BaseException) -> list[BaseException]:
    """The exceptions beneath `exc`, outward: `__cause__`, else an unsuppressed `__context__`."""
    chain: list[BaseException] = []
    seen = {id(exc)}
    current: BaseException | None = exc
    while current is not None and len(chain) < MAX_CHAIN - 1:
        below = current.__cause__
        if below is None and not current.__suppress_context__:
            below = current.__context__
        if below is None or id(below) in seen:
            break
        seen.add(id(below))
        chain.append(below)
        current = below
    return chain


def exception_arrays(
    exc: BaseException,
) -> tuple[tuple[ctypes.Array[Frame], int], tuple[ctypes.Array[Cause], int]]:
    """The frames and the causes of `exc` as C arrays with their lengths."""
    causes = [Cause(to_str(error_type(link)), to_str(str(link))) for link in chain_of(exc)]
    return struct_array(Frame, frames_of(exc)), struct_array(Cause, causes)
