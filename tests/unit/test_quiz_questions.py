"""Each question type, and the review after a quiz: pure functions over plain values."""

import pytest

from tests.conftest import VALID_CONTENT
from trainer.content import load_catalogue
from trainer.quiz import QUESTION_TYPES, is_correct, parse_answers, written_answer
from trainer.quiz.review import (
    best_route,
    critical_errors,
    modules_to_reread,
    path_against_best,
    review_check,
)

CATALOGUE = load_catalogue(VALID_CONTENT)
CHECK = CATALOGUE.quizzes["basics-check"]
SCENARIO = CATALOGUE.quizzes["bruise-scenario"]
QUESTION = {q.id: q for q in CHECK.questions}
RIGHT_FORM = {
    "q-purpose": ["a"],
    "q-which": ["timely", "accurate"],
    "q-consent-always": ["false"],
    "q-order-purpose": ["1"],
    "q-order-share": ["2"],
    "q-order-record": ["3"],
}


def test_every_question_type_in_the_fixture_is_defined_once_in_quiz():
    assert {q.type for q in CHECK.questions} == set(QUESTION_TYPES)


def test_a_complete_right_form_parses_to_answers_that_are_all_correct():
    answers, problems = parse_answers(CHECK.questions, RIGHT_FORM)
    assert problems == {}
    assert answers == {
        "purpose": "a",
        "which": ("accurate", "timely"),
        "consent-always": False,
        "order": ("purpose", "share", "record"),
    }
    assert all(is_correct(QUESTION[qid], answer) for qid, answer in answers.items())


@pytest.mark.parametrize(
    ("question_id", "form", "message"),
    [
        ("purpose", {"q-purpose": ["z"]}, "Select an answer"),
        ("which", {"q-which": ["gossipy"]}, "Select all the answers that apply"),
        ("consent-always", {"q-consent-always": ["maybe"]}, "Select true or false"),
        (
            "order",
            {"q-order-purpose": ["1"], "q-order-share": ["1"], "q-order-record": ["3"]},
            "Give each step a different number, from 1 upwards",
        ),
    ],
)
def test_an_unanswered_or_impossible_answer_says_what_to_do(question_id, form, message):
    answers, problems = parse_answers([QUESTION[question_id]], form)
    assert answers == {}
    assert problems == {question_id: message}


@pytest.mark.parametrize(
    ("question_id", "answer", "right"),
    [
        ("purpose", "a", True),
        ("purpose", "b", False),
        ("which", ["timely", "accurate"], True),  # stored as a JSON list, in any order
        ("which", ["accurate"], False),
        ("which", "accurate", False),
        ("consent-always", False, True),
        ("consent-always", 0, False),  # only a real true or false counts
        ("order", ["purpose", "share", "record"], True),
        ("order", ["share", "purpose", "record"], False),
        ("order", None, False),
    ],
)
def test_correctness_per_type_with_no_part_marks(question_id, answer, right):
    assert is_correct(QUESTION[question_id], answer) is right


def test_answers_are_written_in_words_as_the_options_read():
    assert written_answer(QUESTION["purpose"], "a") == "A clear purpose"
    assert written_answer(QUESTION["which"], ["timely", "accurate"]) == "Accuracy; Timeliness"
    assert written_answer(QUESTION["consent-always"], True) == "True"
    assert written_answer(QUESTION["order"], ["purpose", "share", "record"]) == (
        "Purpose → Share → Record"
    )
    assert written_answer(QUESTION["order"], None) == "(no answer)"


def test_review_of_a_check_shows_the_right_answer_only_where_it_was_missed():
    reviews = review_check(CHECK, {"purpose": "b", "which": ["accurate", "timely"]})
    by_id = {r.question.id: r for r in reviews}
    assert (by_id["purpose"].is_right, by_id["purpose"].right) == (False, "A clear purpose")
    assert by_id["which"].is_right
    assert by_id["order"].given == "(no answer)"


def test_path_against_best_and_the_best_route_compare_whole_paths():
    given = [("visit", "wait"), ("later", "refer-now"), ("call", "protect-referrer")]
    rows = path_against_best(SCENARIO, given)
    assert [(r.step.id, r.chosen.id, r.best.id, r.is_best) for r in rows] == [
        ("visit", "wait", "refer-today", False),
        ("later", "refer-now", "refer-now", True),
        ("call", "protect-referrer", "protect-referrer", True),
    ]
    assert [(s.id, c.id) for s, c in best_route(SCENARIO)] == [
        ("visit", "refer-today"),
        ("call", "protect-referrer"),
    ]


def test_a_removed_step_is_passed_over_and_critical_errors_are_named():
    given = [("gone", "x"), ("visit", "wait"), ("later", "still-wait")]
    assert [r.step.id for r in path_against_best(SCENARIO, given)] == ["visit", "later"]
    assert [c.id for c in critical_errors(SCENARIO, given)] == ["still-wait"]
    assert critical_errors(SCENARIO, [("visit", "refer-today")]) == []


def test_modules_to_reread_follow_the_principles_missed():
    missed = modules_to_reread(CATALOGUE, SCENARIO, [("visit", "wait"), ("later", "still-wait")])
    assert [m.id for m in missed] == [CATALOGUE.principles["protection-comes-first"].module_id]
    assert modules_to_reread(CATALOGUE, SCENARIO, [("visit", "refer-today")]) == []
    wrong_check = modules_to_reread(CATALOGUE, CHECK, [("purpose", "b")])
    assert wrong_check  # every unanswered or wrong question points somewhere to read
