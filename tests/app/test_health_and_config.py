"""Health check, configuration and start-up refusal of bad content or unsafe settings."""

import pytest
from sqlalchemy import event

from tests.conftest import FIXTURES, fresh_database, make_app, make_user, sign_in
from trainer.config import normalise_database_url
from trainer.content import ContentError
from trainer.extensions import db


def test_healthz_reports_database_and_content_counts(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "reachable",
        "content": {
            "courses": 1,
            "modules": 2,
            "case_examples": 1,
            "quizzes": 3,
            "glossary_terms": 2,
        },
    }


def test_healthz_says_when_the_database_is_unreachable(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/folder/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_start_up_refuses_invalid_content(tmp_path):
    broken = FIXTURES / "content" / "broken" / "unknown_key"  # not a whole content folder
    with pytest.raises(ContentError) as caught:
        make_app(tmp_path, CONTENT_DIR=str(broken))
    assert "folder is missing" in str(caught.value)


def test_content_dir_points_the_site_at_another_folder(tmp_path, monkeypatch):
    other = tmp_path / "partnership"
    for folder in ("modules/local", "quizzes", "case_examples"):
        (other / folder).mkdir(parents=True)
    (other / "modules/local/course.yaml").write_text(
        "id: local\ntitle: Our local procedures\nsummary: How we do it here.\n"
        "audience: [housing]\nmodules: [escalation]\ncpd_minutes: 20\nvalidity_months: 12\n"
        "last_reviewed: 2026-11-01\n"
    )
    (other / "modules/local/01-escalation.md").write_text(
        "---\nid: escalation\ntitle: Escalating a concern\nduration_minutes: 20\n"
        "outcomes: [Use the local escalation policy.]\nlast_reviewed: 2026-11-01\n"
        "sources:\n  - {title: Local escalation policy, publisher: Our partnership, year: 2026}\n"
        "---\n## When to escalate\n\nAsk your manager.\n"
    )
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(other))
    app = make_app(tmp_path, CONTENT_DIR=None)
    text = app.test_client().get("/").get_data(as_text=True)
    assert "Our local procedures" in text
    assert "Sharing basics" not in text


def test_production_refuses_the_development_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.delenv("TRAINER_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="TRAINER_SECRET_KEY"):
        make_app(tmp_path, SECRET_KEY="dev-only-not-secret")


def test_production_needs_a_base_url_for_links_in_emails(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_ENV", "production")
    with pytest.raises(RuntimeError, match="TRAINER_BASE_URL"):
        make_app(tmp_path, SECRET_KEY="a-production-key-of-more-than-32-bytes")


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://training.example.org")
    app = make_app(tmp_path, SECRET_KEY="a-production-key-of-more-than-32-bytes")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_from_hosting_providers_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_a_page_on_sqlite_sends_no_ping_before_its_queries(tmp_path):
    sent = []
    sqlite = f"sqlite:///{tmp_path / 'pings.db'}"  # on PostgreSQL too: this is about SQLite
    with fresh_database(make_app(tmp_path, SQLALCHEMY_DATABASE_URI=sqlite)) as app:
        make_user("learner", email="lena@example.org")
        client = app.test_client()
        sign_in(client, "lena@example.org")
        db.session.remove()
        db.engine.dispose()  # the connections opened from here on are traced
        event.listen(
            db.engine,
            "connect",
            lambda connection, _record: connection.set_trace_callback(sent.append),
        )
        with app.app_context():
            assert client.get("/courses/basics/why-share").status_code == 200
    assert sent, "the page read nothing"
    assert not [statement for statement in sent if statement.strip().upper() == "SELECT 1"]


def test_connections_to_a_database_server_are_checked_before_use(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql://trainer@127.0.0.1:1/none")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
