"""How an attempt shows its quiz: the questions drawn and the order of every choice and option.

A presentation is made once, when an attempt starts, and stored with it, so resuming and
reviewing show the learner exactly what they saw. Pure: a quiz and a source of randomness in,
plain ids out. The catalogue keeps the authored order, for facilitators projecting a case.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any, TypeVar

from trainer.content.model import Choice, Option, Question, Quiz, Step

Item = TypeVar("Item")  # a choice or an option: anything with an id


@dataclass(frozen=True)
class Presentation:
    question_ids: tuple[str, ...] = ()  # a check's questions as asked, in the order shown
    choice_order: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by step id
    option_order: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # by question id

    def questions(self, quiz: Quiz) -> tuple[Question, ...]:
        """The questions asked; one since removed from the quiz is passed over."""
        by_id = {q.id: q for q in quiz.questions}
        return tuple(by_id[i] for i in self.question_ids if i in by_id)

    def choices(self, step: Step) -> tuple[Choice, ...]:
        return _in_order(step.choices, self.choice_order.get(step.id, ()))

    def options(self, question: Question) -> tuple[Option, ...]:
        return _in_order(question.options, self.option_order.get(question.id, ()))

    def as_data(self) -> dict[str, Any]:
        """Plain JSON for storing with the attempt."""
        return {
            "questions": list(self.question_ids),
            "choices": {step: list(ids) for step, ids in self.choice_order.items()},
            "options": {question: list(ids) for question, ids in self.option_order.items()},
        }


def _in_order(items: Sequence[Item], ids: Sequence[str]) -> tuple[Item, ...]:
    """Items in the stored order; any the stored order does not name keep their authored place
    after those it does (content corrected since the attempt began)."""
    position = {item_id: index for index, item_id in enumerate(ids)}
    return tuple(sorted(items, key=lambda item: position.get(item.id, len(ids))))


def present(quiz: Quiz, rng: Random, avoid: Collection[str] = ()) -> Presentation:
    """A new attempt's presentation: a pool drawn per outcome, preferring questions not in
    `avoid` (those asked last time), then questions, choices and options shuffled."""
    questions = _draw(quiz, rng, avoid) if quiz.is_pool else list(quiz.questions)
    rng.shuffle(questions)
    return Presentation(
        question_ids=tuple(q.id for q in questions),
        choice_order={step.id: _shuffled(step.choices, rng) for step in quiz.steps},
        option_order={q.id: _shuffled_options(q, rng) for q in questions if q.options},
    )


def _draw(quiz: Quiz, rng: Random, avoid: Collection[str]) -> list[Question]:
    drawn: list[Question] = []
    for outcome in dict.fromkeys(q.outcome for q in quiz.questions):
        pool = [q for q in quiz.questions if q.outcome == outcome]
        fresh = [q for q in pool if q.id not in avoid]
        asked_before = [q for q in pool if q.id in avoid]
        rng.shuffle(fresh)
        rng.shuffle(asked_before)
        drawn.extend((fresh + asked_before)[: quiz.draw_per_outcome])
    return drawn


def _shuffled(items: Sequence, rng: Random) -> tuple[str, ...]:
    ids = [item.id for item in items]
    rng.shuffle(ids)
    return tuple(ids)


def _shuffled_options(question: Question, rng: Random) -> tuple[str, ...]:
    order = _shuffled(question.options, rng)
    authored = tuple(o.id for o in question.options)
    # An ordering question's options are written in the right order: shown so, they are the answer.
    while question.type == "ordering" and len(authored) > 1 and order == authored:
        order = _shuffled(question.options, rng)
    return order


def authored(quiz: Quiz) -> Presentation:
    """Every question and choice in the order written, as attempts begun before presentations
    were stored saw them; ordering questions reversed, since their written order is the answer."""
    return Presentation(
        question_ids=tuple(q.id for q in quiz.questions),
        option_order={
            q.id: tuple(o.id for o in reversed(q.options))
            for q in quiz.questions
            if q.type == "ordering"
        },
    )


def from_stored(quiz: Quiz, data: Mapping[str, Any] | None) -> Presentation:
    """The presentation stored with an attempt, or the authored one for an attempt without."""
    if not data:
        return authored(quiz)
    return Presentation(
        question_ids=tuple(data.get("questions", ())),
        choice_order={step: tuple(ids) for step, ids in data.get("choices", {}).items()},
        option_order={question: tuple(ids) for question, ids in data.get("options", {}).items()},
    )


def question_count(quiz: Quiz) -> int:
    """How many questions each attempt asks: a pool's draw for every outcome, or all of them."""
    if quiz.is_pool:
        return quiz.draw_per_outcome * len({q.outcome for q in quiz.questions})
    return len(quiz.questions)
