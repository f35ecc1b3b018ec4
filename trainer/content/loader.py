"""Loads a content folder into a validated Catalogue: the copy kept from an earlier start when
nothing it came from has changed (cache.py), else every file read and checked (validate.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .cache import cache_key, content_version, read_cached, write_cached
from .model import Catalogue

# Where each kind of link points; {id} is the target's id, {course} a module's course.
DEFAULT_LINKS = {
    "term": "/glossary#term-{id}",
    "case": "/cases/{id}",
    "module": "/courses/{course}/{id}",
}


def load_catalogue(
    root: Path | str,
    links: Mapping[str, str] | None = None,
    cache_dir: Path | str | None = None,
) -> Catalogue:
    """Load and validate every content file under root; raise ContentError listing all problems.

    With cache_dir, a catalogue validated before from exactly the same files (and the same
    loader) is read from there instead, and a newly validated one is stored there.
    """
    root, links = Path(root), links or DEFAULT_LINKS
    version = content_version(root)
    if cache_dir is None:
        return _validate(root, links, version)
    key = cache_key(version, links)
    catalogue = read_cached(Path(cache_dir), key)
    if catalogue is None:
        catalogue = _validate(root, links, version)
        write_cached(Path(cache_dir), key, catalogue)
    return catalogue


def _validate(root: Path, links: Mapping[str, str], version: str) -> Catalogue:
    """Read and check every file. The parsers are imported only now: a start that finds its
    catalogue kept loads no YAML, Markdown or HTML sanitiser code."""
    from .validate import validate_folder

    return validate_folder(root, links, version)
