"""Work done in a forked copy of this process while this one gets on with something else.

The copy runs one function, hands its result back through a pipe and ends at once. Whoever
asks for the result gets None if the copy handed nothing back (it raised, or died), and then
does the work itself: the copy only ever saves time, never changes an outcome.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from contextlib import suppress
from typing import Any


def can_fork() -> bool:
    """Whether a copy would run beside this process: two cores or more, and fork to make it."""
    return hasattr(os, "fork") and _cores() >= 2


class Forked:
    """work() started in a forked copy; result() waits for what it hands back."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:
            _run_in_copy(work, self._read_end, write_end)
        os.close(write_end)

    def result(self) -> Any | None:
        with os.fdopen(self._read_end, "rb") as pipe:
            try:
                handed_back = pickle.load(pipe)  # noqa: S301 (written by our own fork, just now)
            except (EOFError, pickle.UnpicklingError):
                handed_back = None
        with suppress(ChildProcessError):  # a server's own child handler may have reaped it
            os.waitpid(self._pid, 0)
        return handed_back


def _run_in_copy(work: Callable[[], Any], read_end: int, write_end: int) -> None:
    """In the forked copy: run, hand the result back and end at once, without running anything
    the parent process registered to run at exit."""
    status = 1
    try:
        os.close(read_end)
        result = work()
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
