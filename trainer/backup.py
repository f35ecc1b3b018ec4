"""Backing up and restoring the embedded SQLite database while the service keeps running.

SQLite's online backup copies a consistent snapshot page by page, so readers and writers
carry on. PostgreSQL has its own tools (pg_dump and pg_restore; see the README).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore cannot be done as asked; the message says why."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupError(
            f"{url.get_backend_name()} databases are backed up with their own tools: for "
            "PostgreSQL, pg_dump (see the README's operations part)"
        )
    return Path(url.database)


def backup(database_url: str, target: Path) -> int:
    """Copy a consistent snapshot of the live database to target; returns its size in bytes."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with a backup. Stop the service first."""
    if not source.exists():
        raise BackupError(f"there is no backup at {source}")
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError(f"{source} is not a sound SQLite database: {result}")
    _copy(source, sqlite_path(database_url))


def _copy(source: Path, target: Path) -> None:
    # A few pages at a time: writers get the database back between steps.
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy, pages=256)
