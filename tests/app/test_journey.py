"""The learner's journey without rough edges: completion said plainly, progress kept, pages
and links that explain themselves."""

from dataclasses import replace

from bs4 import BeautifulSoup

from tests.app.test_learning import BEST, RIGHT_CHECK, play, start
from tests.conftest import get_page
from trainer.extensions import current_catalogue
from trainer.progress import home_for


def complete_basics(client) -> str:
    """Read both modules and pass the final check; the result page's address."""
    client.post("/courses/basics/why-share/complete")
    client.post("/courses/basics/how-to-decide/complete")
    url = start(client, "basics-check")
    client.post(url, data=RIGHT_CHECK)
    return url


def panel_of(page: BeautifulSoup) -> str:
    panel = page.select_one(".govuk-panel")
    return panel.get_text(" ", strip=True) if panel else ""


def test_a_completed_course_keeps_its_read_and_passed_marks(client, learner):
    complete_basics(client)
    page = get_page(client, "learn.course", course_id="basics")
    assert panel_of(page).startswith("Course complete Sharing basics Completed on")
    marks = [li.get_text(" ", strip=True) for li in page.select(".app-module-list li")]
    assert all(mark.endswith("Read") for mark in marks) and len(marks) == 2
    assert "Passed" in page.find("h2", string="Final assessment").find_next("ul").get_text()


def test_a_refresher_begun_shows_its_own_progress_not_the_completed_cycle(client, learner):
    complete_basics(client)
    client.post("/courses/basics/how-to-decide/complete")  # the refresher's first read
    page = get_page(client, "learn.course", course_id="basics")
    read = [li.a.get_text() for li in page.select(".app-module-list li") if "Read" in li.text]
    assert read == ["How to decide"]
    assert panel_of(page) == ""
    assert "Completed on" in page.get_text(" ", strip=True)


def test_home_announces_a_completion_until_the_learner_moves_on(client, learner):
    complete_basics(client)
    home = get_page(client, "main.home")
    assert panel_of(home).startswith("Course complete Sharing basics")
    assert home.find("a", string="Download your certificate (PDF)") is not None
    start(client, "bruise-scenario")
    assert panel_of(get_page(client, "main.home")) == ""


def test_home_lists_the_certificate_of_each_completed_course(client, learner):
    complete_basics(client)
    card = get_page(client, "main.home").select_one(".app-card")
    link = card.select_one("a[href^='/cpd/certificates/']")
    assert link["href"] == "/cpd/certificates/basics.pdf"
    assert link.get_text(" ", strip=True) == "Download your certificate for Sharing basics (PDF)"


def test_continue_moves_on_to_the_next_course_once_one_is_complete(app, client, learner):
    complete_basics(client)
    catalogue = current_catalogue()
    basics = catalogue.courses["basics"]
    second = replace(basics, id="second", title="Second course", completion_quizzes=())
    two_courses = replace(catalogue, courses={"basics": basics, "second": second})
    continuation = home_for(two_courses, learner.id).continuation
    assert (continuation.label, continuation.values) == ("Second course", {"course_id": "second"})
    assert continuation.heading == "Start your next course"
    assert home_for(catalogue, learner.id).continuation is None  # nothing left to do


def test_home_offers_no_finished_course_to_continue(client, learner):
    complete_basics(client)
    page = get_page(client, "main.home")
    assert all("/courses/basics/" not in a["href"] for a in page.select(".app-continue a"))


def test_the_case_library_marks_the_scenarios_a_learner_has_completed(client, learner):
    def scenario_line(page):
        return page.find("a", string="Scenario: a bruise on a baby").parent.get_text(
            " ", strip=True
        )

    assert scenario_line(get_page(client, "learn.cases")) == "Scenario: a bruise on a baby"
    start(client, "bruise-scenario")  # begun is not completed
    assert scenario_line(get_page(client, "learn.cases")) == "Scenario: a bruise on a baby"
    play(client, BEST)
    assert scenario_line(get_page(client, "learn.cases")).endswith("Completed")


def test_the_case_library_shows_no_marks_to_someone_signed_out(client, app):
    page = get_page(client, "learn.cases")
    assert "Completed" not in page.get_text()


def test_home_invites_people_who_are_not_signed_in_to_create_an_account(client, app):
    page = get_page(client, "main.home")
    button = page.find("a", class_="govuk-button--start")
    assert (button.get_text(strip=True), button["href"]) == ("Create an account", "/auth/register")
    assert "real" not in page.get_text().lower().split()


def test_home_does_not_invite_a_signed_in_learner_to_create_an_account(client, learner):
    assert get_page(client, "main.home").find("a", class_="govuk-button--start") is None


def test_glossary_terms_link_to_the_glossary_for_readers_without_javascript(client, app):
    module = get_page(client, "learn.module", course_id="basics", module_id="why-share")
    term = module.select_one("a.app-link--term")
    assert term["href"] == "/glossary#term-dsl"
    assert get_page(client, "learn.glossary").find(id="term-dsl") is not None


def test_tables_in_modules_scroll_inside_a_named_focusable_region(client, app):
    page = get_page(client, "learn.module", course_id="basics", module_id="why-share")
    region = page.select_one(".app-prose .app-table-scroll")
    assert (region["role"], region["tabindex"], region["aria-label"]) == (
        "region",
        "0",
        "Table: Why it matters",
    )
    assert region.find("table") is not None
