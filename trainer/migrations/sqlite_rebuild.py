"""Help for migrations that make SQLite rebuild tables."""

from contextlib import contextmanager

from alembic import op


@contextmanager
def foreign_keys_off():
    """SQLite changes a table by building a new one and dropping the old: with foreign keys
    on, dropping the old table would delete every row that refers to it. Elsewhere, nothing."""
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    with op.get_context().autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
    if op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('foreign keys are still on: the tables cannot be rebuilt safely')
    yield
    with op.get_context().autocommit_block():
        op.execute('PRAGMA foreign_keys=ON')
