"""The Markdown of a large curriculum rendered on two cores when it is validated.

Rendering Markdown is most of a start that validates content. Every text (module and case
bodies, and the Markdown fields of every file) and every target its links may name are known
before any file is parsed, so the texts can be rendered first: half in a forked copy of this
process, half here. Each result is what render_markdown gives for that text; a text the copy
did not hand back is rendered later by whoever asks for it, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import forked
from .render import Rendered, Resolver, render_markdown

# Less Markdown than this, in characters, is rendered here alone. The real curriculum (about
# 480,000) would validate 0.06 s sooner shared; too little to fork for from a process that may
# already run threads (a test run, a command). The benchmarks' (1,100,000) saves 0.25 s.
WORTH_SHARING = 600_000


def prerender(texts: Iterable[str], resolver: Resolver) -> dict[str, Rendered]:
    """The rendering of each distinct text, shared with a forked copy when that is worth it;
    empty when it is not."""
    distinct = list(dict.fromkeys(text for text in texts if text.strip()))
    if sum(map(len, distinct)) < WORTH_SHARING or not forked.can_fork():
        return {}
    distinct.sort(key=len, reverse=True)  # taken in turn, the halves come out about even
    theirs, ours = distinct[::2], distinct[1::2]
    copy = forked.Forked(lambda: [render_markdown(text, resolver) for text in theirs])
    done = {text: render_markdown(text, resolver) for text in ours}
    handed_back = copy.result()
    if handed_back is not None and len(handed_back) == len(theirs):
        done.update(zip(theirs, handed_back, strict=True))
    return done
