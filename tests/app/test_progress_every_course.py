"""The home page reads a learner's progress in every course at once, from their whole
activity; it must be exactly what reading each course on its own gives, whatever mix of
cycles, reads and passes there is."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import fresh_database, make_app, make_user
from trainer import PROJECT_ROOT
from trainer.extensions import db
from trainer.models import Attempt, CourseCompletion, ModuleRead
from trainer.progress import home_for, progress_in


@pytest.fixture
def app(tmp_path):
    # The real curriculum: several courses, each with its own final assessments.
    with fresh_database(make_app(tmp_path, CONTENT_DIR=str(PROJECT_ROOT))) as app:
        yield app


def add_history(rng: random.Random, user_id: int, catalogue) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for course in catalogue.courses.values():
        cycles = rng.randint(0, 2)
        # Quiet since the last completion: nothing read or passed after it.
        quiet = cycles > 0 and rng.random() < 0.5
        last_completed = start + timedelta(days=100 * cycles)
        for cycle in range(cycles + (0 if quiet else 1)):
            for module_id in rng.sample(course.module_ids, rng.randint(0, len(course.module_ids))):
                db.session.add(
                    ModuleRead(
                        user_id=user_id, course_id=course.id, module_id=module_id, cycle=cycle
                    )
                )
            if cycle < cycles:
                db.session.add(
                    CourseCompletion(
                        user_id=user_id,
                        course_id=course.id,
                        cycle=cycle,
                        completed_at=start + timedelta(days=100 * (cycle + 1)),
                        refresher_due=date(2030, 1, 1),
                        cpd_minutes=course.cpd_minutes,
                    )
                )
        for number, quiz_id in enumerate(course.completion_quizzes * 2, start=1):
            latest = (last_completed - start).days if quiet else 400
            finished = start + timedelta(days=rng.randint(1, latest))
            db.session.add(
                Attempt(
                    user_id=user_id,
                    quiz_id=quiz_id,
                    number=number,
                    content_version="v",
                    started_at=finished - timedelta(minutes=5),
                    finished_at=finished,
                    passed=rng.random() < 0.6,
                )
            )
    db.session.commit()


@pytest.mark.parametrize("seed", range(12))
def test_every_course_at_once_equals_each_course_alone(app, seed):
    catalogue = app.extensions["catalogue"]
    user = make_user("learner", email=f"learner{seed}@example.org")
    add_history(random.Random(seed), user.id, catalogue)

    every = home_for(catalogue, user.id).progress
    assert every == {
        course.id: progress_in(catalogue, user.id, course) for course in catalogue.courses.values()
    }
