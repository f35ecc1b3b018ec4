"""Importing staff from a CSV costs the database the same few reads however many people it adds."""

from contextlib import contextmanager

from sqlalchemy import event

from tests.conftest import make_organisation, make_user
from trainer.admin import imports
from trainer.extensions import db


@contextmanager
def counting_reads():
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield reads
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _reads_to_import(admin, first: int, people: int) -> int:
    rows = "".join(
        f"Person {n},person{n}@example.org,Northbridge Council\n" for n in range(first, people)
    )
    batch = imports.save_preview(
        admin, "staff.csv", imports.check_file(f"name,email,organisation\n{rows}".encode())
    )
    with counting_reads() as reads:
        assert imports.confirm(admin, batch) == people - first
    return len(reads)


def test_inviting_the_people_imported_reads_nothing_back_for_each_one(app):
    make_organisation("Northbridge Council")
    admin = make_user("admin", email="admin@example.org")
    assert _reads_to_import(admin, 0, 2) == _reads_to_import(admin, 2, 12)
