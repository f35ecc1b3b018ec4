"""What each attempt shows: shuffled choices and options, a final's draw from its pool, what a
result may reveal, and the wait between failed finals. Pure functions over the fixture content."""

from datetime import UTC, datetime, timedelta
from random import Random

import pytest
import yaml

from tests.conftest import VALID_CONTENT
from tests.unit.test_content_validation import pooled_check
from trainer.content import ContentError, load_catalogue
from trainer.formats import time_and_date
from trainer.quiz import score_check
from trainer.quiz.finals import is_final, next_try_at, retake_wait, shows_answers
from trainer.quiz.presentation import Presentation, authored, from_stored, present, question_count
from trainer.quiz.review import modules_to_reread, review_check

CATALOGUE = load_catalogue(VALID_CONTENT)
CHECK = CATALOGUE.quizzes["basics-check"]
SCENARIO = CATALOGUE.quizzes["bruise-scenario"]
OUTCOMES = ["why-share", "why-share", "how-to-decide", "how-to-decide"]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def pool(tmp_path):
    """The fixture's final check as a pool drawing one question for each of its two modules."""
    return load_catalogue(pooled_check(tmp_path, 1, OUTCOMES)).quizzes["basics-check"]


def ids(items) -> list[str]:
    return [item.id for item in items]


def test_choices_and_options_are_shuffled_differently_from_one_attempt_to_another():
    shown = [present(SCENARIO, Random(seed)) for seed in range(20)]
    orders = {tuple(ids(p.choices(step))) for p in shown for step in SCENARIO.steps}
    assert len(orders) > len(SCENARIO.steps)  # some step was shown in more than one order
    which = CHECK.questions[1]
    assert len({tuple(ids(present(CHECK, Random(s)).options(which))) for s in range(20)}) > 1
    for p in shown:
        for step in SCENARIO.steps:
            assert sorted(ids(p.choices(step))) == sorted(ids(step.choices))


def test_an_ordering_question_is_never_shown_in_its_right_order():
    order = next(q for q in CHECK.questions if q.type == "ordering")
    for seed in range(50):
        assert ids(present(CHECK, Random(seed)).options(order)) != ids(order.options)
    assert ids(authored(CHECK).options(order)) != ids(order.options)


def test_a_stored_presentation_reads_back_the_same_order():
    shown = present(CHECK, Random(7))
    again = from_stored(CHECK, shown.as_data())
    assert again == shown
    assert ids(again.questions(CHECK)) == list(shown.question_ids)


def test_attempts_without_a_stored_presentation_see_every_question_as_authored():
    legacy = from_stored(CHECK, None)
    assert ids(legacy.questions(CHECK)) == ids(CHECK.questions)
    assert ids(legacy.options(CHECK.questions[1])) == ids(CHECK.questions[1].options)
    assert ids(from_stored(SCENARIO, None).choices(SCENARIO.start)) == ids(SCENARIO.start.choices)


def test_a_question_or_choice_changed_since_the_attempt_began_is_passed_over_or_kept_last():
    stored = Presentation(
        question_ids=("gone", "purpose"),
        choice_order={"visit": ("wait",)},
    )
    assert ids(stored.questions(CHECK)) == ["purpose"]
    assert ids(stored.choices(SCENARIO.start)) == ["wait", "refer-today"]


def test_a_final_without_a_pool_asks_every_question_in_a_shuffled_order():
    orders = {present(CHECK, Random(seed)).question_ids for seed in range(20)}
    assert all(sorted(order) == sorted(ids(CHECK.questions)) for order in orders)
    assert len(orders) > 1
    assert question_count(CHECK) == 4


def test_a_pool_draws_its_number_for_every_outcome(pool):
    for seed in range(20):
        drawn = present(pool, Random(seed)).questions(pool)
        assert sorted(q.outcome for q in drawn) == ["how-to-decide", "why-share"]
    assert question_count(pool) == 2


def test_a_retake_draws_questions_not_asked_last_time_while_the_pool_has_them(pool):
    first = present(pool, Random(1))
    retake = present(pool, Random(1), avoid=first.question_ids)
    assert set(retake.question_ids).isdisjoint(first.question_ids)
    assert len(retake.question_ids) == 2
    # Every question asked before: the draw still covers every outcome.
    again = present(pool, Random(2), avoid=[q.id for q in pool.questions])
    assert sorted(q.outcome for q in again.questions(pool)) == ["how-to-decide", "why-share"]


def test_the_score_is_over_the_drawn_questions_only(pool):
    asked = [q for q in pool.questions if q.id in ("purpose", "consent-always")]
    result = score_check(pool, {"purpose": "a", "consent-always": False}, asked)
    assert (result.score, result.max_score, result.percent) == (2, 2, 100)
    assert [r.question.id for r in review_check(pool, {}, asked)] == ["purpose", "consent-always"]


def test_a_missed_pool_question_points_at_the_module_whose_outcome_it_tests(pool):
    given = [("consent-always", True), ("purpose", "a")]
    assert ids(modules_to_reread(CATALOGUE, pool, given)) == ["how-to-decide"]
    assert modules_to_reread(CATALOGUE, pool, [("purpose", "a")]) == []  # one not drawn: not missed


def test_only_a_passed_final_shows_its_answers_and_practice_always_does():
    assert is_final(CATALOGUE, "basics-check") and not is_final(CATALOGUE, "bruise-scenario")
    assert not shows_answers(CATALOGUE, "basics-check", has_passed=False)
    assert shows_answers(CATALOGUE, "basics-check", has_passed=True)
    assert shows_answers(CATALOGUE, "bruise-scenario", has_passed=False)


def test_courses_wait_no_time_between_attempts_unless_they_say_so(tmp_path):
    assert CATALOGUE.courses["basics"].retake_wait_hours == 0
    assert retake_wait(CATALOGUE, "basics-check") == timedelta(0)
    catalogue = load_catalogue(course_with(tmp_path, retake_wait_hours=48))
    assert catalogue.courses["basics"].retake_wait_hours == 48
    assert retake_wait(catalogue, "basics-check") == timedelta(hours=48)
    assert retake_wait(catalogue, "bruise-scenario") == timedelta(0)


def test_a_retake_wait_that_is_not_a_whole_number_of_hours_is_reported(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_catalogue(course_with(tmp_path, retake_wait_hours=-1))
    assert any(
        str(p).startswith("modules/basics/course.yaml: retake_wait_hours: expected a whole number")
        for p in caught.value.problems
    )


@pytest.mark.parametrize(
    ("finished", "passed", "expected"),
    [
        (NOW - timedelta(hours=1), False, NOW + timedelta(hours=23)),
        (NOW - timedelta(hours=25), False, None),  # the wait is over
        (NOW - timedelta(hours=1), True, None),  # passed: no wait to retake
        (None, None, None),  # never finished
    ],
)
def test_the_next_try_is_a_day_after_a_failed_attempt(finished, passed, expected):
    assert next_try_at(timedelta(hours=24), finished, passed, NOW) == expected


def test_no_wait_means_trying_again_at_once():
    assert next_try_at(timedelta(0), NOW, False, NOW) is None


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 1, 15, 45, tzinfo=UTC), "3:45pm on 1 December 2026"),
        (datetime(2026, 7, 1, 8, 0, tzinfo=UTC), "9am on 1 July 2026"),  # British Summer Time
        (datetime(2026, 12, 1, 12, 0, tzinfo=UTC), "midday on 1 December 2026"),
        (datetime(2026, 12, 1, 0, 0, tzinfo=UTC), "midnight on 1 December 2026"),
    ],
)
def test_the_time_to_try_again_is_written_in_uk_time(moment, expected):
    assert time_and_date(moment) == expected


def course_with(tmp_path, **settings):
    folder = pooled_check(tmp_path, 1, OUTCOMES)
    path = folder / "modules" / "basics" / "course.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(settings)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder
