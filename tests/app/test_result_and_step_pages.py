"""The pages around a scenario or a final: the count of decisions, and the result that
completes a course."""

from bs4 import BeautifulSoup

from tests.app.test_journey import complete_basics, panel_of
from tests.app.test_learning import RIGHT_CHECK, choose, start
from tests.conftest import get_page
from trainer.extensions import db
from trainer.models import CourseCompletion


def test_the_result_that_completes_a_course_says_so_with_the_certificate(client, learner):
    url = complete_basics(client)
    page = BeautifulSoup(client.get(url).data, "html.parser")
    assert panel_of(page).startswith("Course complete")
    completion = db.session.scalars(db.select(CourseCompletion)).one()
    link = page.find("a", string="Download your certificate (PDF)")
    assert link["href"] == f"/cpd/certificates/basics.pdf?completion={completion.id}"
    assert "You have completed Sharing basics." in link.parent.get_text(" ", strip=True)
    assert client.get(link["href"]).status_code == 200


def test_a_passed_check_that_completes_nothing_says_only_you_passed(client, learner):
    client.post(start(client, "basics-check"), data=RIGHT_CHECK)
    page = get_page(client, "learn.attempt", quiz_id="basics-check", number=1)
    assert panel_of(page).startswith("You passed")
    assert page.find("a", string="Download your certificate (PDF)") is None


def test_scenario_steps_count_decisions_honestly(client, learner):
    url = start(client, "bruise-scenario")
    page = BeautifulSoup(client.get(url).data, "html.parser")
    assert page.h1.get_text(strip=True) == "Decision 1 of up to 3"
    assert page.title.string.startswith("Scenario: a bruise on a baby, decision 1 of up to 3")
    choose(client, url, "visit", "refer-today")
    page = BeautifulSoup(client.get(url).data, "html.parser")
    assert page.h1.get_text(strip=True) == "Decision 2 of 2"
