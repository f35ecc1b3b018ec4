"""Module and case bodies rendered on two cores when a large curriculum is validated.

Rendering the Markdown of module and case bodies is most of a start that validates content.
Every body, and every target its links may name, is known before any file is parsed, so the
bodies can be rendered first: half in a forked copy of this process, half here. Each result
is what render_markdown gives for that text; a body the copy did not hand back is rendered
later by whoever asks for it, as before.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from contextlib import suppress

from .render import Rendered, Resolver, render_markdown

# Fewer bodies than this render faster here than a fork and a pipe would cost (the real
# curriculum has about 30; the benchmarks' generated one 180).
WORTH_SHARING = 64


def prerender(texts: Iterable[str], resolver: Resolver) -> dict[str, Rendered]:
    """The rendering of each distinct text, shared with a forked copy when that is worth it;
    empty when it is not."""
    distinct = list(dict.fromkeys(text for text in texts if text.strip()))
    if len(distinct) < WORTH_SHARING or _cores() < 2 or not hasattr(os, "fork"):
        return {}
    distinct.sort(key=len, reverse=True)  # taken in turn, the halves come out about even
    theirs, ours = distinct[::2], distinct[1::2]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _render_in_copy(theirs, resolver, read_end, write_end)
    os.close(write_end)
    done = {text: render_markdown(text, resolver) for text in ours}
    with os.fdopen(read_end, "rb") as pipe:
        try:
            handed_back = pickle.load(pipe)  # noqa: S301 (written by our own fork, just now)
        except (EOFError, pickle.UnpicklingError):
            handed_back = []
    with suppress(ChildProcessError):  # a server's own child handler may have reaped it
        os.waitpid(pid, 0)
    if len(handed_back) == len(theirs):
        done.update(zip(theirs, handed_back, strict=True))
    return done


def _render_in_copy(texts: list[str], resolver: Resolver, read_end: int, write_end: int) -> None:
    """In the forked copy: render, hand the results back through the pipe and end at once,
    without running anything the parent process registered to run at exit."""
    status = 1
    try:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump([render_markdown(text, resolver) for text in texts], pipe)
        status = 0
    finally:
        os._exit(status)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
