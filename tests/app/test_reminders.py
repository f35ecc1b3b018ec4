"""Refresher reminders: 60, 30 and 7 days before, and on the day; never the same one twice."""

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.conftest import make_user
from trainer.cpd.reminders import send_reminders
from trainer.extensions import db
from trainer.models import CourseCompletion

DUE = date(2027, 6, 30)


def subjects(app) -> list[str]:
    folder = Path(app.instance_path) / "outbox"
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)["Subject"]
        for p in sorted(folder.glob("*.eml"))
    ]


@pytest.fixture
def completion(app):
    user = make_user("learner", email="lena@example.org")
    done = CourseCompletion(
        user_id=user.id,
        course_id="basics",
        completed_at=datetime(2025, 6, 30, tzinfo=UTC),
        refresher_due=DUE,
        cpd_minutes=40,
    )
    db.session.add(done)
    db.session.commit()
    return done


def run(app, day: date) -> int:
    return send_reminders(app.extensions["catalogue"], day)


@pytest.mark.parametrize("days_before", [60, 30, 7, 0])
def test_each_reminder_is_sent_on_its_day(app, completion, days_before):
    assert run(app, DUE - timedelta(days=days_before)) == 1
    assert subjects(app) == ["Refresher due: Sharing basics"]


def test_running_daily_never_sends_the_same_reminder_twice(app, completion):
    sent = [run(app, DUE - timedelta(days=d)) for d in range(70, -3, -1)]
    assert sum(sent) == 4
    assert len(subjects(app)) == 4


def test_nothing_is_sent_long_before_the_due_date(app, completion):
    assert run(app, DUE - timedelta(days=61)) == 0
    assert subjects(app) == []


def test_a_missed_fortnight_sends_one_reminder_not_a_backlog(app, completion):
    assert run(app, DUE - timedelta(days=5)) == 1
    assert run(app, DUE - timedelta(days=4)) == 0


def test_a_newer_completion_stops_reminders_for_the_old_one(app, completion):
    db.session.add(
        CourseCompletion(
            user_id=completion.user_id,
            course_id="basics",
            completed_at=datetime(2027, 6, 1, tzinfo=UTC),
            refresher_due=date(2029, 6, 1),
            cpd_minutes=40,
        )
    )
    db.session.commit()
    assert run(app, DUE) == 0


def test_the_command_says_how_many_it_sent(app, runner, completion):
    result = runner.invoke(
        args=["send-reminders", "--today", (DUE - timedelta(days=30)).isoformat()]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Sent 1 refresher reminder."
    result = runner.invoke(args=["send-reminders", "--today", "not-a-date"])
    assert result.exit_code == 2
