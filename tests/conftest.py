"""Shared fixtures: a fresh app and database per test, and helpers that act as a user would."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for

from trainer import create_app
from trainer.auth.services import create_user
from trainer.extensions import db
from trainer.models import Organisation

FIXTURES = Path(__file__).parent / "fixtures"
VALID_CONTENT = FIXTURES / "content" / "valid"
PASSWORD = "correct horse battery staple"


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when TRAINER_TEST_DATABASE_URL names one (make test-postgres), else SQLite."""
    return os.environ.get("TRAINER_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


def make_app(tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "CONTENT_DIR": str(VALID_CONTENT),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    # An override of None removes the test default, so the environment decides.
    return create_app({key: value for key, value in config.items() if value is not None})


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TRAINER_TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set TRAINER_TEST_DATABASE_URL (make test-postgres does)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@contextmanager
def fresh_database(app):
    """An app context over empty tables, emptied again afterwards.

    The session is closed before dropping: on PostgreSQL an open read transaction would
    otherwise hold a lock that DROP TABLE waits for.
    """
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.drop_all()


@pytest.fixture
def app(tmp_path):
    with fresh_database(make_app(tmp_path)) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_organisation(name: str = "Northbridge Council", sector: str = "childrens-social-care"):
    org = Organisation(name=name, sector=sector)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(role: str = "learner", email: str | None = None, org=None, sector: str = "health"):
    user = create_user(
        email or f"{role}@example.org", f"Test {role.title()}", PASSWORD, [role], org, sector
    )
    db.session.commit()
    return user


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def get_page(client, endpoint: str, status: int = 200, **values) -> BeautifulSoup:
    """Request a page by endpoint, check its status and page-wide rules, return parsed HTML."""
    with client.application.test_request_context():
        url = url_for(endpoint, **values)
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title and page.title.string.strip().endswith("\u2013 Information Sharing Training")
    assert len(page.find_all("h1")) == 1, f"{url} should have exactly one h1"
    return page
