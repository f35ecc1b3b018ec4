"""Sessions fail closed: no published key signs them, and signing out or a new password ends
every copy of a session; idle and overlong sessions end by themselves."""

import time

import pytest
from flask import Flask

from tests.conftest import make_app, make_user, sign_in
from trainer.config import MIN_SECRET_BYTES
from trainer.extensions import db
from trainer.models import User

PUBLISHED_DEVELOPMENT_KEY = "dev-only-not-secret"  # what earlier versions signed sessions with


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def browser_with(app, cookie: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def is_signed_in(client) -> bool:
    return client.get("/account").status_code == 200


@pytest.fixture
def app(tmp_path):
    """No app context held across requests, as in production: each request loads its user."""
    yield from app_without_held_context(make_app(tmp_path))


def app_without_held_context(app):
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


@pytest.fixture
def learner(app):
    with app.app_context():
        user = make_user("learner", email="lena@example.org")
        return user.id


def test_a_cookie_copied_before_sign_out_no_longer_works(app, client, learner):
    sign_in(client, "lena@example.org")
    copied = browser_with(app, session_cookie(client))
    assert is_signed_in(copied)
    client.post("/auth/logout")
    assert not is_signed_in(copied)
    assert copied.get("/account/data.json").status_code == 302


def test_a_session_from_before_a_password_change_no_longer_works(app, client, learner):
    sign_in(client, "lena@example.org")
    assert is_signed_in(client)
    with app.app_context():
        db.session.get(User, learner).set_password("a brand new passphrase here")
        db.session.commit()
    assert not is_signed_in(client)
    sign_in(client, "lena@example.org", "a brand new passphrase here")
    assert is_signed_in(client)


def test_a_session_from_before_a_password_reset_no_longer_works(app, client, learner):
    from trainer.auth import services, tokens

    sign_in(client, "lena@example.org")
    with app.test_request_context():
        token = tokens.issue(db.session.get(User, learner), services.RESET, 2)
        db.session.commit()
    fresh = app.test_client()
    response = fresh.post(
        f"/auth/reset/{token}",
        data={"password": "another long passphrase", "confirm": "another long passphrase"},
    )
    assert response.status_code == 302
    assert is_signed_in(fresh)  # the person who reset it is signed in with the new session
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("key", "age"), [("seen_at", 61 * 60), ("signed_in_at", 13 * 3600)], ids=["idle", "too-long"]
)
def test_an_idle_or_overlong_session_ends_with_a_message(app, client, learner, key, age):
    sign_in(client, "lena@example.org")
    with client.session_transaction() as session:
        session[key] = int(time.time()) - age
    response = client.get("/account", follow_redirects=True)
    assert "You were signed out to keep your account safe" in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_active_session_carries_on(app, client, learner):
    sign_in(client, "lena@example.org")
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 59 * 60
    assert is_signed_in(client)
    with client.session_transaction() as session:
        assert session["seen_at"] > int(time.time()) - 5


def test_the_cookie_is_signed_again_only_when_the_idle_clock_moves_on(app, client, learner):
    sign_in(client, "lena@example.org")
    client.get("/account")
    assert "Set-Cookie" not in client.get("/account").headers  # nothing changed: no new cookie
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 120
    assert "session=" in client.get("/account").headers["Set-Cookie"]  # the idle clock moved on


def test_a_new_key_signs_new_sessions_and_the_old_one_is_honoured_only_as_a_fallback(
    app, client, learner
):
    sign_in(client, "lena@example.org")
    cookie = session_cookie(client)
    assert is_signed_in(browser_with(app, cookie))
    app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = "a-new-key", [app.secret_key]
    assert is_signed_in(browser_with(app, cookie))
    fresh = app.test_client()
    sign_in(fresh, "lena@example.org")
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert not is_signed_in(browser_with(app, cookie))
    assert is_signed_in(browser_with(app, session_cookie(fresh)))


def test_without_a_configured_key_each_instance_makes_its_own(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    first = make_app(tmp_path / "one", SECRET_KEY=None)
    again = make_app(tmp_path / "one", SECRET_KEY=None)
    other = make_app(tmp_path / "two", SECRET_KEY=None)
    assert len(first.secret_key) >= MIN_SECRET_BYTES
    assert first.secret_key == again.secret_key  # every worker of one instance agrees
    assert first.secret_key != other.secret_key
    assert PUBLISHED_DEVELOPMENT_KEY not in {first.secret_key, other.secret_key}


def test_a_cookie_forged_with_the_old_published_key_signs_nobody_in(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    for app in app_without_held_context(make_app(tmp_path, SECRET_KEY=None)):
        with app.app_context():
            admin_id = make_user("admin", email="admin@example.org").get_id()
        forger = Flask("forger")
        forger.secret_key = PUBLISHED_DEVELOPMENT_KEY
        now = int(time.time())
        forged = forger.session_interface.get_signing_serializer(forger).dumps(
            {"_user_id": admin_id, "_fresh": True, "signed_in_at": now, "seen_at": now}
        )
        assert not is_signed_in(browser_with(app, forged))


@pytest.mark.parametrize("key", ["", "short", PUBLISHED_DEVELOPMENT_KEY, "x" * 31])
def test_production_refuses_a_missing_or_short_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://training.example.org")
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="TRAINER_SECRET_KEY"):
        make_app(tmp_path, SECRET_KEY=key or None)


def test_production_accepts_a_long_random_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://training.example.org")
    app = make_app(tmp_path, SECRET_KEY="k" * MIN_SECRET_BYTES)
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 12 * 3600
