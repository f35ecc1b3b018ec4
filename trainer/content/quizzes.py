"""Quizzes: quizzes/<id>.yaml, a scenario (steps and choices) or a check (questions)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from .context import Context
from .fields import Fields
from .files import Doc
from .graph import check_graph
from .links import render_field
from .model import END, RECORD_PARTS, Choice, ModelRecord, Option, Principle, Question, Quiz, Step

# CPD time a quiz counts for when its file does not say.
DEFAULT_QUIZ_MINUTES = {"scenario": 20, "check": 10}
QUESTION_TYPES = ("single", "multiple", "true_false", "ordering")
COMMON_KEYS = ("id", "title", "kind", "pass_mark", "last_reviewed", "duration_minutes")
KEYS_OF_KIND = {
    "scenario": (*COMMON_KEYS, "case_example", "steps", "model_record"),
    "check": (*COMMON_KEYS, "questions", "draw_per_outcome"),
}


def parse_quiz(ctx: Context, doc: Doc, principles: Mapping[str, Principle]) -> Quiz | None:
    """The quiz, or None when its kind is unknown (its other fields then mean nothing)."""
    f = doc.fields(ctx)
    kind = f.text("kind")
    if kind in KEYS_OF_KIND:
        f.only(*KEYS_OF_KIND[kind])
    elif kind:
        f.error("kind", f"expected 'scenario' or 'check', got {kind!r}")
        return None
    quiz = Quiz(
        id=f.id_matching(doc.path.stem),
        title=f.text("title"),
        kind=kind,
        pass_mark=f.integer("pass_mark", 1, 100),
        last_reviewed=f.day("last_reviewed"),
        duration_minutes=(
            f.integer("duration_minutes", 1, 600)
            if "duration_minutes" in f.data
            else DEFAULT_QUIZ_MINUTES.get(kind, 10)
        ),
        version=doc.version,
    )
    if kind == "scenario":
        return _with_scenario(ctx, quiz, f, principles)
    if kind == "check":
        return _with_questions(ctx, quiz, f, principles)
    return quiz


def _with_scenario(
    ctx: Context, quiz: Quiz, f: Fields, principles: Mapping[str, Principle]
) -> Quiz:
    case_id = f.slug("case_example")
    if case_id and not ctx.links.has("case", case_id):
        f.error("case_example", f"unknown case example {case_id!r}")
    steps = tuple(
        parse_step(ctx, f.child(f"steps[{i}]", item), principles)
        for i, item in enumerate(f.items("steps"))
    )
    check_graph(steps, f)
    record = f.child("model_record", f.data.get("model_record"))
    record.only(*(name for name, _label in RECORD_PARTS))
    model_record = ModelRecord(
        **{name: _unwrapped(record.text(name)) for name, _label in RECORD_PARTS}
    )
    return replace(quiz, case_example=case_id, steps=steps, model_record=model_record)


def _unwrapped(text: str) -> str:
    """Plain text whose single line breaks are the file's wrapping, not the author's: pages
    keep only blank-line paragraph breaks, so a sentence is never split mid-way."""
    return "\n\n".join(" ".join(part.split()) for part in re.split(r"\n\s*\n", text))


def _with_questions(
    ctx: Context, quiz: Quiz, f: Fields, principles: Mapping[str, Principle]
) -> Quiz:
    questions = tuple(
        parse_question(ctx, f.child(f"questions[{i}]", item), principles)
        for i, item in enumerate(f.items("questions"))
    )
    ids = [q.id for q in questions if q.id]
    if len(set(ids)) != len(ids):
        f.error("questions", "two questions share an id")
    draw = f.integer("draw_per_outcome", 1, 20) if "draw_per_outcome" in f.data else 0
    for index, question in enumerate(questions):
        if bool(draw) != bool(question.outcome):
            f.error(
                f"questions[{index}].outcome",
                "every question of a pool (a quiz with draw_per_outcome) names its outcome, "
                "and only those do",
            )
    return replace(quiz, questions=questions, draw_per_outcome=draw)


def parse_step(ctx: Context, f: Fields, principles: Mapping[str, Principle]) -> Step:
    f.only("id", "text", "choices")
    choices = tuple(
        parse_choice(ctx, f.child(f"choices[{index}]", item), principles)
        for index, item in enumerate(f.items("choices"))
    )
    step_id = f.slug("id")
    if step_id == END:
        f.error("id", f"{END!r} is reserved for the end of the scenario")
    return Step(id=step_id, text_html=render_field(ctx, f, "text"), choices=choices)


def parse_choice(ctx: Context, c: Fields, principles: Mapping[str, Principle]) -> Choice:
    c.only(
        "id", "text", "feedback", "score", "rests_on", "next", "critical", "critical_reason",
    )  # fmt: skip
    is_critical = bool(c.boolean("critical"))
    reason = c.text("critical_reason", required=is_critical)
    if reason and not is_critical:
        c.error("critical_reason", "only a choice marked 'critical: true' takes a reason")
    return Choice(
        id=c.slug("id"),
        text=c.text("text"),
        feedback_html=render_field(ctx, c, "feedback"),
        score=c.integer("score", 0, 1000),
        rests_on=_rests_on(c, principles),
        next_step=c.slug("next"),
        is_critical=is_critical,
        critical_reason=reason if is_critical else "",
    )


def parse_question(ctx: Context, f: Fields, principles: Mapping[str, Principle]) -> Question:
    f.only("id", "type", "text", "options", "answer", "feedback", "rests_on", "outcome")
    qtype = f.text("type")
    if qtype and qtype not in QUESTION_TYPES:
        f.error("type", f"expected one of {', '.join(QUESTION_TYPES)}, got {qtype!r}")
    options = _parse_options(f, qtype)
    answer = f.boolean("answer", required=qtype == "true_false")
    _check_answers(f, qtype, options, answer)
    return Question(
        id=f.slug("id"),
        type=qtype,
        text_html=render_field(ctx, f, "text"),
        options=options,
        answer=answer,
        feedback_html=render_field(ctx, f, "feedback"),
        rests_on=_rests_on(f, principles),
        outcome=f.slug("outcome", required=False),
    )


def _parse_options(f: Fields, qtype: str) -> tuple[Option, ...]:
    options = []
    for index, item in enumerate(f.items("options", required=qtype != "true_false")):
        o = f.child(f"options[{index}]", item)
        o.only("id", "text", "correct")
        correct = o.boolean("correct")
        if qtype == "ordering" and correct is not None:
            o.error("correct", "ordering options are written in the right order; remove 'correct'")
        options.append(Option(id=o.slug("id"), text=o.text("text"), is_correct=bool(correct)))
    return tuple(options)


def _check_answers(f: Fields, qtype: str, options: tuple[Option, ...], answer: bool | None) -> None:
    """The options or answer fit the question type: how many, and how many correct."""
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        f.error("options", "two options share an id")
    correct_count = sum(o.is_correct for o in options)
    if qtype == "true_false" and options:
        f.error(
            "options", "true/false questions take 'answer: true' or 'answer: false', not options"
        )
    if qtype != "true_false" and answer is not None:
        f.error("answer", "only true/false questions take 'answer'")
    if qtype == "single" and options and correct_count != 1:
        f.error(
            "options",
            f"a single-choice question needs exactly one correct option, found {correct_count}",
        )
    if qtype == "multiple" and options and correct_count < 1:
        f.error("options", "a multiple-response question needs at least one correct option")
    if qtype in ("single", "multiple") and 0 < len(options) < 2:
        f.error("options", "expected at least two options")
    if qtype == "ordering" and 0 < len(options) < 3:
        f.error("options", "an ordering question needs at least three options")


def _rests_on(f: Fields, principles: Mapping[str, Principle]) -> tuple[str, ...]:
    values = f.slugs("rests_on")
    f.check_known("rests_on", values, principles, "principle or decision question")
    return values
