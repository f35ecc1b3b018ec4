"""Taking quizzes: starting, resuming, answering (safely twice), finishing and reviewing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from random import SystemRandom

from flask import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload, lazyload

from trainer.content import Catalogue
from trainer.content.model import RECORD_PARTS, Quiz
from trainer.extensions import db
from trainer.models import Answer, Attempt, DecisionRecord
from trainer.progress import complete_if_ready, courses_completed_by_quiz, rows_stored_once
from trainer.quiz import AnswerError, Result, ScenarioState, score_check, walk
from trainer.quiz.finals import next_try_at, retake_wait
from trainer.quiz.presentation import Presentation, from_stored, present
from trainer.web import found_or_404


class TooSoonToRetake(Exception):
    """A failed final assessment cannot be started again until the course's wait is over."""

    def __init__(self, when: datetime) -> None:
        super().__init__(f"you can try again from {when.isoformat()}")
        self.when = when


def attempts_for(user_id: int, quiz_id: str) -> list[Attempt]:
    """The learner's attempts at a quiz, oldest first, without their answers or presentations:
    a learner who practises often has many, and only the newest's presentation is asked for."""
    return list(
        db.session.scalars(
            db.select(Attempt)
            .options(
                defer(Attempt.presentation),
                lazyload(Attempt.answers),
                lazyload(Attempt.decision_record),
            )
            .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id)
            .order_by(Attempt.number)
        )
    )


def open_among(attempts: list[Attempt], quiz: Quiz) -> Attempt | None:
    """The unfinished attempt taken against the quiz as it is now, if any."""
    for attempt in reversed(attempts):
        if not attempt.is_finished and attempt.content_version == quiz.version:
            return attempt
    return None


def retake_from(catalogue: Catalogue, attempts: list[Attempt], quiz: Quiz) -> datetime | None:
    """When the learner may start the quiz again, if a course asks them to wait after failing."""
    last = max((a for a in attempts if a.is_finished), key=lambda a: a.finished_at, default=None)
    return next_try_at(
        retake_wait(catalogue, quiz.id),
        last.finished_at if last else None,
        last.passed if last else None,
        datetime.now(UTC),
    )


def start_or_resume(catalogue: Catalogue, user_id: int, quiz: Quiz) -> int:
    """The number of the open attempt, or of a new one with its presentation drawn and stored
    as it is made."""
    # One read decides both: presses that race then agree on the new number, and the unique
    # (user, quiz, number) key lets only one of them make it.
    earlier = attempts_for(user_id, quiz.id)
    attempt = open_among(earlier, quiz)
    if attempt:
        return attempt.number
    when = retake_from(catalogue, earlier, quiz)
    if when:
        raise TooSoonToRetake(when)
    # Only a pool draws its questions, avoiding those asked last time.
    asked_last = presentation(quiz, earlier[-1]).question_ids if earlier and quiz.is_pool else ()
    number = max((a.number for a in earlier), default=0) + 1
    attempt = Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=number,
        content_version=quiz.version,
        presentation=present(quiz, SystemRandom(), avoid=asked_last).as_data(),
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        # A second "Start" press raced this one: use the attempt it made, and its presentation.
        db.session.rollback()
        return (open_among(attempts_for(user_id, quiz.id), quiz) or abort(409)).number
    return number


def presentation(quiz: Quiz, attempt: Attempt) -> Presentation:
    return from_stored(quiz, attempt.presentation)


def attempt_or_404(user_id: int, quiz_id: str, number: int) -> Attempt:
    """The learner's own attempt; anyone else's is simply not found."""
    return found_or_404(
        db.session.scalars(_ATTEMPT, {"user_id": user_id, "quiz_id": quiz_id, "number": number})
        .unique()
        .first()
    )


# Built once: every step of every quiz asks it, with the answers given so far in the same
# query. The decision record is read only on a result.
_ATTEMPT = (
    db.select(Attempt)
    .options(joinedload(Attempt.answers), lazyload(Attempt.decision_record))
    .where(
        Attempt.user_id == db.bindparam("user_id"),
        Attempt.quiz_id == db.bindparam("quiz_id"),
        Attempt.number == db.bindparam("number"),
    )
)


def is_stale(attempt: Attempt, quiz: Quiz) -> bool:
    """An unfinished attempt begun before the quiz was changed cannot be carried on."""
    return not attempt.is_finished and attempt.content_version != quiz.version


def scenario_state(quiz: Quiz, attempt: Attempt) -> ScenarioState:
    return walk(quiz, [answer.value for answer in attempt.answers])


def _add_answers(attempt: Attempt, given: list[tuple[str, object]]) -> bool:
    """Store answers after those already given; False when the same answers arrived twice
    (back button, two tabs, a double press).

    They are written in one statement and not added to the attempt's loaded answers:
    callers end the request with this write."""
    first = len(attempt.answers)
    return rows_stored_once(
        Answer,
        [
            {"attempt_id": attempt.id, "position": first + n, "item_id": item_id, "value": value}
            for n, (item_id, value) in enumerate(given)
        ],
    )


def answer_step(
    catalogue: Catalogue, quiz: Quiz, attempt: Attempt, step_id: str, choice_id: str
) -> None:
    """Record a choice for the step the learner is on. Repeats of an answered step change nothing."""
    if attempt.is_finished:
        return
    given = [answer.value for answer in attempt.answers]
    state = walk(quiz, given)
    if state.next_step is None or state.next_step.id != step_id:
        return  # already answered: a resubmitted form must not record the step twice
    if state.next_step.choice(choice_id) is None:
        raise AnswerError("Select what you would do")
    if not _add_answers(attempt, [(step_id, choice_id)]):
        return
    state = walk(quiz, [*given, choice_id])
    if state.is_finished:
        _finish(catalogue, attempt, state.result)
    db.session.commit()


def submit_check(catalogue: Catalogue, quiz: Quiz, attempt: Attempt, answers: dict) -> None:
    """Store an answer to every question asked and finish; a second submission changes nothing."""
    if attempt.is_finished or attempt.answers:
        return
    asked = presentation(quiz, attempt).questions(quiz)
    if not _add_answers(attempt, [(question.id, answers[question.id]) for question in asked]):
        return
    _finish(catalogue, attempt, score_check(quiz, answers, asked))
    db.session.commit()


def _finish(catalogue: Catalogue, attempt: Attempt, result: Result) -> None:
    attempt.finished_at = datetime.now(UTC)
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.has_passed
    db.session.flush()
    if result.has_passed:
        for course in courses_completed_by_quiz(catalogue, attempt.quiz_id):
            complete_if_ready(catalogue, attempt.user_id, course)


# Reviewing a finished attempt ----------------------------------------------------------------


def given(attempt: Attempt) -> list[tuple[str, object]]:
    """The attempt's answers as plain values, in the order given, for the quiz review."""
    return [(answer.item_id, answer.value) for answer in attempt.answers]


def save_decision_record(attempt: Attempt, values: Mapping[str, str]) -> None:
    record = attempt.decision_record or DecisionRecord(attempt=attempt)
    for name, _label in RECORD_PARTS:
        setattr(record, name, values[name].strip())
    db.session.add(record)
    db.session.commit()
