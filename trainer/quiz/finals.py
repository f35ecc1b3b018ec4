"""Final assessments: the quizzes a course's completion names.

They are evidence, not practice: their answers are shown only once passed, so a retake
measures again rather than repeats, and a course may ask for a wait between failed attempts.
Knowledge checks that no course names are practice and always show their answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer.content.model import Catalogue


def is_final(catalogue: Catalogue, quiz_id: str) -> bool:
    return any(quiz_id in course.completion_quizzes for course in catalogue.courses.values())


def shows_answers(catalogue: Catalogue, quiz_id: str, has_passed: bool) -> bool:
    """A result shows the right answers for practice, and for a final only once passed."""
    return has_passed or not is_final(catalogue, quiz_id)


def retake_wait(catalogue: Catalogue, quiz_id: str) -> timedelta:
    """The longest wait after a failed attempt that any course this quiz completes asks for."""
    hours = [
        course.retake_wait_hours
        for course in catalogue.courses.values()
        if quiz_id in course.completion_quizzes
    ]
    return timedelta(hours=max(hours, default=0))


def next_try_at(
    wait: timedelta, last_finished_at: datetime | None, last_passed: bool | None, now: datetime
) -> datetime | None:
    """When the learner may start again after their latest finished attempt, if not yet."""
    if last_finished_at is None or last_passed or not wait:
        return None
    allowed = last_finished_at + wait
    return allowed if allowed > now else None
