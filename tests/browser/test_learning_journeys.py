"""Learner journeys in a real browser, each page checked with axe-core."""

import re
import uuid
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    fill_in,
    pass_the_basics_check,
    serious_accessibility_problems,
    sign_in_as,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

BEST_PATH = [
    "Refer to children's social care today.",
    "Say you cannot discuss who raised a concern.",
]


def newest_link(outbox, subject: str, to: str) -> str:
    messages = [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]
    message = [m for m in messages if m["Subject"] == subject and m["To"] == to][-1]
    return re.search(r"http://\S+", message.get_content()).group(0)


def accessible(page) -> None:
    assert serious_accessibility_problems(page) == [], page.url


def choose(page, text: str) -> None:
    page.get_by_label(text).check()
    page.get_by_role("button", name="Continue").click()


def start_scenario(page, base: str) -> None:
    page.goto(base + "/cases/bruise-on-baby")
    page.get_by_role("link", name="Scenario: a bruise on a baby").click()
    accessible(page)
    page.get_by_role("button", name=re.compile("^(Start|Start again|Continue attempt)")).click()


def register(page, base: str, email: str, name: str) -> None:
    """Send the registration form as a health worker from an organisation not listed."""
    page.goto(base + "/auth/register")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Organisation", exact=True).select_option("other")
    page.get_by_label("If your organisation is not listed, enter its name").fill("Eastside GP")
    page.get_by_label("Health").check()
    page.get_by_label("Job role").fill("Practice nurse")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_register_and_confirm_through_the_emailed_link(live_server, page, outbox):
    email = f"reg-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(live_server + "/auth/register")
    accessible(page)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_be_visible()
    accessible(page)  # the page with errors too
    page.get_by_label("Full name").fill("Rhys Morgan")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Organisation", exact=True).select_option("other")
    page.get_by_label("If your organisation is not listed, enter its name").fill(
        "Valley Youth Club"
    )
    page.get_by_label("Voluntary and community sector").check()
    page.get_by_label("Job role").fill("Youth worker")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    accessible(page)
    page.goto(newest_link(outbox, "Confirm your email address", email))
    expect(page.get_by_text("Signed in as Rhys Morgan")).to_be_visible()


def test_read_a_module_and_see_it_marked(live_server, page):
    sign_in_as(page, live_server, "trainer@example.org", PASSWORD)
    page.goto(live_server + "/courses/basics/why-share")
    page.get_by_role("button", name="Mark as read and continue").click()
    expect(page.get_by_role("heading", level=1, name="How to decide")).to_be_visible()
    page.goto(live_server + "/courses/basics")
    read_tag = page.locator(".app-module-list li", has_text="Why share").get_by_text("Read")
    expect(read_tag).to_be_visible()
    accessible(page)


def test_complete_a_scenario_on_the_best_path_and_compare_records(live_server, page):
    sign_in_as(page, live_server, "learner@example.org", PASSWORD)
    start_scenario(page, live_server)
    accessible(page)
    choose(page, BEST_PATH[0])
    expect(
        page.get_by_text("A bruise on a non-mobile baby needs a same-day referral.")
    ).to_be_visible()
    accessible(page)  # the step with feedback
    choose(page, BEST_PATH[1])
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    accessible(page)
    fill_in(
        page,
        {
            "What did you decide?": "Referred the same day.",
            "Who did you share with, or decide not to share with?": "Duty team",
            "When?": "10:15 by phone",
            "Why?": "Unexplained bruise, non-mobile baby",
            "On what lawful basis?": "Public task",
        },
    )
    page.get_by_role("button", name="Save my record").click()
    expect(page.get_by_text("Your record beside the model record")).to_be_visible()
    accessible(page)


def test_a_failing_path_shows_what_to_read_again(live_server, page):
    sign_in_as(page, live_server, "lead@example.org", PASSWORD)
    start_scenario(page, live_server)
    choose(page, "Wait and see at the next visit.")
    choose(page, "Keep waiting.")
    expect(page.get_by_role("heading", name="Not passed this time")).to_be_visible()
    expect(page.get_by_role("heading", name="Read again")).to_be_visible()
    accessible(page)


def test_leave_a_scenario_and_resume_at_the_same_step(live_server, page):
    sign_in_as(page, live_server, "admin@example.org", PASSWORD)
    start_scenario(page, live_server)
    choose(page, "Wait and see at the next visit.")
    page.goto(live_server + "/")
    page.locator(".app-continue").get_by_role("link").click()
    expect(page.get_by_text("At the next visit there is another bruise.")).to_be_visible()


def test_knowledge_check_with_ordering_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)  # so axe cannot run here
    page = context.new_page()
    sign_in_as(page, live_server, "learner@example.org", PASSWORD)
    pass_the_basics_check(page, live_server)
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    context.close()


def test_knowledge_check_page_is_accessible(live_server, page):
    sign_in_as(page, live_server, "trainer@example.org", PASSWORD)
    page.goto(live_server + "/quizzes/basics-check")
    accessible(page)
    page.get_by_role("button", name=re.compile("^(Start|Start again|Continue attempt)")).click()
    accessible(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert")).to_be_visible()
    accessible(page)


def test_reset_a_forgotten_password_through_the_outbox(live_server, page, outbox):
    email = f"reset-{uuid.uuid4().hex[:8]}@example.org"
    register(page, live_server, email, "Sam Patel")

    page.goto(live_server + "/auth/reset")
    accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a reset link").click()
    page.goto(newest_link(outbox, "Reset your password", email))
    accessible(page)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Confirm new password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, live_server, email, "a brand new passphrase")
    expect(page.get_by_text("Signed in as Sam Patel")).to_be_visible()


def test_glossary_terms_open_their_definition_in_place(live_server, page):
    page.goto(live_server + "/courses/basics/why-share")
    term = page.locator(".app-prose").get_by_role("link", name="Designated safeguarding lead")
    term.click()
    expect(page.get_by_text("The person in a setting who leads on safeguarding.")).to_be_visible()
    assert term.get_attribute("aria-expanded") == "true"
    assert page.url.endswith("/courses/basics/why-share")
    accessible(page)
