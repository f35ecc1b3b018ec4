"""The quiz engine: paths through a scenario, scores and pass or fail, with no app or database."""

from dataclasses import replace

import pytest

from tests.conftest import VALID_CONTENT
from trainer.content import load_catalogue
from trainer.quiz import AnswerError, best_path, best_total, score_check, walk, worst_path


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(VALID_CONTENT)


@pytest.fixture
def scenario(catalogue):
    return catalogue.quizzes["bruise-scenario"]


@pytest.fixture
def check(catalogue):
    return catalogue.quizzes["basics-check"]


def test_best_path_scores_full_marks_and_passes(scenario):
    state = walk(scenario, ["refer-today", "protect-referrer"])
    assert state.is_finished
    assert state.step_ids == ("visit", "call")
    assert (state.result.score, state.result.max_score, state.result.percent) == (20, 20, 100)
    assert state.result.has_passed


def test_wrong_answer_routes_to_the_consequence_step(scenario):
    state = walk(scenario, ["wait"])
    assert state.next_step.id == "later"
    assert state.result is None


def test_late_recovery_scores_part_marks(scenario):
    state = walk(scenario, ["wait", "refer-now", "protect-referrer"])
    assert state.step_ids == ("visit", "later", "call")
    assert state.result.percent == 75  # 15 of 20: the pass mark is 70
    assert state.result.has_passed
    state = walk(scenario, ["wait", "refer-now", "name-referrer"])  # late, then unsafe
    assert state.result.percent == 25
    assert not state.result.has_passed


def test_a_critical_choice_fails_the_path_whatever_its_points(scenario):
    call = scenario.step("call")
    unsafe = replace(call.choice("name-referrer"), score=10, is_critical=True, critical_reason="r")
    steps = tuple(
        replace(step, choices=(call.choice("protect-referrer"), unsafe)) if step is call else step
        for step in scenario.steps
    )
    quiz = replace(scenario, steps=steps)
    state = walk(quiz, ["refer-today", "name-referrer"])
    assert state.result.percent == 100
    assert state.result.critical_choice_ids == ("name-referrer",)
    assert not state.result.has_passed
    assert walk(quiz, ["refer-today", "protect-referrer"]).result.has_passed


def test_resuming_from_stored_answers_reaches_the_same_step(scenario):
    assert walk(scenario, ["wait"]).next_step == walk(scenario, ["wait"]).next_step
    assert walk(scenario, []).next_step.id == "visit"


def test_best_and_worst_paths_are_found(scenario):
    assert best_total(scenario) == 20
    assert best_path(scenario) == ("refer-today", "protect-referrer")
    assert walk(scenario, worst_path(scenario)).result.score == 0


@pytest.mark.parametrize(
    "answers",
    [["refer-today", "no-such-choice"], ["refer-today", "protect-referrer", "refer-today"]],
)
def test_answers_that_do_not_fit_the_scenario_are_refused(scenario, answers):
    with pytest.raises(AnswerError):
        walk(scenario, answers)


def test_knowledge_check_all_right_passes(check):
    answers = {
        "purpose": "a",
        "which": ["timely", "accurate"],
        "consent-always": False,
        "order": ["purpose", "share", "record"],
    }
    result = score_check(check, answers)
    assert (result.score, result.max_score, result.has_passed) == (4, 4, True)


@pytest.mark.parametrize(
    ("question", "wrong"),
    [
        ("purpose", "b"),
        ("which", ["accurate"]),  # part of the right set earns nothing
        ("which", ["accurate", "timely", "gossip"]),
        ("consent-always", True),
        ("order", ["share", "purpose", "record"]),
        ("order", "purpose"),
    ],
)
def test_knowledge_check_marks_each_wrong_answer_wrong(check, question, wrong):
    answers = {
        "purpose": "a",
        "which": ["accurate", "timely"],
        "consent-always": False,
        "order": ["purpose", "share", "record"],
        question: wrong,
    }
    result = score_check(check, answers)
    assert (result.score, result.percent) == (3, 75)
    assert result.has_passed  # the pass mark is 75: one slip in four is allowed
