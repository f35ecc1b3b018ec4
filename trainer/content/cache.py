"""A validated catalogue kept on disk, so that a start with unchanged content skips the work.

Reading YAML, rendering every Markdown field and checking every cross-reference takes most of
a start-up. The result depends only on the content files, the loader's own code and the
versions of the libraries that read YAML and render Markdown, so it is stored under a key
made of all of those: change any byte of any of them and the key changes, the stored copy is
not used, and the content is loaded and validated afresh. Only a catalogue that passed
validation is ever stored.

The copy is a pickle in the instance folder, which is trusted like the secret key beside it:
whoever can write there can already change what the service does.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from .model import Catalogue

CONTENT_FOLDERS = ("modules", "quizzes", "case_examples")
LIBRARIES = ("Markdown", "nh3", "PyYAML")
PREFIX = "catalogue-"

logger = logging.getLogger(__name__)


def content_version(root: Path) -> str:
    """A fingerprint of every file in the content folders: their names and their bytes."""
    digest = hashlib.sha256()
    for path in content_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def cache_key(version: str, links: Mapping[str, str]) -> str:
    """The content's fingerprint with everything else the loaded catalogue depends on."""
    digest = hashlib.sha256(version.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    digest.update(f"{sys.version_info[:2]}{sorted(links.items())}".encode())
    return digest.hexdigest()[:24]


def read_cached(folder: Path, key: str) -> Catalogue | None:
    """The catalogue stored under key, or None when there is none or it cannot be read."""
    try:
        with (folder / f"{PREFIX}{key}.pickle").open("rb") as stored:
            catalogue = pickle.load(stored)  # noqa: S301 - written by this service, see above
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or outdated copy is loaded afresh, never trusted
        logger.warning("stored catalogue %s not used: %s", key, error)
        return None
    return catalogue if isinstance(catalogue, Catalogue) else None


def write_cached(folder: Path, key: str, catalogue: Catalogue) -> None:
    """Store the catalogue under key, replacing older copies; a failure only costs speed."""
    target = folder / f"{PREFIX}{key}.pickle"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".part", delete=False) as out:
            partial = Path(out.name)
            pickle.dump(catalogue, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
        for old in folder.glob(f"{PREFIX}*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError) as error:
        logger.warning("catalogue not stored in %s: %s", folder, error)
        if "partial" in locals():
            partial.unlink(missing_ok=True)


def content_files(root: Path) -> list[Path]:
    """Every file in the content folders, in a fixed order."""
    return [
        path
        for name in CONTENT_FOLDERS
        if (root / name).is_dir()
        for path in sorted(p for p in (root / name).rglob("*") if p.is_file())
    ]
