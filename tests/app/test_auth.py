"""Signing in and out: clear errors, no account enumeration, rate-limited, audited."""

import pytest

from tests.conftest import PASSWORD, fresh_database, get_page, make_app, make_user, sign_in
from trainer.extensions import db
from trainer.models import AuditEvent


def test_learner_signs_in_and_sees_their_name(client, app):
    make_user("learner")
    response = sign_in(client, "learner@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = get_page(client, "main.home")
    assert "Signed in as Test Learner" in page.select_one(".app-account-bar").get_text()


def test_email_is_matched_without_regard_to_case_or_spaces(client, app):
    make_user("learner")
    assert sign_in(client, "  Learner@Example.ORG ").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [("learner@example.org", "wrong password"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_email_or_password_gives_the_same_message(client, app, email, password):
    make_user("learner")
    response = sign_in(client, email, password)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert "Enter a correct email address and password" in text
    assert "Error: Sign in" in text
    assert 'value="' + email + '"' in text  # what was typed is kept


def test_empty_form_says_what_to_enter(client, app):
    text = client.post("/auth/login", data={}).get_data(as_text=True)
    assert "Enter your email address" in text
    assert "Enter your password" in text


def test_sign_in_attempts_are_audited_without_passwords(client, app):
    user = make_user("learner")
    sign_in(client, "learner@example.org", "wrong password")
    sign_in(client, "learner@example.org")
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("sign-in failed", user.id),
        ("signed in", user.id),
    ]
    assert all("password" not in str(e.details) for e in events)


def test_sign_in_redirects_only_to_same_site_paths(client, app):
    make_user("learner")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "learner@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_sign_out_needs_a_post_and_ends_the_session(client, app):
    make_user("learner")
    sign_in(client, "learner@example.org")
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout", follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)
    assert "Signed in as" not in response.get_data(as_text=True)


def test_sign_in_is_rate_limited(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with fresh_database(app):
        client = app.test_client()
        statuses = [sign_in(client, "nobody@example.org", "x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_forms_are_protected_against_cross_site_requests(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with fresh_database(app):
        make_user("learner")
        response = app.test_client().post(
            "/auth/login", data={"email": "learner@example.org", "password": PASSWORD}
        )
    assert response.status_code == 400
    assert "Your form has expired" in response.get_data(as_text=True)
