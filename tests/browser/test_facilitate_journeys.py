"""A live multi-agency session in real browsers: a trainer and three phones, end to end."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_accessibility_problems, sign_in_as
from tests.conftest import PASSWORD
from trainer.extensions import db
from trainer.models import TrainingSession

pytestmark = pytest.mark.browser

# Screenshots of each page, for people reviewing a change to look at.
SHOTS = str(Path(tempfile.gettempdir()) / "facilitate-{}.png")


def accessible(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name), full_page=True)
    assert serious_accessibility_problems(page) == [], page.url


def create_session(page, base: str) -> None:
    page.goto(base + "/sessions/new")
    day = datetime.now(UTC).date() + timedelta(days=14)
    page.get_by_label("Title").fill("Bruising and referrals: a multi-agency workshop")
    page.get_by_label("Course").select_option(label="Sharing basics")
    page.get_by_label("A bruise on a baby").check()
    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Venue").fill("Civic Centre, Room 2")
    page.get_by_label("Places").fill("20")
    accessible(page, "new-session")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("The session has been created.")).to_be_visible()


def starts_now(live_app, title: str) -> None:
    """The day of the session arrives."""
    with live_app.app_context():
        session = db.session.scalars(db.select(TrainingSession).filter_by(title=title)).one()
        session.starts_at = datetime.now(UTC) - timedelta(minutes=15)
        session.ends_at = session.starts_at + timedelta(hours=2)
        db.session.commit()


def phone(browser, base: str, code: str, name: str | None, agency: str, email: str | None = None):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    if email:
        sign_in_as(page, base, email, PASSWORD)
        page.goto(base + "/cpd/")
        expect(page.get_by_role("heading", name=re.compile("^Session attended"))).to_have_count(0)
    page.goto(f"{base}/join?code={code}")
    if name:
        page.get_by_label("Your name as others will see it").fill(name)
    page.get_by_label(agency, exact=True).check()
    page.get_by_role("button", name="Join the session").click()
    expect(page.get_by_text("The trainer will start shortly")).to_be_visible()
    return page


def press(presenter, name: str) -> None:
    presenter.get_by_role("button", name=name, exact=True).click()


def vote(page, choice: str) -> None:
    page.get_by_label(choice).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer has been sent.")).to_be_visible()


def test_trainer_and_three_agencies_run_a_two_stage_case(live_server, live_app, page, browser):
    title = "Bruising and referrals: a multi-agency workshop"
    sign_in_as(page, live_server, "trainer@example.org", PASSWORD)
    create_session(page, live_server)
    accessible(page, "session")
    starts_now(live_app, title)
    page.reload()
    page.get_by_role("button", name="Open the session and show the join code").click()
    code = page.locator(".app-join-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    accessible(page, "presenter-join")

    phones = [
        phone(browser, live_server, code, None, "Health", email="learner@example.org"),
        phone(browser, live_server, code, "Priya", "Police"),
        phone(browser, live_server, code, "Ed", "Schools and colleges"),
    ]
    accessible(phones[1], "participant-waiting")

    for p in phones:  # marks the open page: a reload would lose it
        p.evaluate("window.openedOnce = true")
    press(page, "Start: A bruise on a baby")
    expect(page.get_by_role("heading", name="Stage 1: The visit")).to_be_visible()
    expect(page.get_by_text("The mother asks who referred her.")).to_have_count(0)
    for p in phones:  # each phone follows the presenter by polling, without a reload
        expect(p.get_by_role("heading", name="Stage 1: The visit")).to_be_visible()
        expect(p.get_by_text("Voting has not opened yet.")).to_be_visible()
        expect(p.locator("#live-status")).to_have_text(
            "Stage 1: The visit: Voting has not opened yet"
        )

    press(page, "Open voting")
    for p, choice in zip(
        phones,
        (
            "Refer to children's social care today.",
            "Wait and see at the next visit.",
            "Refer to children's social care today.",
        ),
        strict=True,
    ):
        expect(p.get_by_role("button", name="Send my answer")).to_be_visible()
        vote(p, choice)
    accessible(phones[0], "participant-voted")
    expect(page.locator("#live-count")).to_have_text("3")
    accessible(page, "presenter-voting")

    press(page, "Close voting")
    for p in phones:  # until the results are shown, nobody's votes but their own
        expect(p.get_by_text("Voting has closed.")).to_be_visible()
        expect(p.locator("main table")).to_have_count(0)
    press(page, "Show the results")
    table = page.locator("main table")
    split = ["Choice", "Votes", "Share", "Schools and colleges", "Health", "Police"]
    expect(table.locator("thead th")).to_have_text(split)
    best = table.locator("tr", has_text="Refer to children's social care today")
    expect(best.locator("td")).to_have_text(["2", "67%", "1", "1", "0"])
    accessible(page, "presenter-results")
    for p in phones:  # the phones show the same split, still without a reload
        phone_table = p.locator("main table")
        expect(phone_table.locator("thead th")).to_have_text(split)
        phone_best = phone_table.locator("tr", has_text="Refer to children's social care today")
        expect(phone_best.locator("td")).to_have_text(["2", "67%", "1", "1", "0"])
        expect(phone_best.locator("th")).to_contain_text("(best choice)")
        assert p.evaluate("window.openedOnce") is True
    accessible(phones[1], "participant-results")
    press(page, "Hide the split by agency")
    expect(phones[2].locator("main table thead th")).to_have_text(["Choice", "Votes", "Share"])
    press(page, "Show the feedback")
    expect(
        page.get_by_text("A bruise on a non-mobile baby needs a same-day referral.")
    ).to_be_visible()

    press(page, "Next stage")
    expect(page.get_by_role("heading", name="Stage 2: The call")).to_be_visible()
    expect(page.get_by_text("A health visitor sees a bruise.")).to_have_count(0)
    press(page, "Open voting")
    for p in phones:
        expect(p.get_by_role("heading", name="Stage 2: The call")).to_be_visible()
        vote(p, "Say you cannot discuss who raised a concern.")
    expect(page.locator("#live-count")).to_have_text("3")
    press(page, "Close voting")
    press(page, "Show the results")
    expect(
        page.locator("main table tr", has_text="Say you cannot discuss").locator("td").first
    ).to_have_text("3")

    page.goto(live_server + "/sessions/")
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("link", name="Register").click()
    expect(page.locator("tr", has_text="Lena Learner")).to_contain_text("Present")
    expect(page.locator("tr", has_text="Priya")).to_contain_text("Guest")
    accessible(page, "register")
    page.go_back()
    page.get_by_role("link", name=re.compile("^Summary")).click()
    expect(page.get_by_role("heading", name="Session summary")).to_be_visible()
    accessible(page, "summary")

    phones[0].goto(live_server + "/cpd/")
    expect(phones[0].get_by_role("heading", name=f"Session attended: {title}")).to_be_visible()
    accessible(phones[0], "cpd-record")
    for p in phones:
        p.context.close()
