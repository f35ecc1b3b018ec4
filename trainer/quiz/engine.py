"""The quiz engine: pure functions from a quiz and the answers given to a path, score and result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from trainer.content.model import END, Question, Quiz, Step

from .questions import is_correct


class AnswerError(ValueError):
    """An answer that does not fit the quiz (unknown choice, step already finished)."""


@dataclass(frozen=True)
class Taken:
    step_id: str
    choice_id: str
    score: int
    is_critical: bool = False


@dataclass(frozen=True)
class Result:
    score: int
    max_score: int
    pass_mark: int
    critical_choice_ids: tuple[str, ...] = ()  # critical errors on the path: each one fails it

    @property
    def percent(self) -> int:
        return (self.score * 100) // self.max_score if self.max_score else 0

    @property
    def has_passed(self) -> bool:
        return self.percent >= self.pass_mark and not self.critical_choice_ids


@dataclass(frozen=True)
class ScenarioState:
    """Where a learner is after some choices: the path so far and the next step, or the result."""

    path: tuple[Taken, ...]
    next_step: Step | None
    result: Result | None

    @property
    def is_finished(self) -> bool:
        return self.next_step is None

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(t.step_id for t in self.path)


def walk(quiz: Quiz, choice_ids: Sequence[str]) -> ScenarioState:
    """Follow a scenario from its first step along the given choices."""
    path: list[Taken] = []
    step: Step | None = quiz.start
    for choice_id in choice_ids:
        if step is None:
            raise AnswerError("the scenario has already ended")
        choice = step.choice(choice_id)
        if choice is None:
            raise AnswerError(f"step {step.id!r} has no choice {choice_id!r}")
        path.append(Taken(step.id, choice.id, choice.score, choice.is_critical))
        step = None if choice.next_step == END else quiz.step(choice.next_step)
    result = None
    if step is None:
        result = Result(
            sum(t.score for t in path),
            best_total(quiz),
            quiz.pass_mark,
            tuple(t.choice_id for t in path if t.is_critical),
        )
    return ScenarioState(tuple(path), step, result)


def best_total(quiz: Quiz) -> int:
    """The highest score any path through the scenario can reach: the 100% mark."""
    return _extreme_path(quiz, max)[0]


def best_path(quiz: Quiz) -> tuple[str, ...]:
    """Choice ids of the path that scores most (first listed wins a tie)."""
    return _extreme_path(quiz, max)[1]


def worst_path(quiz: Quiz) -> tuple[str, ...]:
    """Choice ids of the path that scores least."""
    return _extreme_path(quiz, min)[1]


def _extreme_path(quiz: Quiz, pick) -> tuple[int, tuple[str, ...]]:
    @cache
    def from_step(step_id: str) -> tuple[int, tuple[str, ...]]:
        options = []
        for choice in quiz.step(step_id).choices:
            rest = (0, ()) if choice.next_step == END else from_step(choice.next_step)
            options.append((choice.score + rest[0], (choice.id, *rest[1])))
        return pick(options, key=lambda option: option[0])

    return from_step(quiz.start.id)


# Knowledge checks ----------------------------------------------------------------------------


def score_check(
    quiz: Quiz, answers: Mapping[str, object], asked: Sequence[Question] | None = None
) -> Result:
    """Score a knowledge check over the questions asked (a final's draw; by default all of them):
    one mark for each question answered exactly right."""
    asked = quiz.questions if asked is None else asked
    score = sum(is_correct(q, answers.get(q.id)) for q in asked)
    return Result(score, len(asked), quiz.pass_mark)
