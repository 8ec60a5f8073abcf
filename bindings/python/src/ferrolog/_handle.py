"""Ownership of one core object: freed exactly once, when its Python owner goes away."""

from __future__ import annotations

import ctypes
import weakref
from collections.abc import Callable
from typing import Any

from .errors import check


class Owned:
    def __init__(self, handle: ctypes.c_void_p, free: Callable[[ctypes.c_void_p], None]) -> None:
        self._handle = handle
        self._finalizer = weakref.finalize(self, free, handle)
        # Not at exit: daemon threads may still be using the object while the interpreter
        # winds down, and freeing it under them crashes the process.
        self._finalizer.atexit = False


def new_handle(call: str, create: Callable[[Any], int]) -> ctypes.c_void_p:
    """Runs a `T **out` constructor (given the out pointer) and returns the object it made."""
    out = ctypes.c_void_p()
    check(call, create(ctypes.byref(out)))
    return out
