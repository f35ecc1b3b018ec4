"""Loads a content folder into a validated Catalogue: the copy kept from an earlier start when
nothing it came from has changed (cache.py), else every file read and checked (validate.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from . import forked
from .cache import cache_key, content_files, content_version, read_cached, write_cached
from .model import Catalogue

# Where each kind of link points; {id} is the target's id, {course} a module's course.
DEFAULT_LINKS = {
    "term": "/glossary#term-{id}",
    "case": "/cases/{id}",
    "module": "/courses/{course}/{id}",
}

# Fewer content files than this validate in less time than a forked copy would save (the real
# curriculum has about 75; the benchmarks' with the generated one about 280).
WORTH_FORKING = 150


def load_catalogue(
    root: Path | str,
    links: Mapping[str, str] | None = None,
    cache_dir: Path | str | None = None,
) -> Catalogue:
    """Load and validate every content file under root; raise ContentError listing all problems.

    With cache_dir, a catalogue validated before from exactly the same files (and the same
    loader) is read from there instead, and a newly validated one is stored there.
    """
    return start_loading(root, links, cache_dir, beside=False)()


def start_loading(
    root: Path | str,
    links: Mapping[str, str] | None = None,
    cache_dir: Path | str | None = None,
    beside: bool = True,
) -> Callable[[], Catalogue]:
    """Start loading as load_catalogue does; calling what this returns gives the catalogue.

    When a large folder must be validated (nothing kept) and beside is true, the validation
    runs in a forked copy of this process, so the caller can get on with the rest of its
    start in the meantime. Whatever the copy does not hand back (invalid content, say) is
    validated here when asked for, so the outcome, problems included, is the same.
    """
    root, links = Path(root), links or DEFAULT_LINKS
    version = content_version(root)
    key = cache_key(version, links) if cache_dir is not None else None
    kept = read_cached(Path(cache_dir), key) if key else None
    if kept is not None:
        return lambda: kept
    copy = None
    if beside and len(content_files(root)) >= WORTH_FORKING and forked.can_fork():
        copy = forked.Forked(lambda: _validate(root, links, version))

    def finish() -> Catalogue:
        handed_back = copy.result() if copy else None
        if isinstance(handed_back, Catalogue):
            catalogue = handed_back
        else:
            catalogue = _validate(root, links, version)
        if key:
            write_cached(Path(cache_dir), key, catalogue)
        return catalogue

    return finish


def _validate(root: Path, links: Mapping[str, str], version: str) -> Catalogue:
    """Read and check every file. The parsers are imported only now: a start that finds its
    catalogue kept loads no YAML, Markdown or HTML sanitiser code."""
    from .validate import validate_folder

    return validate_folder(root, links, version)
