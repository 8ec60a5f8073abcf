"""Clients still running when the interpreter exits get a short shutdown."""

from __future__ import annotations

import atexit
import weakref
from typing import Protocol

# Long enough to send what a short program logged last, short enough not to hold up its exit.
EXIT_DEADLINE_SECONDS = 0.5


class _ShutsDown(Protocol):
    def shutdown(self, timeout: float = ...) -> bool: ...


_running: weakref.WeakSet[_ShutsDown] = weakref.WeakSet()


def track(client: _ShutsDown) -> None:
    _running.add(client)


def forget(client: _ShutsDown) -> None:
    _running.discard(client)


@atexit.register
def _shut_down_running_clients() -> None:
    for client in list(_running):
        client.shutdown(EXIT_DEADLINE_SECONDS)
