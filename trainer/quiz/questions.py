"""Each knowledge-check question type, defined once: reading a submitted answer, the right
answer, whether an answer is right, and how an answer is written for people.

Adding a type means one entry in QUESTION_TYPES here, its schema in the content loader and
one template partial, templates/learn/questions/<type>.html.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from trainer.content.model import Question

Answer = str | bool | tuple[str, ...]
# A submitted form as plain values: each field name with every value sent for it.
FormValues = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Parsed:
    """What was read from a form: an answer, or the message saying what to do."""

    answer: Answer | None = None
    problem: str = ""


@dataclass(frozen=True)
class QuestionType:
    parse: Callable[[Question, FormValues], Parsed]
    right_answer: Callable[[Question], Answer]
    written: Callable[[Question, Answer], str]


def field_name(question: Question) -> str:
    return f"q-{question.id}"


def _first(form: FormValues, name: str) -> str:
    values = form.get(name) or ()
    return values[0] if values else ""


def _option_text(question: Question, option_id: str) -> str:
    return next((o.text for o in question.options if o.id == option_id), option_id)


def _parse_single(question: Question, form: FormValues) -> Parsed:
    value = _first(form, field_name(question))
    if value in {o.id for o in question.options}:
        return Parsed(value)
    return Parsed(problem="Select an answer")


def _parse_true_false(question: Question, form: FormValues) -> Parsed:
    value = _first(form, field_name(question))
    if value in ("true", "false"):
        return Parsed(value == "true")
    return Parsed(problem="Select true or false")


def _parse_multiple(question: Question, form: FormValues) -> Parsed:
    known = {o.id for o in question.options}
    values = tuple(sorted({v for v in form.get(field_name(question)) or () if v in known}))
    if values:
        return Parsed(values)
    return Parsed(problem="Select all the answers that apply")


def _parse_ordering(question: Question, form: FormValues) -> Parsed:
    name = field_name(question)
    positions = {o.id: _first(form, f"{name}-{o.id}") for o in question.options}
    if set(positions.values()) != {str(n) for n in range(1, len(question.options) + 1)}:
        return Parsed(problem="Give each step a different number, from 1 upwards")
    return Parsed(tuple(sorted(positions, key=lambda option_id: int(positions[option_id]))))


QUESTION_TYPES: dict[str, QuestionType] = {
    "single": QuestionType(
        parse=_parse_single,
        right_answer=lambda q: next(o.id for o in q.options if o.is_correct),
        written=_option_text,
    ),
    "multiple": QuestionType(
        parse=_parse_multiple,
        right_answer=lambda q: tuple(sorted(o.id for o in q.options if o.is_correct)),
        written=lambda q, answer: "; ".join(_option_text(q, v) for v in answer),
    ),
    "true_false": QuestionType(
        parse=_parse_true_false,
        right_answer=lambda q: bool(q.answer),
        written=lambda q, answer: "True" if answer else "False",
    ),
    "ordering": QuestionType(
        parse=_parse_ordering,
        right_answer=lambda q: tuple(o.id for o in q.options),
        written=lambda q, answer: " → ".join(_option_text(q, v) for v in answer),
    ),
}


def normalised(question: Question, answer) -> Answer | None:
    """A stored answer in the form its type compares: JSON gives lists back, not tuples."""
    if answer is None:
        return None
    if question.type in ("multiple", "ordering"):
        if isinstance(answer, str) or not isinstance(answer, Sequence):
            return None
        answer = tuple(answer)
        return tuple(sorted(answer)) if question.type == "multiple" else answer
    if question.type == "true_false":
        return answer if isinstance(answer, bool) else None
    return answer if isinstance(answer, str) else None


def is_correct(question: Question, answer) -> bool:
    """Whether an answer is exactly right: one mark, no part marks."""
    kind = QUESTION_TYPES.get(question.type)
    given = normalised(question, answer)
    return kind is not None and given is not None and given == kind.right_answer(question)


def right_answer(question: Question) -> Answer:
    return QUESTION_TYPES[question.type].right_answer(question)


def written_answer(question: Question, answer) -> str:
    """An answer in words, as the learner saw the options."""
    given = normalised(question, answer)
    if given is None:
        return "(no answer)"
    return QUESTION_TYPES[question.type].written(question, given)


def parse_answers(
    questions: Sequence[Question], form: FormValues
) -> tuple[dict[str, Answer], dict[str, str]]:
    """Read every question's answer from a form; problems name the question and what to do."""
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    for question in questions:
        parsed = QUESTION_TYPES[question.type].parse(question, form)
        if parsed.problem:
            problems[question.id] = parsed.problem
        else:
            answers[question.id] = parsed.answer
    return answers, problems
