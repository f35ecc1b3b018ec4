"""Administrators' changes made at the same moment from several requests store each fact
once: on SQLite and, with TRAINER_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import fresh_database, make_app, make_organisation, make_user
from trainer.admin import imports, services
from trainer.extensions import db
from trainer.models import ImportBatch, LeadScope, RoleGrant, User

THREADS = 8


def at_once(app, action) -> list:
    """Run action(admin) in THREADS threads released together; what each returned or raised."""
    results, barrier = [], threading.Barrier(THREADS, timeout=30)

    def run() -> None:
        with app.app_context():
            admin = db.session.scalars(db.select(User).where(User.email == "admin@example.org"))
            admin = admin.one()
            barrier.wait()
            try:
                results.append(action(admin))
            except Exception as error:  # reported by the test, not hidden
                results.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=run) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


@pytest.fixture
def racing_app(tmp_path):
    with fresh_database(make_app(tmp_path)) as app:
        org = make_organisation("Northbridge Council")
        make_user("admin", email="admin@example.org")
        make_user("learner", email="person@example.org", org=org)
        db.session.remove()
        yield app


def count(model, *where) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def test_the_same_roles_granted_at_once_are_stored_once(racing_app):
    def grant(admin):
        person = db.session.scalars(db.select(User).where(User.email == "person@example.org"))
        return services.set_roles(admin, person.one(), {"learner", "lead"}, {1}, set())

    results = at_once(racing_app, grant)
    assert [r for r in results if r is not None] == []
    person_id = db.session.scalar(db.select(User.id).where(User.email == "person@example.org"))
    roles = db.session.scalars(db.select(RoleGrant.role).where(RoleGrant.user_id == person_id))
    assert sorted(roles) == ["lead", "learner"]
    assert count(LeadScope, LeadScope.user_id == person_id) == 1


def test_two_files_naming_the_same_person_imported_at_once_add_them_once(racing_app):
    rows = "name,email,organisation\nAna Ortiz,ana@example.org,Northbridge Council\n"
    admin = db.session.scalars(db.select(User).where(User.email == "admin@example.org")).one()
    checked = imports.check_file(rows.encode())
    batches = [imports.save_preview(admin, f"file{n}.csv", checked).id for n in range(THREADS)]
    db.session.remove()
    queue = list(batches)
    lock = threading.Lock()

    def confirm(admin):
        with lock:
            batch_id = queue.pop()
        return imports.confirm(admin, db.session.get(ImportBatch, batch_id))

    results = at_once(racing_app, confirm)
    assert sorted(results) == [0] * (THREADS - 1) + [1]
    assert count(User, User.email == "ana@example.org") == 1
    ana = db.session.scalar(db.select(User.id).where(User.email == "ana@example.org"))
    assert count(RoleGrant, RoleGrant.user_id == ana) == 1


def test_confirming_the_same_preview_from_many_threads_imports_once(racing_app):
    rows = "name,email,organisation,roles\nAna Ortiz,ana@example.org,Northbridge Council,lead\n"
    rows += "Ben Bell,ben@example.org,Northbridge Council,\n"
    admin = db.session.scalars(db.select(User).where(User.email == "admin@example.org")).one()
    batch_id = imports.save_preview(admin, "staff.csv", imports.check_file(rows.encode())).id
    db.session.remove()

    results = at_once(
        racing_app, lambda admin: imports.confirm(admin, db.session.get(ImportBatch, batch_id))
    )
    assert sorted(results, key=lambda r: r or 0) == [None] * (THREADS - 1) + [2]
    assert count(User, User.email.in_(["ana@example.org", "ben@example.org"])) == 2
