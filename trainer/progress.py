"""A learner's progress through courses: modules read, quizzes passed, completions.

Shared by every area that shows or counts progress (home page, courses, CPD, reports).

A completion closes a cycle: what counts toward the next completion (a refresher) is what
the learner does after it, so a retake never erases an earlier completion.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime

from trainer.content import Catalogue
from trainer.content.model import Course, Module
from trainer.events import course_completed
from trainer.extensions import db
from trainer.models import Attempt, CourseCompletion, ModuleRead

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def courses_for(catalogue: Catalogue, user) -> list[Course]:
    """Courses meant for the person's sector first, then the rest; everyone may take any."""
    courses = list(catalogue.courses.values())
    if user is None:
        return courses
    return sorted(courses, key=lambda course: user.sector not in course.audience)


def latest_completion(user_id: int, course_id: str) -> CourseCompletion | None:
    return db.session.scalars(
        db.select(CourseCompletion)
        .where(CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id)
        .order_by(CourseCompletion.completed_at.desc())
    ).first()


def modules_read_since(user_id: int, course_id: str, since: datetime) -> set[str]:
    return set(
        db.session.scalars(
            db.select(ModuleRead.module_id).where(
                ModuleRead.user_id == user_id,
                ModuleRead.course_id == course_id,
                ModuleRead.read_at > since,
            )
        )
    )


def quizzes_passed_since(user_id: int, quiz_ids: tuple[str, ...], since: datetime) -> set[str]:
    if not quiz_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(Attempt.quiz_id).where(
                Attempt.user_id == user_id,
                Attempt.quiz_id.in_(quiz_ids),
                Attempt.passed.is_(True),
                Attempt.finished_at > since,
            )
        )
    )


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    modules_read: frozenset[str]
    quizzes_passed: frozenset[str]
    completion: CourseCompletion | None
    next_module: Module | None

    @property
    def modules_done(self) -> int:
        return len(self.modules_read & set(self.course.module_ids))

    @property
    def is_refresher_due(self) -> bool:
        return self.completion is not None and self.completion.refresher_due <= date.today()

    @property
    def days_to_refresher(self) -> int | None:
        if self.completion is None:
            return None
        return (self.completion.refresher_due - date.today()).days

    @property
    def has_started(self) -> bool:
        return bool(self.modules_read or self.quizzes_passed)


def progress_in(catalogue: Catalogue, user_id: int, course: Course) -> CourseProgress:
    completion = latest_completion(user_id, course.id)
    since = completion.completed_at if completion else EPOCH
    read = modules_read_since(user_id, course.id, since)
    passed = quizzes_passed_since(user_id, course.completion_quizzes, since)
    unread = [m for m in course.module_ids if m not in read]
    return CourseProgress(
        course=course,
        modules_read=frozenset(read),
        quizzes_passed=frozenset(passed),
        completion=completion,
        next_module=catalogue.modules[unread[0]] if unread else None,
    )


def mark_module_read(catalogue: Catalogue, user_id: int, course: Course, module: Module) -> None:
    """Record a read once per cycle; complete the course if that was the last step."""
    if module.id not in progress_in(catalogue, user_id, course).modules_read:
        db.session.add(ModuleRead(user_id=user_id, course_id=course.id, module_id=module.id))
        db.session.flush()
    complete_if_ready(catalogue, user_id, course)
    db.session.commit()


def complete_if_ready(catalogue: Catalogue, user_id: int, course: Course) -> None:
    """Add a completion when every module is read and every named quiz passed in this cycle."""
    progress = progress_in(catalogue, user_id, course)
    if (
        set(course.module_ids) <= progress.modules_read
        and set(course.completion_quizzes) <= progress.quizzes_passed
    ):
        now = datetime.now(UTC)
        completion = CourseCompletion(
            user_id=user_id,
            course_id=course.id,
            completed_at=now,
            refresher_due=add_months(now.date(), course.validity_months),
            cpd_minutes=course.cpd_minutes,
        )
        db.session.add(completion)
        db.session.flush()
        course_completed.send(completion, course=course)


def courses_completed_by_quiz(catalogue: Catalogue, quiz_id: str) -> list[Course]:
    return [c for c in catalogue.courses.values() if quiz_id in c.completion_quizzes]


def last_module_read(user_id: int) -> ModuleRead | None:
    return db.session.scalars(
        db.select(ModuleRead)
        .where(ModuleRead.user_id == user_id)
        .order_by(ModuleRead.read_at.desc(), ModuleRead.id.desc())
    ).first()


@dataclass(frozen=True)
class Continuation:
    """Where "continue where you left off" goes: a page and what to call it."""

    label: str
    endpoint: str
    values: dict


def continue_where_left_off(catalogue: Catalogue, user_id: int) -> Continuation | None:
    unfinished = db.session.scalars(
        db.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at.desc())
    ).first()
    if unfinished and unfinished.quiz_id not in catalogue.quizzes:
        unfinished = None
    last_read = last_module_read(user_id)
    if last_read and last_read.course_id not in catalogue.courses:
        last_read = None
    if unfinished and (last_read is None or unfinished.started_at > last_read.read_at):
        quiz = catalogue.quizzes[unfinished.quiz_id]
        return Continuation(
            quiz.title, "learn.attempt", {"quiz_id": quiz.id, "number": unfinished.number}
        )
    if last_read is None:
        return None
    course = catalogue.courses[last_read.course_id]
    progress = progress_in(catalogue, user_id, course)
    if progress.next_module is None:
        return Continuation(course.title, "learn.course", {"course_id": course.id})
    return Continuation(
        progress.next_module.title,
        "learn.module",
        {"course_id": course.id, "module_id": progress.next_module.id},
    )
