"""What a learner sees after finishing: their path against the best, the answers reviewed,
and the modules to read again. Pure functions over the quiz and the answers as given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.content.model import END, Catalogue, Choice, Module, Question, Quiz, Step

from .engine import best_path
from .questions import is_correct, right_answer, written_answer

# Answers as stored: (step or question id, the value given), in the order given.
Given = Sequence[tuple[str, object]]


@dataclass(frozen=True)
class PathRow:
    step: Step
    chosen: Choice | None  # None when the choice has since been removed from the quiz
    best: Choice

    @property
    def is_best(self) -> bool:
        return self.chosen is not None and self.chosen.score >= self.best.score


def best_choice(step: Step) -> Choice:
    return max(step.choices, key=lambda choice: choice.score)


def path_against_best(quiz: Quiz, given: Given) -> list[PathRow]:
    """Each step the learner met, their choice and the best choice at that step."""
    rows = []
    for step_id, choice_id in given:
        step = quiz.step(step_id)
        if step is not None:  # a step since removed from the quiz is passed over
            rows.append(PathRow(step, step.choice(str(choice_id)), best_choice(step)))
    return rows


def critical_errors(quiz: Quiz, given: Given) -> list[Choice]:
    """The critical choices on the learner's path: each one alone fails the attempt."""
    return [
        row.chosen
        for row in path_against_best(quiz, given)
        if row.chosen is not None and row.chosen.is_critical
    ]


def best_route(quiz: Quiz) -> list[tuple[Step, Choice]]:
    """The best path, step by step, for walking through with its feedback."""
    route: list[tuple[Step, Choice]] = []
    step = quiz.start
    for choice_id in best_path(quiz):
        choice = step.choice(choice_id)
        route.append((step, choice))
        step = quiz.step(choice.next_step) if choice.next_step != END else None
    return route


@dataclass(frozen=True)
class QuestionReview:
    question: Question
    given: str
    right: str
    is_right: bool


def review_check(quiz: Quiz, given: Mapping[str, object]) -> list[QuestionReview]:
    """Each question with the learner's answer and the right one, in words."""
    return [
        QuestionReview(
            question,
            written_answer(question, given.get(question.id)),
            written_answer(question, right_answer(question)),
            is_correct(question, given.get(question.id)),
        )
        for question in quiz.questions
    ]


def missed_principles(quiz: Quiz, given: Given) -> list[str]:
    """The principles behind every answer that was not the best, in the order met."""
    missed: list[str] = []
    if quiz.kind == "scenario":
        for row in path_against_best(quiz, given):
            if not row.is_best:
                missed.extend(row.best.rests_on)
    else:
        answers = dict(given)
        for question in quiz.questions:
            if not is_correct(question, answers.get(question.id)):
                missed.extend(question.rests_on)
    return missed


def modules_to_reread(catalogue: Catalogue, quiz: Quiz, given: Given) -> list[Module]:
    """The modules teaching the principles the learner missed, each once."""
    principles = catalogue.principles
    module_ids = dict.fromkeys(
        principles[p].module_id for p in missed_principles(quiz, given) if p in principles
    )
    return [catalogue.modules[m] for m in module_ids if m in catalogue.modules]
