"""Engine settings that depend on the database in use."""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from sqlalchemy import Table, event, literal, select
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"

# How long a SQLite write waits for another to finish before it fails as "database is locked".
BUSY_TIMEOUT_SECONDS = 5
WRITING = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "CREATE", "DROP", "ALTER")


def configure_engine(engine: Engine) -> None:
    """Fork safety for every database; for SQLite, foreign keys enforced and, in a file,
    write-ahead logging for concurrent readers, with writers taking turns."""
    _fresh_connections_after_fork(engine)
    if engine.dialect.name != "sqlite":
        return
    in_file = engine.url.database not in (None, "", ":memory:")
    if in_file:
        _writers_take_turns(engine)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if in_file:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Every commit waits until the disk has it (SQLite's default, said here so that
            # nobody trades it away for speed): a record the learner was told of survives a
            # power cut. Decision 15.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()


def _writers_take_turns(engine: Engine) -> None:
    """SQLite lets one connection write at a time. A writer that finds the database busy
    sleeps and retries in growing steps, so under load a write waited far longer than the
    one before it took, and sometimes gave up. Here the process's connections queue for
    their turn instead, and each starts the moment the one before it ends; only writers in
    other processes still meet SQLite's wait."""
    connection = type("Connection", (_QueuedConnection,), {"turn": threading.Lock()})

    @event.listens_for(engine, "do_connect")
    def _queued_connection(_dialect, _record, _cargs, cparams) -> None:
        cparams.setdefault("factory", connection)


class _QueuedCursor(sqlite3.Cursor):
    def execute(self, sql, parameters=()):
        with self.connection.writing(sql):
            return super().execute(sql, parameters)

    def executemany(self, sql, parameters):
        with self.connection.writing(sql):
            return super().executemany(sql, parameters)


class _QueuedConnection(sqlite3.Connection):
    """A connection that holds its engine's `turn` from its first write until no
    transaction is open."""

    turn: threading.Lock
    has_turn = False

    def cursor(self, factory=_QueuedCursor):
        return super().cursor(factory)

    @contextmanager
    def writing(self, sql: str) -> Iterator[None]:
        """Wait for this connection's turn before its first write, and give the turn up
        once no transaction is open."""
        if not self.has_turn and sql.lstrip()[:7].upper().startswith(WRITING):
            if not self.turn.acquire(timeout=BUSY_TIMEOUT_SECONDS):
                raise sqlite3.OperationalError("database is locked")
            self.has_turn = True
        try:
            yield
        finally:
            self._end_turn_outside_transaction()

    def commit(self) -> None:
        self._end_transaction(super().commit)

    def rollback(self) -> None:
        self._end_transaction(super().rollback)

    def _end_transaction(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            self._end_turn_outside_transaction()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.has_turn:
                self.has_turn = False
                self.turn.release()

    def _end_turn_outside_transaction(self) -> None:
        if self.has_turn and not self.in_transaction:
            self.has_turn = False
            self.turn.release()


def _fresh_connections_after_fork(engine: Engine) -> None:
    """A worker forked from a process that loaded the app (gunicorn's preload) must not use
    connections the parent opened: it drops them, unclosed, and opens its own."""
    engine_ref = weakref.ref(engine)

    def forget_parents_connections() -> None:
        forked = engine_ref()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=forget_parents_connections)


def is_reachable(engine: Engine, table: Table) -> bool:
    """Whether a real table can be read: "SELECT 1" succeeds even on a corrupt SQLite file."""
    try:
        with engine.connect() as connection:
            connection.execute(select(literal(1)).select_from(table).limit(1)).all()
    except Exception:  # any failure means not healthy; the health check reports, never raises
        return False
    return True


def bind_migrations(app: Flask) -> None:
    """Make the schema migrations available to the `trainer` command.

    Only the command line binds them: a web worker never imports Alembic, which would add
    memory to every worker and time to every start.
    """
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from .extensions import db

    Migrate(app, db, directory=str(MIGRATIONS))
