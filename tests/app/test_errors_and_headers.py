"""Error pages that never depend on the database, and the headers every answer carries."""

import logging

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests.conftest import make_app, make_user, sign_in
from trainer.extensions import db


@pytest.fixture
def failing_app(app):
    """An app with a page whose database query fails, as a dropped connection would."""

    @app.route("/boom")
    def boom():
        db.session.execute(db.text("SELECT * FROM no_such_table"))

    @app.route("/boom.json")
    def boom_json():
        raise RuntimeError("broken")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_database_error_gives_the_service_500_page_even_when_signed_in(failing_app, client):
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    response = client.get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text
    assert "Information Sharing Training" in text
    reference = response.headers["X-Request-Id"]
    assert reference in text  # people can quote it when they report the problem
    assert client.get("/account").status_code == 200  # the session was rolled back, not stuck


def test_the_500_page_renders_when_the_database_is_down(failing_app, client, monkeypatch):
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")

    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("database is down"))

    monkeypatch.setattr(db.session, "get", refuse)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_errors_are_logged_with_the_request_id(failing_app, client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.headers["X-Request-Id"] in caplog.text


@pytest.mark.parametrize(
    ("path", "status"), [("/boom.json", 500), ("/verify/NOPE.json", 404), ("/nothing.json", 404)]
)
def test_json_addresses_answer_errors_in_json(failing_app, client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["status"] in (status, "unknown")


def test_a_request_id_from_the_proxy_is_kept_only_when_it_is_plain(client):
    assert client.get("/", headers={"X-Request-Id": "abc-12345"}).headers["X-Request-Id"] == (
        "abc-12345"
    )
    odd = client.get("/", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]
    assert odd != "<script>" and odd.isalnum()


def test_signed_in_pages_and_downloads_are_never_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    for path in ("/", "/account", "/account/data.json", "/cpd/record.csv"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_a_signed_in_write_is_not_cached_and_reads_the_person_once(app, client):
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    reads = []

    def remember(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "password_hash" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        with app.app_context():  # as served: the person is loaded afresh for this request
            response = client.post("/courses/basics/why-share/complete")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    assert len(reads) == 1  # the person is loaded for the request, not again after it commits


def test_static_files_stay_cacheable_for_signed_in_people(client):
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    assert "no-store" not in client.get("/static/favicon.svg").headers.get("Cache-Control", "")


def test_production_answers_carry_hsts(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("TRAINER_BASE_URL", "https://training.example.org")
    app = make_app(tmp_path, SECRET_KEY="a-production-key-of-more-than-32-bytes")
    response = app.test_client().get("/healthz", base_url="https://training.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_development_answers_carry_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_an_oversized_request_gets_a_clear_message_and_changes_nothing(client):
    response = client.post("/auth/login", data={"email": "x" * 2_000_000, "password": "y"})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_healthz_reads_a_real_table(tmp_path):
    app = make_app(tmp_path)  # the database file exists but has no tables: not healthy
    with app.app_context():
        db.engine.dispose()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
