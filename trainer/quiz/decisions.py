"""How far through a scenario a learner is: "Decision 2 of 4", or "of up to 5" where paths differ."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from trainer.content.model import END, Quiz

from .engine import ScenarioState


@dataclass(frozen=True)
class DecisionCount:
    number: int  # this decision's place on the learner's path
    fewest: int  # decisions in all on the shortest way on from here
    most: int  # and on the longest

    @property
    def is_exact(self) -> bool:
        """Every way on from here has the same number of decisions."""
        return self.fewest == self.most


def decisions_ahead(quiz: Quiz, step_id: str) -> tuple[int, int]:
    """The fewest and the most decisions from this step to an end, this step included."""

    @cache
    def from_step(current: str) -> tuple[int, int]:
        lengths = [
            (1, 1) if choice.next_step == END else _plus_one(from_step(choice.next_step))
            for choice in quiz.step(current).choices
        ]
        return min(f for f, _ in lengths), max(m for _, m in lengths)

    return from_step(step_id)


def _plus_one(span: tuple[int, int]) -> tuple[int, int]:
    return span[0] + 1, span[1] + 1


def decision_count(quiz: Quiz, state: ScenarioState) -> DecisionCount:
    """Where the learner's next decision stands: the path so far plus what may still come."""
    taken = len(state.path)
    fewest, most = decisions_ahead(quiz, state.next_step.id)
    return DecisionCount(number=taken + 1, fewest=taken + fewest, most=taken + most)
