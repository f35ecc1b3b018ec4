"""The account pages and the certificate check, wide and narrow, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as
from tests.browser.test_smooth_journey import accessible, fits_the_screen, new_learner, page
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
__all__ = ["page"]  # the two-width page fixture, shared with the journey tests

NEW_PASSWORD = "another long passphrase"


def looks_right(page) -> None:
    """Nothing is wider than the screen, and axe finds nothing wrong."""
    assert fits_the_screen(page)
    accessible(page)


def test_changing_details_and_password_from_the_account_page(live_app, live_server, page):
    email = new_learner(live_app)
    sign_in_as(page, live_server, email, PASSWORD)
    page.goto(live_server + "/account")
    expect(page.get_by_text("Practitioner. Ask your administrator")).to_be_visible()
    looks_right(page)

    page.get_by_role("link", name="Change name").click()
    expect(page.get_by_label("Full name")).to_have_value("Jo Journey")
    looks_right(page)
    page.get_by_label("Full name").fill("Jo Journey-Smith")
    page.get_by_label("If your organisation is not listed, enter its name").fill("Hilltop School")
    page.get_by_label("Job role").fill("School nurse")
    page.get_by_role("button", name="Save your details").click()
    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    expect(page.get_by_text("Jo Journey-Smith", exact=True).first).to_be_visible()

    page.get_by_role("link", name="Change email address").click()
    looks_right(page)

    page.goto(live_server + "/account/password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your current password")
    looks_right(page)
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()


def test_the_check_a_certificate_form(live_server, page):
    page.goto(live_server + "/verify")
    expect(page.get_by_label("Certificate code")).to_be_visible()
    looks_right(page)
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the certificate code")
    accessible(page)
