"""CPD in a real browser: the record pages, a certificate download and its public check."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import (
    pass_the_basics_check,
    serious_accessibility_problems,
    sign_in_as,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def accessible(page) -> None:
    assert serious_accessibility_problems(page) == [], page.url


def complete_basics(page, base: str) -> None:
    for module in ("why-share", "how-to-decide"):
        page.goto(f"{base}/courses/basics/{module}")
        button = page.get_by_role("button", name=re.compile("^Mark as read"))
        if button.count():
            button.click()
    pass_the_basics_check(page, base)
    # "Course complete" when this pass completes the course, "You passed" on a retake.
    expect(
        page.get_by_role("heading", name=re.compile("^(Course complete|You passed)$"))
    ).to_be_visible()


def test_download_a_certificate_and_check_it_without_an_account(live_server, page, browser):
    sign_in_as(page, live_server, "lead@example.org", PASSWORD)
    complete_basics(page, live_server)
    page.goto(live_server + "/cpd/")
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificate for Completed: Sharing basics").click()
    reader = PdfReader(download.value.path())
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Leila Lead" in text and "Sharing basics" in text
    grouped = re.search(r"Verification code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", text).group(1)
    verify_url = re.search(r"(http://\S+/verify/\S+)", text).group(1)
    assert verify_url.endswith(grouped.replace("-", ""))

    checker = browser.new_context().new_page()  # someone typing the code from the paper
    checker.goto(live_server + "/verify")
    checker.get_by_label("Certificate code").fill(grouped.lower())
    checker.get_by_role("button", name="Check certificate").click()
    expect(checker.get_by_text("Valid", exact=True)).to_be_visible()
    accessible(checker)
    checker.context.close()

    stranger = browser.new_context().new_page()  # no account, no cookies
    stranger.goto(verify_url)
    expect(stranger.get_by_text("Valid", exact=True)).to_be_visible()
    expect(stranger.get_by_text("Leila Lead")).to_be_visible()
    accessible(stranger)
    stranger.context.close()


def test_cpd_pages_are_accessible(live_server, page):
    sign_in_as(page, live_server, "trainer@example.org", PASSWORD)
    page.goto(live_server + "/account/delete")
    accessible(page)
    page.goto(live_server + "/account")
    accessible(page)
    page.get_by_label("Social worker (England)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="My CPD record")).to_be_visible()
    page.get_by_role("link", name="Add CPD done elsewhere").click()
    accessible(page)
    page.get_by_role("button", name="Add to my record").click()
    expect(page.get_by_role("alert")).to_be_visible()
    accessible(page)
    page.get_by_label("Title").fill("Team case discussion")
    page.get_by_label("Peer discussion").check()
    page.locator("#done_on-day").fill("2")
    page.locator("#done_on-month").fill("11")
    page.locator("#done_on-year").fill("2026")
    page.get_by_label("Time spent, in hours").fill("0.75")
    page.get_by_label("Of which participatory, in hours").fill("0.75")
    page.get_by_role("button", name="Add to my record").click()
    page.get_by_role("link", name="Add a reflection on Team case discussion").click()
    accessible(page)
    page.get_by_label("What did you discuss with a peer?").fill("Thresholds for referral.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Records that include peer reflection")).to_be_visible()
    accessible(page)


def test_an_unknown_certificate_code_says_so(live_server, page):
    page.goto(live_server + "/verify/no-such-code")
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()
    accessible(page)
