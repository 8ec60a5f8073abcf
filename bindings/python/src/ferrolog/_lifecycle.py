"""Clients still running when the interpreter exits get a short shutdown; a forked child
(os.fork, multiprocessing, gunicorn --preload) gets fresh workers of its own."""

from __future__ import annotations

import atexit
import os
import sys
import weakref
from typing import Protocol

from ._native import lib

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


# The core registers the same hooks with pthread_atfork; Python's own fork path runs them too,
# and the core lets the two nest. They only touch atomics: no Python runs in the core then.
os.register_at_fork(
    before=lib.ferrolog_fork_prepare,
    after_in_parent=lib.ferrolog_fork_parent,
    after_in_child=lib.ferrolog_fork_child,
)


class _ForkedChild:
    """What multiprocessing's after-fork registry keeps a weak reference to."""


_forked_child = _ForkedChild()


def _shut_down_at_multiprocessing_exit() -> None:
    # A multiprocessing child ends with os._exit, which skips atexit; its exit finalizers
    # still run when it returns normally (a Pool closed and joined). The child clears them
    # after the fork, then runs its after-fork registry: the finalizer is added from there.
    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        util.register_after_fork(
            _forked_child,
            lambda _: util.Finalize(None, _shut_down_running_clients, exitpriority=0),
        )


os.register_at_fork(after_in_child=_shut_down_at_multiprocessing_exit)
