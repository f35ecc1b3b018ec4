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
from trainer.models import Vote


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


def part_of(phone, session, data: dict | None = None):
    """The part of the room page that follows the presenter, as live.js fetches it."""
    url = f"/sessions/{session.id}/room?part=stage"
    response = phone.post(url, data=data) if data is not None else phone.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    part = page_of(response)
    assert part.find("h1") is None and part.find("header") is None  # no page around it
    return part


def test_a_phone_fetches_only_the_stage_part_when_the_presenter_moves_on(room):
    session, presenter, phone = room
    waiting = part_of(phone, session)
    assert "The trainer will start shortly" in waiting.text
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    db.session.refresh(session)
    part = part_of(phone, session)
    root = part.select_one("[data-version]")
    assert root["data-version"] == str(session.state_version)
    assert root["data-status"] == "Stage 1: The visit: Voting is open"
    assert part.h2.text == "Stage 1: The visit" and "The mother asks" not in part.text
    form = part.select_one("form")
    assert form["action"] == f"/sessions/{session.id}/room"
    assert [i["value"] for i in form.select("input[name=choice]")] == ["refer-today", "wait"]
    assert form.select_one("input[name=stage]")["value"] == "bruise-on-baby:0"


def test_a_vote_sent_for_the_part_is_stored_and_answered_with_the_part(room):
    session, presenter, phone = room
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    empty = part_of(phone, session, {"stage": "bruise-on-baby:0"})
    assert "Select what you would do" in empty.select_one(".govuk-error-summary").text
    sent = part_of(phone, session, {"stage": "bruise-on-baby:0", "choice": "wait"})
    assert "Your answer has been sent." in sent.select_one(".govuk-notification-banner").text
    assert sent.select_one("input[name=choice][checked]")["value"] == "wait"
    assert "You can change your answer until voting closes." in sent.text
    assert db.session.scalars(db.select(Vote.choice_id)).all() == ["wait"]
    press(presenter, session, "close")
    late = part_of(phone, session, {"stage": "bruise-on-baby:0", "choice": "refer-today"})
    assert "Voting on that question has closed" in late.text
    assert "Your answer: Wait and see at the next visit." in late.text
    assert late.find("form") is None
    assert db.session.scalars(db.select(Vote.choice_id)).all() == ["wait"]


def test_without_javascript_the_room_page_shows_the_stage_and_votes_with_a_plain_form(room):
    session, presenter, phone = room
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    page = page_of(phone.get(f"/sessions/{session.id}/room"))
    assert page.h1.text == "Sharing across agencies"
    assert page.select_one("#live-stage h2").text == "Stage 1: The visit"
    sent = phone.post(
        f"/sessions/{session.id}/room", data={"stage": "bruise-on-baby:0", "choice": "wait"}
    )
    assert sent.status_code == 302 and sent.headers["Location"] == f"/sessions/{session.id}/room"
    after = page_of(phone.get(sent.headers["Location"]))
    assert "Your answer has been sent." in after.select_one(".govuk-notification-banner").text


def test_only_a_participant_can_fetch_the_part(app, room):
    session, presenter, _phone = room
    assert person(app).get(f"/sessions/{session.id}/room?part=stage").status_code == 404
    assert presenter.get(f"/sessions/{session.id}/room?part=stage").status_code == 404


def test_phones_share_nothing_of_one_another_in_the_part(app, room):
    session, presenter, phone = room
    other = join_as_guest(app, session.join_code, "Bo", "police")
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    part_of(phone, session, {"stage": "bruise-on-baby:0", "choice": "wait"})
    mine, theirs = part_of(phone, session), part_of(other, session)
    assert mine.select_one("input[name=choice][checked]")["value"] == "wait"
    assert theirs.select_one("input[name=choice][checked]") is None
    assert "You can change your answer" not in theirs.text
    part_of(phone, session, {"stage": "bruise-on-baby:0", "choice": "refer-today"})
    mine = part_of(phone, session)
    assert mine.select_one("input[name=choice][checked]")["value"] == "refer-today"


def test_each_phone_votes_with_its_own_form_token(tmp_path):
    from tests.conftest import fresh_database, make_app
    from trainer.facilitate.services import open_session

    with fresh_database(make_app(tmp_path, WTF_CSRF_ENABLED=True)) as app:
        org = make_organisation()
        trainer = make_user("trainer", email="trainer@example.org", org=org)
        session, _presenter = open_room(app, trainer, org)  # its form is refused: no token
        open_session(session)
        session.live_case_id, session.live_phase = "bruise-on-baby", "voting"
        db.session.commit()
        phones = [person(app) for _ in range(2)]
        tokens = []
        for number, phone in enumerate(phones):
            join = page_of(phone.get(f"/join?code={session.join_code}"))
            phone.post(
                "/join",
                data={
                    "csrf_token": join.select_one("input[name=csrf_token]")["value"],
                    "code": session.join_code,
                    "display_name": f"P{number}",
                    "agency": "health",
                },
            )
            tokens.append(part_of(phone, session).select_one("input[name=csrf_token]")["value"])
        assert tokens[0] != tokens[1]
        vote = {"stage": "bruise-on-baby:0", "choice": "wait"}
        assert (
            "has been sent" in part_of(phones[0], session, {**vote, "csrf_token": tokens[0]}).text
        )
        refused = phones[1].post(
            f"/sessions/{session.id}/room?part=stage", data={**vote, "csrf_token": tokens[0]}
        )
        assert refused.status_code == 400
        assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 1


def table_of(page) -> list[list[str]]:
    """The results table as rows of cell texts, its header row first."""
    table = page.select_one("table")
    return [[cell.text.strip() for cell in row.select("th, td")] for row in table.select("tr")]


@pytest.fixture
def voted(app, room):
    """Three agencies have voted on the first stage; voting has closed."""
    session, presenter, phone = room
    phones = [phone] + [
        join_as_guest(app, session.join_code, name, agency)
        for name, agency in (("Bo", "police"), ("Cy", "education"))
    ]
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    for each, choice in zip(phones, ("refer-today", "wait", "refer-today"), strict=True):
        part_of(each, session, {"stage": "bruise-on-baby:0", "choice": choice})
    return session, presenter, phone


def test_before_the_reveal_a_phone_sees_no_votes_of_others(voted):
    session, presenter, phone = voted
    voting = part_of(phone, session)
    assert voting.find("table") is None and "by agency" not in voting.text
    press(presenter, session, "close")
    closed = part_of(phone, session)
    assert "Voting has closed." in closed.text
    assert closed.find("table") is None and closed.select(".app-live-chart") == []
    assert "Best choice" not in closed.text and "best choice" not in closed.text


def test_at_the_reveal_phones_show_the_split_by_agency_as_the_presenter_does(voted):
    session, presenter, phone = voted
    press(presenter, session, "close")
    press(presenter, session, "reveal")
    shown = page_of(presenter.get(f"/sessions/{session.id}/live"))
    part = part_of(phone, session)
    assert table_of(part) == table_of(shown)
    assert table_of(part) == [
        ["Choice", "Votes", "Share", "Schools and colleges", "Health", "Police"],
        ["Refer to children's social care today. (best choice)", "2", "67%", "1", "1", "0"],
        ["Wait and see at the next visit.", "1", "33%", "0", "0", "1"],
    ]
    assert part.select_one("caption").text == "How the room voted by agency"
    key = [item.text for item in part.select(".app-live-chart__key li")]
    assert key == ["Schools and colleges", "Health", "Police"]
    region = part.select_one("[role=region]")
    assert region["aria-labelledby"] == part.select_one("caption")["id"]


def test_with_the_split_hidden_phones_show_only_the_overall_result(voted):
    session, presenter, phone = voted
    press(presenter, session, "agencies")
    press(presenter, session, "close")
    press(presenter, session, "reveal")
    part = part_of(phone, session)
    assert table_of(part)[0] == ["Choice", "Votes", "Share"]
    assert table_of(part) == table_of(page_of(presenter.get(f"/sessions/{session.id}/live")))
    assert part.select_one("caption").text == "How the room voted"
    assert part.select(".app-live-chart__key") == []


def test_phones_show_the_best_choice_only_once_the_presenter_shows_it(voted):
    session, presenter, phone = voted
    press(presenter, session, "best")  # kept hidden while the room discusses
    press(presenter, session, "close")
    press(presenter, session, "reveal")
    hidden = part_of(phone, session)
    assert "best choice" not in hidden.text.lower()
    assert table_of(hidden)[1][0] == "Refer to children's social care today."
    press(presenter, session, "best")
    shown = part_of(phone, session)
    assert table_of(shown)[1][0] == "Refer to children's social care today. (best choice)"
    assert shown.select_one(".app-live-chart .govuk-tag").text == "Best choice"
    assert table_of(shown) == table_of(page_of(presenter.get(f"/sessions/{session.id}/live")))
