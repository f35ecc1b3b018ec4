"""How much CPD time learning earns: a module's stated minutes count once its knowledge check
is passed in the same cycle (see docs/decisions/0012-cpd-time-is-earned.md).

Used where completions are made (their certificates state the course's time) and where the
CPD record is built, so the two always agree.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from trainer.content import Catalogue
from trainer.content.model import Course, Module
from trainer.extensions import db
from trainer.models import Attempt, CourseCompletion

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def knowledge_check_of(catalogue: Catalogue, module: Module) -> str | None:
    """The module's own knowledge check: a check among its quizzes that no course uses as its
    final assessment."""
    finals = {quiz for course in catalogue.courses.values() for quiz in course.completion_quizzes}
    return next(
        (
            quiz_id
            for quiz_id in module.quizzes
            if quiz_id in catalogue.quizzes
            and catalogue.quizzes[quiz_id].kind == "check"
            and quiz_id not in finals
        ),
        None,
    )


def final_assessment_minutes(catalogue: Catalogue, course: Course) -> int:
    """The part of a course's CPD time that is not its modules': the final assessment."""
    stated = sum(m.duration_minutes for m in catalogue.modules_of(course))
    return max(course.cpd_minutes - stated, 0)


@dataclass(frozen=True)
class Ledger:
    """A learner's passed knowledge checks and completed cycles, read once."""

    passes: dict[str, list[datetime]]  # quiz id -> sorted times passed
    cycle_ends: dict[tuple[str, int], datetime]  # (course id, cycle) -> completed at

    def window(self, course_id: str, cycle: int) -> tuple[datetime, datetime]:
        start = self.cycle_ends.get((course_id, cycle - 1), EPOCH)
        return start, self.cycle_ends.get((course_id, cycle), FAR_FUTURE)

    def passed_between(self, quiz_id: str | None, start: datetime, end: datetime) -> bool:
        times = self.passes.get(quiz_id or "", [])
        index = bisect_left(times, start)
        return index < len(times) and times[index] <= end


def ledger_for(user_id: int) -> Ledger:
    passes: dict[str, list[datetime]] = defaultdict(list)
    for quiz_id, finished_at in db.session.execute(
        db.select(Attempt.quiz_id, Attempt.finished_at).where(
            Attempt.user_id == user_id, Attempt.passed.is_(True)
        )
    ):
        passes[quiz_id].append(finished_at)
    ends = {
        (course_id, cycle): completed_at
        for course_id, cycle, completed_at in db.session.execute(
            db.select(
                CourseCompletion.course_id, CourseCompletion.cycle, CourseCompletion.completed_at
            ).where(CourseCompletion.user_id == user_id)
        )
    }
    return Ledger({q: sorted(t) for q, t in passes.items()}, ends)


def is_read_credited(
    catalogue: Catalogue, ledger: Ledger, module: Module, course_id: str, cycle: int
) -> bool:
    start, end = ledger.window(course_id, cycle)
    return ledger.passed_between(knowledge_check_of(catalogue, module), start, end)


def course_minutes(
    catalogue: Catalogue,
    ledger: Ledger,
    course: Course,
    cycle: int,
    modules_read: Iterable[str],
) -> int:
    """What a completed cycle of a course earns: credited modules plus the final assessment."""
    credited = sum(
        catalogue.modules[m].duration_minutes
        for m in modules_read
        if m in catalogue.modules
        and is_read_credited(catalogue, ledger, catalogue.modules[m], course.id, cycle)
    )
    return credited + final_assessment_minutes(catalogue, course)
