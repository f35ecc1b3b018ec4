"""Engine settings that depend on the database in use."""

from __future__ import annotations

import os
import weakref
from pathlib import Path

from flask import Flask
from sqlalchemy import Table, event, literal, select
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def configure_engine(engine: Engine) -> None:
    """Fork safety for every database; for SQLite, write-ahead logging for concurrent
    readers, and foreign keys enforced."""
    _fresh_connections_after_fork(engine)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


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
