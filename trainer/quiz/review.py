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


def review_check(
    quiz: Quiz, given: Mapping[str, object], asked: Sequence[Question] | None = None
) -> list[QuestionReview]:
    """Each question asked (by default all), with the learner's answer and the right one."""
    return [
        QuestionReview(
            question,
            written_answer(question, given.get(question.id)),
            written_answer(question, right_answer(question)),
            is_correct(question, given.get(question.id)),
        )
        for question in (quiz.questions if asked is None else asked)
    ]


def missed_questions(quiz: Quiz, given: Given) -> list[Question]:
    """The questions answered and not right: a question the attempt did not draw is not missed."""
    answers = dict(given)
    return [q for q in quiz.questions if q.id in answers and not is_correct(q, answers[q.id])]


def missed_principles(quiz: Quiz, given: Given) -> list[str]:
    """The principles behind every answer that was not the best, in the order met."""
    if quiz.kind == "scenario":
        rows = path_against_best(quiz, given)
        return [p for row in rows if not row.is_best for p in row.best.rests_on]
    return [p for question in missed_questions(quiz, given) for p in question.rests_on]


def modules_to_reread(catalogue: Catalogue, quiz: Quiz, given: Given) -> list[Module]:
    """The modules to revisit for what the learner missed, each once, in the order met."""
    teaching = {p.id: p.module_id for p in catalogue.principles.values()}
    if quiz.kind == "scenario":
        module_ids = [teaching.get(p) for p in missed_principles(quiz, given)]
    else:
        # A final's pool question tests one module's outcomes: that module is the one to revisit.
        module_ids = [
            module_id
            for q in missed_questions(quiz, given)
            for module_id in ((q.outcome,) if q.outcome else (teaching.get(p) for p in q.rests_on))
        ]
    return [catalogue.modules[m] for m in dict.fromkeys(module_ids) if m in catalogue.modules]
