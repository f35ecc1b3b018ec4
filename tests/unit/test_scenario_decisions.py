"""Counting decisions in a scenario: exact where every way on is as long, "up to" where not."""

from pathlib import Path

from trainer.content import load_catalogue
from trainer.quiz import walk
from trainer.quiz.decisions import decision_count, decisions_ahead

VALID = Path(__file__).parent.parent / "fixtures" / "content" / "valid"
SCENARIO = load_catalogue(VALID).quizzes["bruise-scenario"]


def test_decisions_ahead_counts_the_shortest_and_longest_way_to_an_end():
    assert decisions_ahead(SCENARIO, "visit") == (2, 3)  # refer, then the call; or wait twice
    assert decisions_ahead(SCENARIO, "call") == (1, 1)


def test_the_first_decision_counts_up_to_the_longest_path():
    count = decision_count(SCENARIO, walk(SCENARIO, []))
    assert (count.number, count.most, count.is_exact) == (1, 3, False)


def test_the_count_adds_the_path_taken_to_what_remains():
    count = decision_count(SCENARIO, walk(SCENARIO, ["wait"]))
    assert (count.number, count.fewest, count.most) == (2, 2, 3)
    count = decision_count(SCENARIO, walk(SCENARIO, ["refer-today"]))
    assert (count.number, count.most, count.is_exact) == (2, 2, True)
