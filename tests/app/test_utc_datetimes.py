"""Times are stored and read back as the same instant, aware and in UTC, on every database,
whatever form SQLite holds them in."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from tests.conftest import database_url
from trainer.models.types import UTCDateTime

WRITTEN = [
    datetime(2026, 11, 28, 14, 3, 20, 150329, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),  # no fraction of a second
    datetime(2026, 6, 1, 9, 30, 5, 7, tzinfo=timezone(timedelta(hours=1))),  # British Summer Time
]


@pytest.fixture
def table(tmp_path):
    engine = create_engine(database_url(tmp_path))
    metadata = MetaData()
    times = Table(
        "utc_datetime_check",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime),
    )
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine, times
    metadata.drop_all(engine)
    engine.dispose()


def read_all(engine, times) -> list:
    with engine.connect() as connection:
        return list(connection.scalars(select(times.c.at).order_by(times.c.id)))


def test_each_time_reads_back_as_the_same_instant_in_utc(table):
    engine, times = table
    with engine.begin() as connection:
        connection.execute(insert(times), [{"id": n, "at": at} for n, at in enumerate(WRITTEN)])
        connection.execute(insert(times), [{"id": 99, "at": None}])
    read = read_all(engine, times)
    assert read == [*WRITTEN, None]
    assert all(at.utcoffset() == timedelta(0) for at in read[:-1])
    assert read[2].hour == 8  # 09:30 in summer time is 08:30 UTC


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-11-28 14:03:20", datetime(2026, 11, 28, 14, 3, 20, tzinfo=UTC)),  # SQL's own
        ("2026-11-28 14:03:20.5", datetime(2026, 11, 28, 14, 3, 20, 500000, tzinfo=UTC)),
        ("2026-11-28T14:03:20+00:00", datetime(2026, 11, 28, 14, 3, 20, tzinfo=UTC)),
    ],
)
def test_a_time_sqlite_holds_in_another_form_reads_as_utc(table, stored, expected):
    engine, times = table
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite keeps times as text")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO utc_datetime_check (id, at) VALUES (1, :at)"), {"at": stored}
        )
    (read,) = read_all(engine, times)
    assert read == expected and read.tzinfo is UTC
