"""A learner's first visit in a real browser, with accessibility checked on each page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_accessibility_problems
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_learner_signs_in_and_opens_a_course_and_module(live_server, page):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Email address").fill("learner@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Signed in as Lena Learner")).to_be_visible()
    page.get_by_role("link", name="Sharing basics").click()
    expect(page.get_by_role("heading", level=1, name="Sharing basics")).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Why share").click()
    expect(page.get_by_role("heading", level=1, name="Why share")).to_be_visible()
    assert serious_accessibility_problems(page) == []


def test_wrong_password_shows_an_error_summary_that_links_to_the_field(live_server, page):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill("learner@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
    assert page.title().startswith("Error: Sign in")
    assert serious_accessibility_problems(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/cases/",
        "/cases/bruise-on-baby",
        "/glossary",
        "/accessibility",
        "/privacy",
        "/no-such-page",
    ],
)
def test_other_pages_have_no_serious_accessibility_problems(live_server, page, path):
    page.goto(live_server + path)
    assert serious_accessibility_problems(page) == []


def test_pages_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill("learner@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Lena Learner")).to_be_visible()
    context.close()
