"""Who may open each address of the facilitate area: the authorisation matrix."""

from __future__ import annotations

import pytest

from tests.app.test_facilitate import join_as_guest, open_room, person
from tests.conftest import make_organisation, make_user
from trainer.extensions import db
from trainer.models import Booking

SESSION_PAGES = [
    ("GET", "/sessions/{id}"),
    ("GET", "/sessions/{id}/edit"),
    ("GET", "/sessions/{id}/cancel"),
    ("GET", "/sessions/{id}/calendar.ics"),
    ("POST", "/sessions/{id}/open"),
    ("GET", "/sessions/{id}/live"),
    ("GET", "/sessions/{id}/live.json"),
    ("GET", "/sessions/{id}/join-code.svg"),
    ("GET", "/sessions/{id}/register"),
    ("GET", "/sessions/{id}/register.csv"),
    ("GET", "/sessions/{id}/register.pdf"),
    ("GET", "/sessions/{id}/summary"),
    ("GET", "/sessions/{id}/summary.csv"),
    ("GET", "/sessions/{id}/summary.pdf"),
    ("GET", "/sessions/{id}/handouts"),
    ("GET", "/sessions/{id}/room"),
    ("GET", "/sessions/{id}/state.json"),
    ("GET", "/sessions/{id}/feedback"),
    ("POST", "/sessions/{id}/claim"),
    ("POST", "/sessions/{id}/book"),
]
MANAGE = {
    "/sessions/{id}/edit",
    "/sessions/{id}/cancel",
    "/sessions/{id}/open",
    "/sessions/{id}/live",
    "/sessions/{id}/live.json",
    "/sessions/{id}/join-code.svg",
    "/sessions/{id}/register",
    "/sessions/{id}/register.csv",
    "/sessions/{id}/register.pdf",
    "/sessions/{id}/summary",
    "/sessions/{id}/summary.csv",
    "/sessions/{id}/summary.pdf",
    "/sessions/{id}/handouts",
}
PARTICIPATE = {"/sessions/{id}/room", "/sessions/{id}/feedback", "/sessions/{id}/claim"}
VIEW = {"/sessions/{id}", "/sessions/{id}/calendar.ics", "/sessions/{id}/book"}
ALLOWED = {200, 302}


def expected(who: str, path: str) -> str:
    """'ok', 'not found' or 'sign in' for each person and address."""
    if path == "/sessions/{id}/state.json":
        return "ok" if who in ("owner", "admin", "participant", "guest") else "not found"
    if path in PARTICIPATE:
        if path == "/sessions/{id}/claim" and who == "guest":
            return "sign in"
        return "ok" if who in ("participant", "guest") else "not found"
    if who == "guest":
        return "sign in"
    if path in MANAGE:
        return "ok" if who in ("owner", "admin") else "not found"
    return "ok" if who in ("owner", "admin", "participant", "booked") else "not found"


@pytest.fixture
def cast(app):
    """A session run by its owner, and each kind of person who might ask for it."""
    home, elsewhere = make_organisation(), make_organisation("Far Away Council", "police")
    owner = make_user("trainer", email="owner@example.org", org=home)
    session, _presenter = open_room(app, owner, home)
    make_user("trainer", email="other-trainer@example.org", org=elsewhere)
    make_user("admin", email="admin@example.org", org=elsewhere)
    make_user("lead", email="lead@example.org", org=elsewhere)
    make_user("learner", email="outsider@example.org", org=elsewhere)
    booked = make_user("learner", email="booked@example.org", org=elsewhere)
    db.session.add(Booking(session_id=session.id, user_id=booked.id, place=1))
    participant = make_user("learner", email="participant@example.org", org=home)
    db.session.commit()
    browsers = {
        "owner": person(app, "owner@example.org"),
        "other trainer": person(app, "other-trainer@example.org"),
        "admin": person(app, "admin@example.org"),
        "lead": person(app, "lead@example.org"),
        "outsider": person(app, "outsider@example.org"),
        "booked": person(app, "booked@example.org"),
        "participant": person(app, participant.email),
        "guest": join_as_guest(app, session.join_code, "Gus", "police"),
    }
    browsers["participant"].post("/join", data={"code": session.join_code, "agency": "health"})
    return session, browsers


def test_every_address_answers_each_person_as_the_matrix_says(cast):
    session, browsers = cast
    problems = []
    for who, browser in browsers.items():
        for method, pattern in SESSION_PAGES:
            response = browser.open(pattern.format(id=session.id), method=method)
            if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
                got = "sign in"
            elif response.status_code == 404:
                got = "not found"
            elif response.status_code in ALLOWED:
                got = "ok"
            else:
                got = str(response.status_code)
            if got != expected(who, pattern):
                problems.append(
                    f"{who} {method} {pattern}: {got}, expected {expected(who, pattern)}"
                )
    assert problems == []


@pytest.mark.parametrize(
    ("email", "status"),
    [("owner@example.org", 200), ("admin@example.org", 200), ("outsider@example.org", 404)],
)
def test_only_people_who_run_sessions_can_create_them(cast, app, email, status):
    assert person(app, email).get("/sessions/new").status_code == status
    assert person(app, email).get("/sessions/attendees").status_code == status


def test_signed_out_people_can_only_reach_the_join_page(app):
    browser = person(app)
    assert browser.get("/join").status_code == 200
    for path in ("/sessions/", "/sessions/new", "/sessions/attendees"):
        assert "/auth/login" in browser.get(path).headers["Location"]
