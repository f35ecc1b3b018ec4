"""Assessments that measure: each attempt's order and draw stored with it, finals that keep
their answers until passed, a course's wait between failed finals, and scenario CPD time
counted once and never for 0%.

The content is the fixture's, with its final check (basics-check) made a pool that draws one
question for each of the course's two modules, unless a test asks otherwise.
"""

import shutil
from datetime import timedelta

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.app.test_exact_records import count, cpd_minutes, race
from tests.app.test_learning import BEST, choose, play, start, text_of
from tests.conftest import VALID_CONTENT, fresh_database, make_app
from tests.unit.test_content_validation import pooled_check
from trainer.extensions import db
from trainer.formats import time_and_date
from trainer.models import Attempt

OUTCOMES = ["why-share", "why-share", "how-to-decide", "how-to-decide"]
OUTCOME_OF = dict(zip(["purpose", "which", "consent-always", "order"], OUTCOMES, strict=True))
# Each fixture question's form fields, answered right and answered wrong.
RIGHT = {
    "purpose": {"q-purpose": "a"},
    "which": {"q-which": ["accurate", "timely"]},
    "consent-always": {"q-consent-always": "false"},
    "order": {"q-order-purpose": "1", "q-order-share": "2", "q-order-record": "3"},
}
WRONG = {
    "purpose": {"q-purpose": "b"},
    "which": {"q-which": ["gossip"]},
    "consent-always": {"q-consent-always": "true"},
    "order": {"q-order-purpose": "3", "q-order-share": "2", "q-order-record": "1"},
}
WRONG_ANSWER_TEXTS = ["Right answer", "Not right", "Name your purpose first.", "Purpose, share"]


def content_folder(tmp_path, draw: int = 1, **course) -> str:
    """The fixture content, its final drawing `draw` per module (0: no pool), course changed."""
    if draw:
        folder = pooled_check(tmp_path, draw, OUTCOMES)
    else:
        folder = tmp_path / "content"
        shutil.copytree(VALID_CONTENT, folder)
    path = folder / "modules" / "basics" / "course.yaml"
    path.write_text(yaml.safe_dump({**yaml.safe_load(path.read_text()), **course}))
    return str(folder)


@pytest.fixture
def app(request, tmp_path):
    content = content_folder(tmp_path, **getattr(request, "param", {}))
    with fresh_database(make_app(tmp_path, CONTENT_DIR=content)) as app:
        yield app


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def asked(client, url: str) -> list[str]:
    """The question ids on a check's page, in the order shown."""
    groups = page_of(client.get(url)).select("form .govuk-form-group[id^='q-']")
    return [group["id"].removeprefix("q-") for group in groups]


def answer(client, url: str, right: set[str] | None = None):
    """Answer every question shown: those in `right` rightly (all when None), others wrongly."""
    form = {}
    for question_id in asked(client, url):
        is_right = right is None or question_id in right
        form.update((RIGHT if is_right else WRONG)[question_id])
    return client.post(url, data=form)


def stored(number: int = 1) -> dict:
    db.session.expire_all()
    return db.session.scalars(db.select(Attempt).where(Attempt.number == number)).one().presentation


# Shuffled choices and options --------------------------------------------------------------


def test_a_scenario_shows_its_choices_in_the_order_stored_with_the_attempt(client, learner):
    assert count(Attempt) == 0
    url = start(client, "bruise-scenario")
    order = stored()["choices"]
    values = [i["value"] for i in page_of(client.get(url)).select("input[name=choice]")]
    assert values == order["visit"]
    choose(client, url, "visit", "refer-today")
    assert start(client, "bruise-scenario") == url  # leaving and coming back resumes
    values = [i["value"] for i in page_of(client.get(url)).select("input[name=choice]")]
    assert values == order["call"]
    assert stored()["choices"] == order  # written once, at the start


def test_twenty_start_presses_at_once_make_one_attempt_with_one_presentation(client, learner):
    responses = race(client, "/quizzes/bruise-scenario/start")
    assert {r.headers["Location"] for r in responses} == {"/quizzes/bruise-scenario/attempts/1"}
    assert count(Attempt) == 1
    assert set(stored()["choices"]) == {"visit", "later", "call"}


def test_a_check_shows_questions_and_options_in_the_stored_order(client, learner):
    url = start(client, "basics-check")
    presentation = stored()
    assert asked(client, url) == presentation["questions"]
    page = page_of(client.get(url))
    for question_id, option_ids in presentation["options"].items():
        fields = page.select(f"#q-{question_id} input, #q-{question_id} select")
        assert [f["id"].removeprefix(f"q-{question_id}-") for f in fields] == option_ids
    order = presentation["options"].get("order")
    assert order is None or order != ["purpose", "share", "record"]  # never the answer itself


def test_an_attempt_begun_before_orders_were_stored_is_shown_as_written(client, learner):
    url = start(client, "bruise-scenario")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.presentation = None
    db.session.commit()
    values = [i["value"] for i in page_of(client.get(url)).select("input[name=choice]")]
    assert values == ["refer-today", "wait"]


@pytest.mark.parametrize("app", [{"draw": 0}], indirect=True)
def test_an_older_check_attempt_asks_every_question_and_is_scored_over_all(client, learner):
    url = start(client, "basics-check")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.presentation = None
    db.session.commit()
    assert asked(client, url) == ["purpose", "which", "consent-always", "order"]
    answer(client, url)
    db.session.expire_all()
    assert (attempt.score, attempt.max_score) == (4, 4)


# Final assessments drawn from a pool -------------------------------------------------------


def test_a_final_draws_one_question_per_module_and_scores_over_the_draw(client, learner):
    url = start(client, "basics-check")
    drawn = asked(client, url)
    assert len(drawn) == 2
    assert {OUTCOME_OF[q] for q in drawn} == {"why-share", "how-to-decide"}
    overview = text_of(client.get("/quizzes/basics-check"))
    assert "2 questions, drawn afresh for each attempt" in overview
    assert start(client, "basics-check") == url and asked(client, url) == drawn  # resumed
    answer(client, url)
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (2, 2, 100, True)
    assert sorted(a.item_id for a in attempt.answers) == sorted(drawn)


def test_a_retake_asks_a_different_draw(client, learner):
    first_url = start(client, "basics-check")
    first = asked(client, first_url)
    answer(client, first_url, right=set())
    retake = asked(client, start(client, "basics-check"))
    assert len(retake) == 2 and set(retake).isdisjoint(first)


def test_a_failed_final_shows_modules_to_revisit_but_not_the_answers(client, learner):
    url = start(client, "basics-check")
    drawn = asked(client, url)
    answer(client, url, right={drawn[0]})
    page = page_of(client.get(url))
    text = page.get_text(" ", strip=True)
    assert "Not passed this time" in text and "You answered 1 of 2 questions right" in text
    links = page.select("#revisit ~ h3 a")
    assert [a["href"] for a in links] == [f"/courses/basics/{OUTCOME_OF[drawn[1]]}"]
    assert not any(giveaway in text for giveaway in WRONG_ANSWER_TEXTS)
    assert "Your answers" not in text and "Read again" not in text


@pytest.mark.parametrize("app", [{"draw": 2}], indirect=True)
def test_a_passed_final_shows_the_answers(client, learner):
    url = start(client, "basics-check")
    answer(client, url, right={"purpose", "which", "order"})
    text = text_of(client.get(url))
    assert "You passed" in text and "Your answers" in text
    assert "Your answer: True Right answer: False" in text
    assert "Outcomes to revisit" not in text


@pytest.mark.parametrize("app", [{"draw": 0, "completion": {"quizzes": []}}], indirect=True)
def test_a_practice_check_shows_its_answers_even_when_failed(client, learner):
    url = start(client, "basics-check")
    answer(client, url, right=set())
    text = text_of(client.get(url))
    assert "Not passed this time" in text
    assert "Right answer: A clear purpose" in text and "Read again" in text
    assert "Outcomes to revisit" not in text


# The wait between failed finals ------------------------------------------------------------


@pytest.mark.parametrize("app", [{"retake_wait_hours": 24}], indirect=True)
def test_a_course_wait_refuses_an_early_retake_and_says_when(client, learner):
    answer(client, start(client, "basics-check"), right=set())
    attempt = db.session.scalars(db.select(Attempt)).one()
    when = f"You can try again from {time_and_date(attempt.finished_at + timedelta(hours=24))}"
    overview = client.get("/quizzes/basics-check")
    assert when in text_of(overview)
    assert page_of(overview).select_one("form[action$='/start']") is None
    refused = client.post("/quizzes/basics-check/start")
    assert refused.status_code == 409 and when in text_of(refused)
    assert count(Attempt) == 1
    attempt.finished_at -= timedelta(hours=24)  # a day later
    db.session.commit()
    assert start(client, "basics-check").endswith("/attempts/2")


@pytest.mark.parametrize("app", [{"retake_wait_hours": 24}], indirect=True)
def test_no_wait_after_a_passed_final_or_a_scenario(client, learner):
    answer(client, start(client, "basics-check"))
    assert start(client, "basics-check").endswith("/attempts/2")
    play(client, ["wait", "still-wait"])
    assert start(client, "bruise-scenario").endswith("/attempts/2")


def test_without_a_course_wait_a_failed_final_can_be_retaken_at_once(client, learner):
    answer(client, start(client, "basics-check"), right=set())
    assert "You can try again from" not in text_of(client.get("/quizzes/basics-check"))
    assert start(client, "basics-check").endswith("/attempts/2")


# Scenario CPD time --------------------------------------------------------------------------


def test_a_scenario_scoring_0_percent_earns_no_cpd_time(client, learner):
    play(client, ["wait", "still-wait"])
    assert cpd_minutes(learner.id) == 0
    assert "No CPD time: a score of 0% does not count" in text_of(client.get("/cpd/"))


def test_a_scenario_gives_its_cpd_time_once_not_once_per_retake(client, learner):
    play(client, ["wait", "refer-now", "protect-referrer"])
    assert cpd_minutes(learner.id) == 20
    play(client, BEST)
    play(client, BEST)
    assert count(Attempt) == 3
    assert cpd_minutes(learner.id) == 20
    assert "this scenario's time counted on an earlier attempt" in text_of(client.get("/cpd/"))
