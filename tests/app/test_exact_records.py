"""Learning facts are stored once, however many identical requests arrive at the same moment.

Each race sends 20 requests through separate test clients signed in as the same person,
released together by a barrier, as a double-clicking learner or a retrying proxy would.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from bs4 import BeautifulSoup

from tests.app.test_cpd import add_activity
from tests.app.test_learning import RIGHT_CHECK, start
from trainer.cpd.record import entries_for
from trainer.extensions import current_catalogue, db
from trainer.models import (
    Answer,
    Attempt,
    Certificate,
    CourseCompletion,
    ExternalActivity,
    ModuleRead,
)

RACERS = 20


def racers(client, number: int) -> list:
    """Separate test clients, each signed in as the client is."""
    name = client.application.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    clients = [client.application.test_client() for _ in range(number)]
    for racer in clients:
        racer.set_cookie(name, cookie.value)
    return clients


def at_once(requests: list) -> list:
    """Send the requests from as many threads, released together; their responses."""
    barrier = threading.Barrier(len(requests), timeout=30)
    db.session.commit()  # hold no transaction open while the racers write

    def send(request):
        barrier.wait()
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def race(client, url: str, data: dict | None = None) -> list:
    """POST the same form RACERS times at once."""
    return at_once([partial(r.post, url, data=data or {}) for r in racers(client, RACERS)])


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def cpd_minutes(user_id: int) -> int:
    return sum(entry.minutes for entry in entries_for(current_catalogue(), user_id))


def test_twenty_presses_of_mark_as_read_at_once_record_one_read(client, learner):
    responses = race(client, "/courses/basics/why-share/complete")
    assert {r.status_code for r in responses} == {302}
    assert count(ModuleRead) == 1


def test_twenty_presses_of_one_scenario_answer_at_once_store_it_once(client, learner):
    url = start(client, "bruise-scenario")
    responses = race(client, url, {"step": "visit", "choice": "wait"})
    assert {(r.status_code, r.headers["Location"]) for r in responses} == {(302, url)}
    answers = db.session.execute(db.select(Answer.position, Answer.item_id, Answer.value)).all()
    assert answers == [(0, "visit", "wait")]


def test_twenty_submissions_of_one_knowledge_check_at_once_store_its_answers_once(client, learner):
    url = start(client, "basics-check")
    responses = race(client, url, RIGHT_CHECK)
    assert {r.status_code for r in responses} <= {200, 302}  # stored; or its result, shown
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert (attempt.percent, sorted(a.position for a in attempt.answers)) == (100, [0, 1, 2, 3])


def earned_by_the_course(user_id: int) -> int:
    """What the record credits once: the module whose check was passed (15) and the final (0)."""
    completion = db.session.scalars(db.select(CourseCompletion)).one()
    assert completion.cpd_minutes == 15  # the certificate states the same time
    return completion.cpd_minutes


def test_racing_the_last_module_completes_the_course_once(client, learner):
    client.post(start(client, "why-share-check"), data={"q-protects": "true"})
    client.post(start(client, "basics-check"), data=RIGHT_CHECK)
    client.post("/courses/basics/why-share/complete")
    responses = race(client, "/courses/basics/how-to-decide/complete")
    assert {r.status_code for r in responses} == {302}
    assert count(ModuleRead) == 2
    assert count(CourseCompletion) == 1
    assert count(Certificate) == 1
    assert cpd_minutes(learner.id) == earned_by_the_course(learner.id)


def test_a_last_read_and_a_quiz_pass_at_once_complete_the_course_once(client, learner):
    client.post("/courses/basics/why-share/complete")
    url = start(client, "basics-check")
    reader, quiz_taker = racers(client, 2)
    at_once(
        [
            partial(reader.post, "/courses/basics/how-to-decide/complete"),
            partial(quiz_taker.post, url, data=RIGHT_CHECK),
        ]
    )
    assert count(CourseCompletion) == 1
    assert count(Certificate) == 1


def test_pressing_the_last_module_again_just_after_completing_starts_no_refresher(client, learner):
    client.post(start(client, "why-share-check"), data={"q-protects": "true"})
    client.post(start(client, "basics-check"), data=RIGHT_CHECK)
    client.post("/courses/basics/why-share/complete")
    client.post("/courses/basics/how-to-decide/complete")
    response = client.post("/courses/basics/how-to-decide/complete")
    assert response.status_code == 302
    assert count(ModuleRead) == 2
    assert count(CourseCompletion) == 1
    assert cpd_minutes(learner.id) == earned_by_the_course(learner.id)


def activity_form(client) -> dict:
    """The values a learner would send, with the one-time token of the form as rendered."""
    page = BeautifulSoup(client.get("/cpd/activities/new").get_data(as_text=True), "html.parser")
    token = page.select_one("input[name=submit_token]")
    assert token is not None, "the form carries a one-time submit token"
    return {
        "submit_token": token["value"],
        "title": "Multi-agency MARAC workshop",
        "activity_type": "facilitated-session",
        "done_on": ["3", "11", "2026"],
        "hours": "2",
        "participatory_hours": "1.5",
    }


def test_twenty_posts_of_one_activity_form_at_once_add_one_activity(client, learner):
    responses = race(client, "/cpd/activities/new", activity_form(client))
    assert {(r.status_code, r.headers["Location"]) for r in responses} == {(302, "/cpd/")}
    assert count(ExternalActivity) == 1


def test_posting_an_activity_form_again_after_success_adds_nothing(client, learner):
    form = activity_form(client)
    first = client.post("/cpd/activities/new", data=form)
    again = client.post("/cpd/activities/new", data=form, follow_redirects=True)
    assert first.status_code == 302
    assert again.status_code == 200 and again.request.path == "/cpd/"
    assert "There is a problem" not in again.get_data(as_text=True)
    assert count(ExternalActivity) == 1


def test_each_form_rendered_adds_its_own_activity(client, learner):
    client.post("/cpd/activities/new", data=activity_form(client))
    client.post("/cpd/activities/new", data=activity_form(client))
    add_activity(client)  # a form sent without its token still adds what it says
    assert count(ExternalActivity) == 3
