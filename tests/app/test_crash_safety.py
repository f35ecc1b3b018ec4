"""A process killed in the middle of recording leaves nothing half-written, and a restart
carries on from the last complete fact."""

import io
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.app.test_learning import RIGHT_CHECK
from tests.conftest import (
    VALID_CONTENT,
    fresh_database,
    make_app,
    make_organisation,
    make_user,
    sign_in,
)
from trainer.extensions import db
from trainer.mail import outbox_folder
from trainer.models import Answer, Attempt, AuditEvent, ImportBatch, User

# Run in a separate process, which dies (os._exit, as a kill would) after every answer of a
# knowledge check has been written to the transaction and before it is committed.
DIE_MID_SUBMISSION = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from tests.conftest import make_app, sign_in
    import trainer.learn.attempts as attempts

    def killed(*args, **kwargs):
        os._exit(9)

    attempts._finish = killed
    app = make_app(__import__("pathlib").Path({folder!r}), SQLALCHEMY_DATABASE_URI={url!r})
    client = app.test_client()
    sign_in(client, "lena@example.org")
    client.post({attempt_url!r}, data={form!r})
    os._exit(0)  # not reached: the submission must have died first
    """
)


def test_a_process_killed_mid_submission_leaves_no_partial_attempt_and_resumes(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        make_user("learner", email="lena@example.org")
    client = app.test_client()
    sign_in(client, "lena@example.org")
    attempt_url = client.post("/quizzes/basics-check/start").headers["Location"]
    script = DIE_MID_SUBMISSION.format(
        root=str(VALID_CONTENT.parents[3]),
        folder=str(tmp_path),
        url=url,
        attempt_url=attempt_url,
        form=RIGHT_CHECK,
    )
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert died.returncode == 9, died.stderr.decode()[-2000:]

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert attempt.finished_at is None
    # After the restart the same attempt carries on and finishes once.
    assert client.post("/quizzes/basics-check/start").headers["Location"] == attempt_url
    client.post(attempt_url, data=RIGHT_CHECK)
    with app.app_context():
        attempt = db.session.scalars(db.select(Attempt)).one()
        assert attempt.passed is True
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 4


# Run in a separate process, which stops in the middle of an import (half the people written
# to the open transaction, nothing committed), says so on its output and waits to be killed.
# On SQLite its page cache is kept small, so the transaction's pages spill into the
# write-ahead log long before it commits: the kill finds uncommitted writes on disk.
STOP_MID_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from sqlalchemy import event
    sys.path.insert(0, {root!r})
    from tests.conftest import make_app, sign_in
    import trainer.admin.imports as imports
    from trainer.extensions import db

    add_person = imports._add_person
    added = []

    def add_then_wait_halfway(row):
        added.append(add_person(row))
        if len(added) == {half}:
            os.write(1, b"writing\\n")  # not print: the command's runner captures sys.stdout
            signal.pause()
        return added[-1]

    imports._add_person = add_then_wait_halfway
    app = make_app(Path({folder!r}), SQLALCHEMY_DATABASE_URI={url!r})
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            event.listen(
                db.engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA cache_size=-64")
            )
    if {batch_id!r} is None:
        app.test_cli_runner().invoke(args=["import-users", {csv!r}, "--as", "admin@example.org"])
    else:
        client = app.test_client()
        sign_in(client, "admin@example.org")
        client.post("/admin/imports/{{}}".format({batch_id!r}))
    os.write(1, b"finished without being killed\\n")
    """
)
PEOPLE = 2000


def _staff_csv(path):
    rows = [f"Person {n},person{n}@example.org,Northbridge Council" for n in range(PEOPLE)]
    path.write_text("name,email,organisation\n" + "\n".join(rows) + "\n")
    return path


def _kill_mid_import(app, tmp_path, csv, batch_id):
    script = STOP_MID_IMPORT.format(
        root=str(VALID_CONTENT.parents[3]),
        folder=str(tmp_path),
        url=app.config["SQLALCHEMY_DATABASE_URI"],
        csv=str(csv),
        batch_id=batch_id,
        half=PEOPLE // 2,
    )
    log_before = _write_ahead_log_size()
    log = tmp_path / "killed.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=errors
        )
    # However it goes wrong, the wait below ends: a process that hangs is killed too.
    guard = threading.Timer(600, process.kill)
    guard.start()
    said = process.stdout.readline()
    log_at_kill = _write_ahead_log_size()
    process.kill()
    process.communicate()
    guard.cancel()
    assert said == b"writing\n", log.read_text()[-2000:]
    assert process.returncode == -signal.SIGKILL
    if log_before is not None:
        assert log_at_kill > log_before, "the import had written nothing to disk when killed"


def _write_ahead_log_size() -> int | None:
    """The size of a SQLite database's write-ahead log; None on other databases."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return None
    log = Path(f"{url.database}-wal")
    return log.stat().st_size if log.exists() else 0


def _imported_people() -> list[str]:
    return db.session.scalars(db.select(User.email).where(User.email.like("person%"))).all()


def _import_events() -> list[AuditEvent]:
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "people imported")
    ).all()


@pytest.mark.parametrize("way", ["command", "page"])
def test_a_process_killed_mid_import_adds_no_one_and_the_import_then_completes(tmp_path, way):
    with fresh_database(make_app(tmp_path)) as app:
        make_organisation("Northbridge Council")
        make_user("admin", email="admin@example.org")
        csv = _staff_csv(tmp_path / "staff.csv")
        client = app.test_client()
        batch_id = None
        if way == "page":
            sign_in(client, "admin@example.org")
            upload = {"file": (io.BytesIO(csv.read_bytes()), "staff.csv")}
            client.post("/admin/imports", data=upload, content_type="multipart/form-data")
            batch_id = db.session.scalars(db.select(ImportBatch.id)).one()
        db.session.remove()

        _kill_mid_import(app, tmp_path, csv, batch_id)

        assert _imported_people() == []
        assert _import_events() == []
        assert not outbox_folder().exists() or not any(outbox_folder().iterdir())
        unfinished = db.session.scalars(db.select(ImportBatch)).all()
        assert [batch.imported_at for batch in unfinished] == ([None] if batch_id else [])

        if way == "page":
            assert client.post(f"/admin/imports/{batch_id}").status_code == 302
        else:
            again = app.test_cli_runner().invoke(
                args=["import-users", str(csv), "--as", "admin@example.org"]
            )
            assert f"Added {PEOPLE} people" in again.output, again.output
        expected = sorted(f"person{n}@example.org" for n in range(PEOPLE))
        assert sorted(_imported_people()) == expected
        assert [event.details["people"] for event in _import_events()] == [PEOPLE]
        assert len(list(outbox_folder().iterdir())) == PEOPLE
