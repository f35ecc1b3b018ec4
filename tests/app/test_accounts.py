"""Registering, confirming an email address and resetting a password through the outbox."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.models import AccountToken, User

NEW_PASSWORD = "a different long passphrase"


def outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [
        message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def link_in(message) -> str:
    return re.search(r"http://localhost(/\S+)", message.get_content()).group(1)


def registration(**changes) -> dict:
    data = {
        "name": "Priya Shah",
        "email": "priya@example.org",
        "organisation": "other",
        "organisation_other": "Hilltop Family Hub",
        "sector": "early-years",
        "job_role": "Family support worker",
        "password": PASSWORD,
    }
    data.update(changes)
    return data


def test_register_confirm_by_email_and_sign_in(client, app):
    response = client.post("/auth/register", data=registration())
    assert "Check your email" in response.get_data(as_text=True)
    user = db.session.scalars(db.select(User)).one()
    assert (user.organisation_other, user.sector, user.role_names) == (
        "Hilltop Family Hub",
        "early-years",
        {"learner"},
    )
    assert sign_in(client, "priya@example.org").status_code == 200  # not confirmed yet

    confirm = [m for m in outbox(app) if m["Subject"] == "Confirm your email address"][-1]
    assert confirm["To"] == "priya@example.org"
    response = client.get(link_in(confirm), follow_redirects=True)
    assert "Signed in as Priya Shah" in response.get_data(as_text=True)


def test_registering_with_a_listed_organisation_links_the_account(client, app):
    org = make_organisation("Riverside Primary School", "education")
    client.post(
        "/auth/register", data=registration(organisation=str(org.id), organisation_other="")
    )
    user = db.session.scalars(db.select(User)).one()
    assert (user.organisation_id, user.organisation_other) == (org.id, "")


def test_registration_for_an_existing_email_looks_the_same_and_tells_the_owner(client, app):
    make_user("learner", email="priya@example.org")
    response = client.post("/auth/register", data=registration())
    assert "Check your email" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert [m["Subject"] for m in outbox(app)] == ["Your Information Sharing Training account"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your full name"),
        ({"email": "priya"}, "Enter an email address in the correct format"),
        ({"organisation_other": ""}, "Enter the name of your organisation"),
        ({"organisation": ""}, "Select your organisation"),
        ({"sector": ""}, "Select the sector you work in"),
        ({"sector": "astronaut"}, "Select the sector you work in"),
        ({"organisation": "9999"}, "Select your organisation"),
        ({"job_role": ""}, "Enter your job role"),
        ({"password": "short"}, "Password must be between 12 and 128 characters"),
    ],
)
def test_registration_errors_say_what_to_do_and_keep_what_was_typed(client, app, changes, message):
    text = client.post("/auth/register", data=registration(**changes)).get_data(as_text=True)
    assert "There is a problem" in text
    assert message in text
    assert 'value="Family support worker"' in text or "job_role" in changes
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_password_reset_link_changes_the_password_once(client, app):
    make_user("learner", email="lena@example.org")
    response = client.post("/auth/reset", data={"email": "lena@example.org"})
    assert "If lena@example.org has an account" in response.get_data(as_text=True)
    link = link_in(outbox(app)[-1])
    response = client.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=True
    )
    assert "Your password has been changed" in response.get_data(as_text=True)
    client.post("/auth/logout")
    assert sign_in(client, "lena@example.org", NEW_PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert sign_in(client, "lena@example.org", PASSWORD).status_code == 200
    second_use = client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert second_use.status_code == 400
    assert "This link has expired" in second_use.get_data(as_text=True)


def test_password_reset_link_expires(client, app):
    make_user("learner", email="lena@example.org")
    client.post("/auth/reset", data={"email": "lena@example.org"})
    for token in db.session.scalars(db.select(AccountToken)):
        token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link_in(outbox(app)[-1])).status_code == 400


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, app):
    response = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert "If nobody@example.org has an account" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_new_password_must_be_typed_twice_the_same(client, app):
    make_user("learner", email="lena@example.org")
    client.post("/auth/reset", data={"email": "lena@example.org"})
    text = client.post(
        link_in(outbox(app)[-1]), data={"password": NEW_PASSWORD, "confirm": "something else"}
    ).get_data(as_text=True)
    assert "Enter the same new password in both boxes" in text


def test_reset_links_use_the_configured_base_url_not_the_request_host(client, app):
    app.config["BASE_URL"] = "https://training.example.org"
    make_user("learner", email="lena@example.org")
    client.post("/auth/reset", data={"email": "lena@example.org"}, headers={"Host": "evil.example"})
    assert "https://training.example.org/auth/reset/" in outbox(app)[-1].get_content()


def test_registering_an_existing_address_does_the_same_work_as_a_new_one(client, monkeypatch):
    """Same hashing and one email on both paths, so timing does not reveal an account."""
    import trainer.auth.services
    import trainer.models.people

    hashes, emails = [], []
    real_hash = trainer.models.people.generate_password_hash
    for module in (trainer.auth.services, trainer.models.people):
        monkeypatch.setattr(
            module, "generate_password_hash", lambda p: hashes.append(p) or real_hash(p)
        )
    monkeypatch.setattr(trainer.auth.services, "send_email", lambda *a: emails.append(a[0]))
    form = registration()
    first = client.post("/auth/register", data=form).get_data(as_text=True)
    work_for_new = (len(hashes), len(emails))
    second = client.post("/auth/register", data=form).get_data(as_text=True)
    assert work_for_new == (1, 1)
    assert (len(hashes), len(emails)) == (2, 2)
    assert emails == ["priya@example.org", "priya@example.org"]
    nonce = re.compile(r'nonce="[^"]+"')
    assert nonce.sub("", first) == nonce.sub("", second)  # the same page either way
