"""Confirmation links: a used or expired one says so and offers a new one, and asking for a
new one never tells who has an account."""

import pytest
from bs4 import BeautifulSoup

from tests.app.test_accounts import link_in, outbox, registration
from tests.app.test_learning import text_of
from tests.conftest import make_user
from trainer.extensions import db
from trainer.models import User


def register_and_confirm(client, app) -> str:
    client.post("/auth/register", data=registration())
    link = link_in([m for m in outbox(app) if m["Subject"] == "Confirm your email address"][-1])
    client.get(link)
    client.post("/auth/logout")
    return link


def test_a_used_confirmation_link_says_so_and_offers_a_new_one(client, app):
    link = register_and_confirm(client, app)
    response = client.get(link)
    page = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 400
    assert page.h1.get_text(strip=True) == "This link has already been used"
    assert page.find("a", string="Sign in")["href"] == "/auth/login"
    form = page.find("form", action="/auth/confirm")
    assert form.find("button").get_text(strip=True) == "Send a new link"


def test_an_expired_or_mangled_confirmation_link_offers_a_new_one(client, app):
    response = client.get("/auth/confirm/not-a-real-token")
    page = BeautifulSoup(response.data, "html.parser")
    assert page.h1.get_text(strip=True) == "This link has expired"
    assert page.find("form", action="/auth/confirm") is not None


def test_asking_again_sends_a_new_link_to_an_account_waiting_for_confirmation(client, app):
    client.post("/auth/register", data=registration())
    response = client.post("/auth/confirm", data={"email": "Priya@example.org "})
    assert "If Priya@example.org has an account that is waiting" in text_of(response)
    links = [m for m in outbox(app) if m["Subject"] == "Confirm your email address"]
    assert len(links) == 2
    client.get(link_in(links[-1]))
    assert db.session.scalars(db.select(User)).one().email_confirmed_at is not None


@pytest.mark.parametrize("email", ["nobody@example.org", "confirmed@example.org"])
def test_asking_again_for_any_other_address_looks_the_same_and_sends_nothing(client, app, email):
    make_user("learner", email="confirmed@example.org")
    response = client.post("/auth/confirm", data={"email": email})
    assert f"If {email} has an account that is waiting" in text_of(response)
    assert outbox(app) == []


def test_asking_again_without_an_address_says_what_to_enter(client, app):
    page = BeautifulSoup(client.post("/auth/confirm", data={"email": ""}).data, "html.parser")
    assert page.title.string.startswith("Error: Get a new link to confirm your email address")
    assert "Enter your email address" in page.select_one(".govuk-error-summary").get_text()
