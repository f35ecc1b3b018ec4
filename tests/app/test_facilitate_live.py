"""What the phones in a live session see and how they follow the presenter.

The poll phones make every 2 seconds is answered from one read, in front of the app's
per-request work, for a phone that carries the pass its room page gave it.
"""

from __future__ import annotations

import re

import pytest
from flask import request_started

from tests.app.test_facilitate import join_as_guest, open_room, page_of, person, press
from tests.conftest import make_organisation, make_user
from trainer.extensions import db


@pytest.fixture
def room(app):
    """A session under way, its presenter, and a guest's phone that has opened the room page."""
    org = make_organisation()
    trainer = make_user("trainer", email="trainer@example.org", org=org)
    session, presenter = open_room(app, trainer, org)
    phone = join_as_guest(app, session.join_code, "Ann", "health")
    return session, presenter, phone


def pass_of(phone, session) -> str:
    """The pass the room page gives the phone for its polls."""
    page = page_of(phone.get(f"/sessions/{session.id}/room"))
    return page.select_one("[data-live-poll]")["data-live-pass"]


def poll(browser, session, live_pass: str, etag: str | None = None):
    headers = {"X-Live-Pass": live_pass}
    if etag:
        headers["If-None-Match"] = etag
    return browser.get(f"/sessions/{session.id}/state.json", headers=headers)


def test_a_phone_with_its_pass_follows_the_state_and_gets_304_when_nothing_changed(room):
    session, presenter, phone = room
    live_pass = pass_of(phone, session)
    first = poll(phone, session, live_pass)
    assert first.status_code == 200
    assert first.json == {"version": 1, "case": None, "stage": 0, "phase": "story"}
    assert first.headers["Cache-Control"] == "no-cache, private"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    again = poll(phone, session, live_pass, first.headers["ETag"])
    assert again.status_code == 304 and again.data == b""
    press(presenter, session, "start:bruise-on-baby")
    changed = poll(phone, session, live_pass, first.headers["ETag"])
    assert changed.status_code == 200
    assert changed.json["case"] == "bruise-on-baby" and changed.json["version"] == 2


def test_the_poll_with_a_pass_neither_opens_nor_rewrites_the_session_cookie(app, room):
    session, _presenter, phone = room
    live_pass = pass_of(phone, session)
    handled = []
    with request_started.connected_to(lambda sender, **extra: handled.append(1), app):
        answer = poll(phone, session, live_pass)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers and "Vary" not in answer.headers
    assert handled == []  # no session cookie, user, CSRF or rate-limit work
    no_cookie = poll(person(app), session, live_pass)  # the pass alone says who may ask
    assert no_cookie.status_code == 200 and no_cookie.json == answer.json


def test_a_pass_opens_only_the_session_it_was_given_for(app, room):
    session, _presenter, phone = room
    org = make_organisation("Far Away Council", "police")
    other_trainer = make_user("trainer", email="other@example.org", org=org)
    other, _ = open_room(app, other_trainer, org)
    live_pass = pass_of(phone, session)
    assert poll(phone, other, live_pass).status_code == 404
    assert poll(person(app), other, live_pass).status_code == 404
    forged = re.sub(r"^.", lambda m: "A" if m[0] != "A" else "B", live_pass)
    assert poll(person(app), session, forged).status_code == 404
    assert poll(person(app), session, "").status_code == 404


def test_a_pass_for_a_session_that_is_gone_is_answered_not_found(app, room):
    session, _presenter, phone = room
    live_pass = pass_of(phone, session)
    db.session.delete(session)
    db.session.commit()
    assert poll(person(app), session, live_pass).status_code == 404
