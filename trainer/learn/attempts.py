"""Taking quizzes: starting, resuming, answering (safely twice), finishing and reviewing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import abort
from sqlalchemy.exc import IntegrityError

from trainer.content import Catalogue
from trainer.content.model import RECORD_PARTS, Choice, Module, Question, Quiz, Step
from trainer.extensions import db
from trainer.models import Answer, Attempt, DecisionRecord
from trainer.progress import complete_if_ready, courses_completed_by_quiz
from trainer.quiz import (
    AnswerError,
    Result,
    ScenarioState,
    best_path,
    is_correct,
    score_check,
    walk,
)


def attempts_for(user_id: int, quiz_id: str) -> list[Attempt]:
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id)
            .order_by(Attempt.number)
        )
    )


def open_attempt(user_id: int, quiz: Quiz) -> Attempt | None:
    """The unfinished attempt taken against the quiz as it is now, if any."""
    for attempt in reversed(attempts_for(user_id, quiz.id)):
        if not attempt.is_finished and attempt.content_version == quiz.version:
            return attempt
    return None


def start_or_resume(user_id: int, quiz: Quiz) -> Attempt:
    attempt = open_attempt(user_id, quiz)
    if attempt:
        return attempt
    numbers = [a.number for a in attempts_for(user_id, quiz.id)]
    attempt = Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=max(numbers, default=0) + 1,
        content_version=quiz.version,
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        # A second "Start" press raced this one: use the attempt it made.
        db.session.rollback()
        return open_attempt(user_id, quiz) or abort(409)
    return attempt


def attempt_or_404(user_id: int, quiz_id: str, number: int) -> Attempt:
    """The learner's own attempt; anyone else's is simply not found."""
    attempt = db.session.scalars(
        db.select(Attempt).where(
            Attempt.user_id == user_id, Attempt.quiz_id == quiz_id, Attempt.number == number
        )
    ).first()
    if attempt is None:
        abort(404)
    return attempt


def is_stale(attempt: Attempt, quiz: Quiz) -> bool:
    """An unfinished attempt begun before the quiz was changed cannot be carried on."""
    return not attempt.is_finished and attempt.content_version != quiz.version


def scenario_state(quiz: Quiz, attempt: Attempt) -> ScenarioState:
    return walk(quiz, [answer.value for answer in attempt.answers])


def _add_answer(attempt: Attempt, item_id: str, value) -> bool:
    """Store one answer; False when the same answer arrived twice (back button, two tabs)."""
    db.session.add(
        Answer(attempt=attempt, position=len(attempt.answers), item_id=item_id, value=value)
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def answer_step(
    catalogue: Catalogue, quiz: Quiz, attempt: Attempt, step_id: str, choice_id: str
) -> None:
    """Record a choice for the step the learner is on. Repeats of an answered step change nothing."""
    if attempt.is_finished:
        return
    state = scenario_state(quiz, attempt)
    if state.next_step is None or state.next_step.id != step_id:
        return  # already answered: a resubmitted form must not record the step twice
    if state.next_step.choice(choice_id) is None:
        raise AnswerError("Select what you would do")
    if not _add_answer(attempt, step_id, choice_id):
        return
    state = scenario_state(quiz, attempt)
    if state.is_finished:
        _finish(catalogue, attempt, state.result)
    db.session.commit()


@dataclass(frozen=True)
class CheckProblem:
    question_id: str
    message: str


def parse_check_answers(quiz: Quiz, form: Mapping) -> tuple[dict, list[CheckProblem]]:
    """Read a knowledge check form: every question answered, orderings numbered once each."""
    answers: dict = {}
    problems: list[CheckProblem] = []
    for question in quiz.questions:
        name = f"q-{question.id}"
        option_ids = {o.id for o in question.options}
        if question.type == "single":
            value = form.get(name)
            if value in option_ids:
                answers[question.id] = value
            else:
                problems.append(CheckProblem(question.id, "Select an answer"))
        elif question.type == "true_false":
            value = form.get(name)
            if value in ("true", "false"):
                answers[question.id] = value == "true"
            else:
                problems.append(CheckProblem(question.id, "Select true or false"))
        elif question.type == "multiple":
            values = [v for v in form.getlist(name) if v in option_ids]
            if values:
                answers[question.id] = sorted(values)
            else:
                problems.append(CheckProblem(question.id, "Select all the answers that apply"))
        elif question.type == "ordering":
            positions = {o.id: form.get(f"{name}-{o.id}", "") for o in question.options}
            expected = {str(n) for n in range(1, len(question.options) + 1)}
            if set(positions.values()) != expected:
                problems.append(
                    CheckProblem(question.id, "Give each step a different number, from 1 upwards")
                )
            else:
                answers[question.id] = sorted(positions, key=lambda o: int(positions[o]))
    return answers, problems


def submit_check(catalogue: Catalogue, quiz: Quiz, attempt: Attempt, answers: dict) -> None:
    """Store a complete set of answers and finish; a second submission changes nothing."""
    if attempt.is_finished or attempt.answers:
        return
    for question in quiz.questions:
        if not _add_answer(attempt, question.id, answers[question.id]):
            return
    _finish(catalogue, attempt, score_check(quiz, answers))
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


@dataclass(frozen=True)
class PathRow:
    step: Step
    chosen: Choice | None
    best: Choice


def path_against_best(quiz: Quiz, attempt: Attempt) -> list[PathRow]:
    """Each step the learner met, their choice and the best choice at that step."""
    rows = []
    for answer in attempt.answers:
        step = quiz.step(answer.item_id)
        if step is None:
            continue  # the step has since been removed from the quiz
        best = max(step.choices, key=lambda choice: choice.score)
        rows.append(PathRow(step, step.choice(answer.value), best))
    return rows


def best_route(quiz: Quiz) -> list[tuple[Step, Choice]]:
    route, step = [], quiz.start
    for choice_id in best_path(quiz):
        choice = step.choice(choice_id)
        route.append((step, choice))
        step = quiz.step(choice.next_step) if choice.next_step != "end" else None
    return route


def modules_to_reread(catalogue: Catalogue, quiz: Quiz, attempt: Attempt) -> list[Module]:
    """The modules teaching the principles behind every answer that was not the best."""
    missed: list[str] = []
    if quiz.kind == "scenario":
        for row in path_against_best(quiz, attempt):
            if row.chosen is None or row.chosen.score < row.best.score:
                missed.extend(row.best.rests_on)
    else:
        given = {a.item_id: a.value for a in attempt.answers}
        for question in quiz.questions:
            if not is_correct(question, given.get(question.id)):
                missed.extend(question.rests_on)
    module_ids = dict.fromkeys(
        catalogue.principles[p].module_id for p in missed if p in catalogue.principles
    )
    return [catalogue.modules[m] for m in module_ids if m in catalogue.modules]


def save_decision_record(attempt: Attempt, values: Mapping[str, str]) -> None:
    record = attempt.decision_record or DecisionRecord(attempt=attempt)
    for name, _label in RECORD_PARTS:
        setattr(record, name, values[name].strip())
    db.session.add(record)
    db.session.commit()


@dataclass(frozen=True)
class QuestionReview:
    question: Question
    given: str
    right: str
    is_right: bool


def _answer_text(question: Question, value) -> str:
    names = {o.id: o.text for o in question.options}
    if value is None:
        return "(no answer)"
    if question.type == "true_false":
        return "True" if value else "False"
    if question.type == "single":
        return names.get(value, value)
    if question.type == "multiple":
        return "; ".join(names.get(v, v) for v in value)
    return " → ".join(names.get(v, v) for v in value)


def review_check(quiz: Quiz, attempt: Attempt) -> list[QuestionReview]:
    """Each question with the learner's answer and the right one, in words."""
    given = {a.item_id: a.value for a in attempt.answers}
    reviews = []
    for question in quiz.questions:
        if question.type == "true_false":
            right = question.answer
        elif question.type == "single":
            right = next(o.id for o in question.options if o.is_correct)
        elif question.type == "multiple":
            right = [o.id for o in question.options if o.is_correct]
        else:
            right = [o.id for o in question.options]
        value = given.get(question.id)
        reviews.append(
            QuestionReview(
                question,
                _answer_text(question, value),
                _answer_text(question, right),
                is_correct(question, value),
            )
        )
    return reviews
