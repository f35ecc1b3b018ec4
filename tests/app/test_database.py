"""The database: migrations match the models, and the rules the database holds are enforced."""

import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, event
from sqlalchemy.exc import IntegrityError, OperationalError

from tests.conftest import make_organisation, make_user
from trainer.database import MIGRATIONS, bind_migrations, configure_engine
from trainer.extensions import db
from trainer.models import RoleGrant


def test_migrations_build_exactly_the_schema_the_models_describe(app):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    bind_migrations(app)
    upgrade(directory=str(MIGRATIONS))
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE alembic_version")


def test_email_addresses_are_unique(app):
    make_user("learner", email="same@example.org")
    with pytest.raises(ValueError, match="already exists"):
        make_user("trainer", email="SAME@example.org")


def test_unknown_roles_are_refused_by_the_database(app):
    user = make_user("learner")
    db.session.add(RoleGrant(user_id=user.id, role="superuser"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_deleting_an_organisation_keeps_its_people(app):
    org = make_organisation()
    user = make_user("learner", org=org)
    db.session.delete(org)
    db.session.commit()
    db.session.refresh(user)
    assert user.organisation_id is None


def test_times_are_stored_and_read_back_in_utc(app):
    user = make_user("learner")
    db.session.expire_all()
    assert user.created_at.utcoffset().total_seconds() == 0


@pytest.mark.postgres
def test_the_suite_is_running_on_postgresql(app):
    assert db.engine.dialect.name == "postgresql"


def test_writers_to_a_sqlite_file_wait_their_turn_instead_of_failing(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    configure_engine(engine)

    @event.listens_for(engine, "connect")
    def no_waiting_in_sqlite(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=0")  # SQLite alone would fail at once

    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE fact (writer TEXT)")
    first_is_writing, failures = threading.Event(), []

    def second_writer():
        first_is_writing.wait()
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO fact VALUES ('second')")
        except OperationalError as error:
            failures.append(error)

    second = threading.Thread(target=second_writer)
    second.start()
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO fact VALUES ('first')")
        first_is_writing.set()
        time.sleep(0.2)  # the second writer arrives while the first still writes
    second.join()
    with engine.connect() as connection:
        written = connection.exec_driver_sql("SELECT writer FROM fact").scalars().all()
    engine.dispose()
    assert failures == []
    assert sorted(written) == ["first", "second"]


def test_a_commit_to_a_sqlite_file_waits_until_the_disk_has_it(tmp_path):
    """Records are evidence: a commit the learner was told of must survive a power cut, so
    SQLite syncs the write-ahead log on every commit (FULL), not only at checkpoints."""
    engine = create_engine(f"sqlite:///{tmp_path / 'durable.db'}")
    configure_engine(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
