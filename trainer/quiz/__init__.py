"""The quiz engine. Pure: no Flask, no database; step and choice ids in, paths and results out."""

from .engine import (
    AnswerError,
    Result,
    ScenarioState,
    Taken,
    best_path,
    best_total,
    score_check,
    walk,
    worst_path,
)
from .questions import QUESTION_TYPES, is_correct, parse_answers, written_answer

__all__ = [
    "QUESTION_TYPES",
    "AnswerError",
    "Result",
    "ScenarioState",
    "Taken",
    "best_path",
    "best_total",
    "is_correct",
    "parse_answers",
    "score_check",
    "walk",
    "worst_path",
    "written_answer",
]
