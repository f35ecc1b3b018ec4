"""The learner journey through the test client: reading, scenarios, checks, completion."""

from datetime import date

import pytest
from bs4 import BeautifulSoup

from tests.conftest import get_page, make_user, sign_in
from trainer.extensions import db
from trainer.models import Answer, Attempt, CourseCompletion, DecisionRecord
from trainer.progress import add_months

BEST = ["refer-today", "protect-referrer"]
RIGHT_CHECK = {
    "q-purpose": "a",
    "q-which": ["accurate", "timely"],
    "q-consent-always": "false",
    "q-order-purpose": "1",
    "q-order-share": "2",
    "q-order-record": "3",
}


def start(client, quiz_id: str) -> str:
    response = client.post(f"/quizzes/{quiz_id}/start")
    assert response.status_code == 302
    return response.headers["Location"]


def choose(client, url: str, step: str, choice: str):
    return client.post(url, data={"step": step, "choice": choice})


def play(client, choices: list[str]) -> str:
    url = start(client, "bruise-scenario")
    steps = {"refer-today": "visit", "wait": "visit", "refer-now": "later", "still-wait": "later"}
    for choice in choices:
        choose(client, url, steps.get(choice, "call"), choice)
    return url


def text_of(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def assert_refused_keeping_input(response, messages: list[str], typed: str, model) -> None:
    """The form comes back with each message and what was typed, and nothing is stored."""
    text = text_of(response)
    for message in messages:
        assert message in text
    assert typed in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0


def test_quizzes_need_a_signed_in_learner(client, app):
    response = client.get("/quizzes/bruise-scenario")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_marking_a_module_read_is_remembered_and_moves_on(client, learner):
    response = client.post("/courses/basics/why-share/complete")
    assert response.headers["Location"] == "/courses/basics/how-to-decide"
    page = get_page(client, "learn.module", course_id="basics", module_id="why-share")
    assert "You have marked this module as read." in page.get_text()
    course = get_page(client, "learn.course", course_id="basics")
    assert "1 of 2 modules read" in course.get_text(" ", strip=True)


def test_after_completing_a_course_its_modules_are_read_again_for_the_refresher(client, learner):
    from trainer.models import ModuleRead

    def read_state() -> str:
        page = get_page(client, "learn.module", course_id="basics", module_id="why-share")
        return "read" if "You have marked this module as read." in page.get_text() else "unread"

    db.session.add(
        ModuleRead(user_id=learner.id, course_id="basics", module_id="why-share", cycle=0)
    )
    db.session.commit()
    assert read_state() == "read"
    db.session.add(
        CourseCompletion(
            user_id=learner.id,
            course_id="basics",
            cycle=0,
            refresher_due=add_months(date.today(), 12),
            cpd_minutes=60,
        )
    )
    db.session.commit()
    assert read_state() == "unread"  # the refresher cycle has begun
    client.post("/courses/basics/why-share/complete")
    assert read_state() == "read"


def test_marking_read_twice_records_it_once(client, learner):
    client.post("/courses/basics/why-share/complete")
    client.post("/courses/basics/why-share/complete")
    from trainer.models import ModuleRead

    assert db.session.scalar(db.select(db.func.count()).select_from(ModuleRead)) == 1


def test_scenario_best_path_passes_with_feedback_at_each_step(client, learner):
    url = start(client, "bruise-scenario")
    page = text_of(client.get(url))
    assert "You see a bruise on a baby who cannot crawl." in page
    choose(client, url, "visit", "refer-today")
    page = text_of(client.get(url))
    assert "Your last choice Refer to children's social care today." in page
    assert "A bruise on a non-mobile baby needs a same-day referral." in page
    assert "Rests on: Protecting a child comes first" in page
    choose(client, url, "call", "protect-referrer")
    page = text_of(client.get(url))
    assert "You passed" in page
    assert "Your score: 100%" in page
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert (attempt.score, attempt.max_score, attempt.passed) == (20, 20, True)
    assert len(attempt.content_version) == 12


def test_scenario_failing_path_shows_best_path_and_modules_to_reread(client, learner):
    url = play(client, ["wait", "still-wait"])
    page = text_of(client.get(url))
    assert "Not passed this time" in page
    assert "Your score: 0%" in page
    assert "Wait and see at the next visit. Refer to children's social care today." in page
    assert "Read again" in page and "Why share" in page


def test_a_critical_error_is_named_with_its_reason_on_the_result(client, learner):
    url = play(client, ["wait", "still-wait"])
    page = BeautifulSoup(client.get(url).data, "html.parser")
    warning = page.select_one("#critical-errors").get_text(" ", strip=True)
    assert "critical error, so this attempt cannot pass" in warning
    assert "A baby with unexplained bruising is left without protection." in page.get_text()
    passed = play(client, BEST)
    assert (
        BeautifulSoup(client.get(passed).data, "html.parser").select_one("#critical-errors") is None
    )


def test_leaving_mid_scenario_resumes_at_the_same_step(client, learner):
    url = start(client, "bruise-scenario")
    choose(client, url, "visit", "wait")
    assert start(client, "bruise-scenario") == url  # "Start" again resumes
    assert "At the next visit there is another bruise." in text_of(client.get(url))
    overview = text_of(client.get("/quizzes/bruise-scenario"))
    assert "Continue attempt 1" in overview


def test_submitting_the_same_answer_twice_records_it_once(client, learner):
    url = start(client, "bruise-scenario")
    choose(client, url, "visit", "refer-today")
    choose(client, url, "visit", "wait")  # back button: the old step's form again
    answers = db.session.scalars(db.select(Answer)).all()
    assert [(a.item_id, a.value) for a in answers] == [("visit", "refer-today")]


def test_a_choice_that_is_not_offered_is_refused_with_a_message(client, learner):
    url = start(client, "bruise-scenario")
    response = choose(client, url, "visit", "shrug")
    assert "Select what you would do" in text_of(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0


def test_retakes_keep_every_past_attempt(client, learner):
    play(client, ["wait", "still-wait"])
    play(client, BEST)
    overview = text_of(client.get("/quizzes/bruise-scenario"))
    assert "Attempt 2" in overview and "100% — passed" in overview
    assert "Attempt 1" in overview and "0% — not passed" in overview


def test_someone_elses_attempt_is_not_found(client, app, learner):
    url = play(client, BEST)
    client.post("/auth/logout")
    make_user("learner", email="other@example.org")
    sign_in(client, "other@example.org")
    assert client.get(url).status_code == 404


def test_decision_record_is_kept_and_shown_beside_the_model(client, learner):
    url = play(client, BEST)
    record = {
        "decision": "Referred the bruise.",
        "shared_with": "Duty social worker, Northbridge children's services.",
        "when": "Same day, 10:15, by phone then secure email.",
        "reasons": "Unexplained bruise on a baby who cannot move.",
        "lawful_basis": "Public task; safeguarding condition.",
    }
    response = client.post(url + "/record", data=record, follow_redirects=True)
    page = text_of(response)
    assert "Your record beside the model record" in page
    assert "Duty social worker, Northbridge children's services." in page
    assert "Public task with the safeguarding condition." in page  # the model record
    assert db.session.scalars(db.select(DecisionRecord)).one().decision == "Referred the bruise."


def test_decision_record_errors_keep_what_was_typed(client, learner):
    url = play(client, BEST)
    response = client.post(url + "/record", data={"decision": "Referred.", "reasons": ""})
    messages = ["There is a problem", "Enter why you made this decision"]
    assert_refused_keeping_input(response, messages, "Referred.", DecisionRecord)


def test_knowledge_check_all_right_passes_and_reviews_answers(client, learner):
    url = start(client, "basics-check")
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    assert page.select_one("select#q-order-purpose") is not None  # ordering without script
    response = client.post(url, data=RIGHT_CHECK, follow_redirects=True)
    text = text_of(response)
    assert "You passed" in text and "Your score: 100%" in text


def test_knowledge_check_missing_answers_are_listed_and_kept(client, learner):
    url = start(client, "basics-check")
    data = dict(RIGHT_CHECK, **{"q-order-share": "1"})
    del data["q-purpose"]
    response = client.post(url, data=data)
    messages = ["Select an answer", "Give each step a different number, from 1 upwards"]
    assert_refused_keeping_input(response, messages, 'value="timely" checked', Answer)


def test_knowledge_check_wrong_answer_shows_the_right_one(client, learner):
    url = start(client, "basics-check")
    response = client.post(url, data=dict(RIGHT_CHECK, **{"q-consent-always": "true"}))
    text = text_of(client.get(url))
    assert response.status_code == 302
    assert "Your answer: True Right answer: False" in text


def test_course_completes_when_modules_are_read_and_final_check_passed(client, learner):
    client.post("/courses/basics/why-share/complete")
    client.post("/courses/basics/how-to-decide/complete")
    assert db.session.scalar(db.select(db.func.count()).select_from(CourseCompletion)) == 0
    client.post(start(client, "basics-check"), data=RIGHT_CHECK)
    completion = db.session.scalars(db.select(CourseCompletion)).one()
    assert completion.refresher_due == add_months(date.today(), 24)
    home = text_of(client.get("/"))
    assert "Completed on" in home and "Refresher due" in home


def test_home_offers_to_continue_with_the_next_module(client, learner):
    client.post("/courses/basics/why-share/complete")
    page = get_page(client, "main.home")
    link = page.select_one(".app-continue a")
    assert (link.get_text(strip=True), link["href"]) == (
        "How to decide",
        "/courses/basics/how-to-decide",
    )


def test_home_offers_to_continue_an_unfinished_scenario(client, learner):
    client.post("/courses/basics/why-share/complete")
    url = start(client, "bruise-scenario")
    link = get_page(client, "main.home").select_one(".app-continue a")
    assert link["href"] == url


def test_an_attempt_begun_on_an_older_quiz_version_is_not_carried_on(client, learner):
    url = start(client, "bruise-scenario")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.content_version = "older"
    db.session.commit()
    assert "This quiz has changed" in text_of(client.get(url))
    assert start(client, "bruise-scenario").endswith("/attempts/2")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 26), 24, date(2028, 11, 26)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_refresher_dates_add_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_a_finished_attempt_keeps_its_result_after_the_quiz_changes(client, learner):
    url = play(client, ["wait", "refer-now", "protect-referrer"])
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.content_version = "older"  # as if the quiz file had since been corrected
    db.session.commit()
    page = text_of(client.get(url))
    assert "Your score: 75%" in page and "You passed" in page


def test_submitting_a_knowledge_check_twice_records_it_once(client, learner):
    url = start(client, "basics-check")
    client.post(url, data=RIGHT_CHECK)
    client.post(url, data=dict(RIGHT_CHECK, **{"q-purpose": "b"}))
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert (attempt.percent, len(attempt.answers)) == (100, 4)
