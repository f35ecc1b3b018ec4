"""The quiz engine. Pure: no Flask, no database; step and choice ids in, paths and results out."""

from .engine import (
    AnswerError,
    Result,
    ScenarioState,
    Taken,
    best_path,
    best_total,
    is_correct,
    score_check,
    walk,
    worst_path,
)

__all__ = [
    "AnswerError",
    "Result",
    "ScenarioState",
    "Taken",
    "best_path",
    "best_total",
    "is_correct",
    "score_check",
    "walk",
    "worst_path",
]
