"""Back up while the site runs, restore, and find everything as it was."""

import sqlite3
import threading
from contextlib import closing

import pytest

from tests.conftest import make_app, make_user, sign_in
from trainer.extensions import db
from trainer.models import ModuleRead, User


def rows(path) -> dict[str, list]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        # Table names come from sqlite_master itself, never from input.
        select_all = 'SELECT * FROM "{}" ORDER BY 1'
        return {t: connection.execute(select_all.format(t)).fetchall() for t in tables}


@pytest.fixture
def site(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.db'}")
    with app.app_context():
        db.create_all()
        make_user("learner", email="lena@example.org")
    return app


def test_backup_restore_round_trip_gives_back_exactly_what_was_there(site, tmp_path):
    client = site.test_client()
    sign_in(client, "lena@example.org")
    client.post("/courses/basics/why-share/complete")
    live, copy = tmp_path / "live.db", tmp_path / "backups" / "monday.db"
    before = rows(live)
    runner = site.test_cli_runner()
    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"Backed up to {copy}" in result.output
    client.post("/courses/basics/how-to-decide/complete")  # a change after the backup
    with site.app_context():
        db.session.execute(db.delete(User))
        db.session.commit()
        db.engine.dispose()
    assert rows(live) != before
    refused = runner.invoke(args=["restore", str(copy)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert rows(live) == before


def test_a_backup_taken_while_people_write_is_consistent(site, tmp_path):
    with site.app_context():
        user_id = db.session.scalars(db.select(User.id)).one()
    stop = threading.Event()

    def keep_writing():
        with site.app_context():
            n = 0
            while not stop.is_set() and n < 2000:
                db.session.add(ModuleRead(user_id=user_id, course_id="basics", module_id=f"m{n}"))
                db.session.commit()
                n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = site.test_cli_runner().invoke(args=["backup", str(tmp_path / "during.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(tmp_path / "during.db")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "{existing}"], "already exists"),
        (["restore", "{missing}", "--yes"], "there is no backup"),
        (["restore", "{not_sqlite}", "--yes"], "is not a sound SQLite database"),
    ],
)
def test_backup_mistakes_are_explained_and_exit_non_zero(site, tmp_path, args, message):
    (tmp_path / "existing.db").write_bytes(b"")
    (tmp_path / "not_sqlite.db").write_text("hello")
    paths = {k: str(tmp_path / f"{k}.db") for k in ("existing", "missing", "not_sqlite")}
    result = site.test_cli_runner().invoke(args=[a.format(**paths) for a in args])
    assert result.exit_code != 0
    assert message in result.output


def test_postgresql_is_pointed_to_its_own_tools(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://u@127.0.0.1:1/x")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.db")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output
