"""People change their own details, email address and password from the account page."""

import pytest
from bs4 import BeautifulSoup

from tests.app.test_accounts import link_in, outbox
from tests.conftest import PASSWORD, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.models import User

NEW_PASSWORD = "a different long passphrase"


@pytest.fixture
def lena(app, client):
    user = make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    return user


def rows(client) -> dict[str, str]:
    page = BeautifulSoup(client.get("/account").get_data(as_text=True), "html.parser")
    return {
        row.dt.get_text(strip=True): row.select_one(".govuk-summary-list__value").get_text(
            strip=True
        )
        for row in page.select(".govuk-summary-list__row")
    }


def test_the_account_page_shows_details_and_roles_with_change_links(client, lena):
    shown = rows(client)
    assert shown["Name"] == "Test Learner"
    assert shown["Email address"] == "lena@example.org"
    assert shown["Roles"].startswith("Practitioner")
    page = client.get("/account").get_data(as_text=True)
    for path in ("/account/details", "/account/email", "/account/password"):
        assert f'href="{path}"' in page


def test_details_change_and_the_form_starts_with_what_is_held(client, lena):
    org = make_organisation("Riverside Primary School", "education")
    form = BeautifulSoup(client.get("/account/details").get_data(as_text=True), "html.parser")
    assert form.select_one("#name")["value"] == "Test Learner"
    assert form.select_one("#organisation option[selected]")["value"] == "other"
    response = client.post(
        "/account/details",
        data={
            "name": "Lena Okafor",
            "organisation": str(org.id),
            "organisation_other": "",
            "sector": "education",
            "job_role": "Teaching assistant",
        },
    )
    assert response.status_code == 302
    shown = rows(client)
    assert (shown["Name"], shown["Organisation"], shown["Job role"]) == (
        "Lena Okafor",
        "Riverside Primary School",
        "Teaching assistant",
    )


def test_details_errors_say_what_to_do_and_change_nothing(client, lena):
    text = client.post(
        "/account/details",
        data={"name": "", "organisation": "other", "sector": "health", "job_role": "Nurse"},
    ).get_data(as_text=True)
    assert "Enter your full name" in text
    assert "Enter the name of your organisation" in text
    assert rows(client)["Name"] == "Test Learner"


def test_a_new_email_is_confirmed_by_a_link_to_it_and_the_old_address_is_told(app, client, lena):
    text = client.post(
        "/account/email", data={"email": "Lena.New@Example.org", "password": PASSWORD}
    ).get_data(as_text=True)
    assert "Check your new email address" in text
    assert rows(client)["Email address"] == "lena@example.org"  # not until the link is opened
    sent = {message["To"]: message for message in outbox(app)}
    assert "lena.new@example.org" in sent and "lena@example.org" in sent
    assert "lena.new@example.org" in sent["lena@example.org"].get_content()
    link = link_in(sent["lena.new@example.org"])
    assert client.get(link).status_code == 302
    assert rows(client)["Email address"] == "lena.new@example.org"
    assert client.get(link).status_code == 400  # it works once
    client.post("/auth/logout")
    sign_in(client, "lena.new@example.org")
    assert client.get("/account").status_code == 200


def test_changing_email_needs_the_current_password(app, client, lena):
    text = client.post(
        "/account/email", data={"email": "x@example.org", "password": "wrong one here"}
    ).get_data(as_text=True)
    assert "Enter your current password" in text
    assert outbox(app) == []


def test_an_address_taken_meanwhile_is_not_given_to_a_second_account(app, client, lena):
    client.post("/account/email", data={"email": "taken@example.org", "password": PASSWORD})
    make_user("learner", email="taken@example.org")
    link = link_in(next(m for m in outbox(app) if m["To"] == "taken@example.org"))
    assert client.get(link).status_code == 400
    assert rows(client)["Email address"] == "lena@example.org"


def test_a_new_password_keeps_this_browser_and_ends_the_others(app, client, lena):
    other = app.test_client()
    sign_in(other, "lena@example.org")
    response = client.post(
        "/account/password",
        data={"password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    user = db.session.get(User, lena.id)
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(client, lena):
    text = client.post(
        "/account/password",
        data={"password": "not my password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ).get_data(as_text=True)
    assert "Enter your current password" in text
    assert db.session.get(User, lena.id).check_password(PASSWORD)


@pytest.mark.parametrize(
    "path", ["/account", "/account/details", "/cpd/activities/new", "/sessions/new"]
)
def test_every_group_of_choices_is_named_by_its_legend(app, client, path):
    make_user("trainer", email="tess@example.org")
    sign_in(client, "tess@example.org")
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    fieldsets = page.select("fieldset")
    assert fieldsets, path
    assert all(f.legend and f.legend.get_text(strip=True) for f in fieldsets), path


def test_the_registration_sectors_are_named_by_their_legend(client):
    page = BeautifulSoup(client.get("/auth/register").get_data(as_text=True), "html.parser")
    assert page.select_one("fieldset legend").get_text(strip=True) == "Which sector do you work in?"
