"""A final assessment in a real browser, at desktop and phone widths: a failed attempt names
the modules to revisit without giving the answers, and the retake asks a different draw."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import served, sign_in_as
from tests.conftest import PASSWORD, make_app, make_user
from tests.unit.test_content_validation import pooled_check
from trainer.extensions import db

pytestmark = pytest.mark.browser

# Screenshots of each page, for people reviewing a change to look at.
SHOTS = str(Path(tempfile.gettempdir()) / "assessments-{}-{}.png")
OUTCOMES = ["why-share", "why-share", "how-to-decide", "how-to-decide"]


@pytest.fixture(scope="module")
def final_server(tmp_path_factory):
    """The fixture content with its final drawing one question per module, served."""
    folder = tmp_path_factory.mktemp("finals")
    app = make_app(
        folder,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'finals.db'}",
        CONTENT_DIR=str(pooled_check(folder, 1, OUTCOMES)),
    )
    with app.app_context():
        db.create_all()
        for width in (1280, 390):
            make_user("learner", email=f"final-{width}@example.org")
    with served(app) as address:
        yield address


def checked(page, name: str, width: int) -> None:
    """Screenshot the page, then check it with axe-core (every impact) and for sideways scroll."""
    from axe_playwright_python.sync_playwright import Axe

    page.screenshot(path=SHOTS.format(name, width), full_page=True)
    violations = Axe().run(page).response["violations"]
    assert [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations] == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def shown_questions(page) -> list[str]:
    groups = page.locator("form .govuk-form-group[id^='q-']")
    return [group.get_attribute("id").removeprefix("q-") for group in groups.all()]


def answer_all_wrongly(page) -> None:
    for question_id in shown_questions(page):
        if question_id == "purpose":
            page.get_by_label("Sending everything").check()
        elif question_id == "which":
            page.get_by_label("Gossip").check()
        elif question_id == "consent-always":
            page.locator("#q-consent-always-true").check()
        else:
            for option, position in (("Purpose", "3"), ("Share", "2"), ("Record", "1")):
                page.get_by_label(option, exact=True).select_option(position)
    page.get_by_role("button", name="Submit my answers").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_failed_final_names_modules_to_revisit_and_the_retake_draws_again(
    final_server, browser, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in_as(page, final_server, f"final-{width}@example.org", PASSWORD)
    page.goto(final_server + "/quizzes/basics-check")
    checked(page, "overview", width)
    page.get_by_role("button", name="Start").click()
    first = shown_questions(page)
    assert len(first) == 2
    checked(page, "questions", width)
    answer_all_wrongly(page)

    expect(page.get_by_role("heading", name="Not passed this time")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcomes to revisit")).to_be_visible()
    expect(page.get_by_role("link", name="Why share")).to_be_visible()
    expect(page.get_by_role("link", name="How to decide")).to_be_visible()
    for giveaway in ("Right answer", "Your answer", "Not right", "Name your purpose first."):
        expect(page.get_by_text(giveaway)).to_have_count(0)
    checked(page, "failed", width)

    page.get_by_role("link", name="See all your attempts or start again").click()
    page.get_by_role("button", name=re.compile("^Start again")).click()
    retake = shown_questions(page)
    assert len(retake) == 2 and set(retake).isdisjoint(first)
    context.close()
