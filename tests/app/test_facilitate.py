"""Trainers' sessions through the test client: planning, booking, joining, voting, register, CPD."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.conftest import get_page, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.models import (
    Attendance,
    AuditEvent,
    Booking,
    Participant,
    SessionFeedback,
    TrainingSession,
    Vote,
)


class OwnContextClient(FlaskClient):
    """A person's browser: each request in its own app context, as on a real server.

    The test's app context would otherwise carry one signed-in user from request to request,
    whichever client sent them.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def person(app, email: str | None = None) -> OwnContextClient:
    browser = OwnContextClient(app, app.response_class, use_cookies=True)
    if email:
        sign_in(browser, email)
    return browser


def future(days: int = 7, hour: int = 10) -> datetime:
    day = datetime.now(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_session(trainer, orgs, capacity: int = 20, days: int = 7, **values) -> TrainingSession:
    starts = values.pop("starts_at", future(days))
    session = TrainingSession(
        trainer_id=trainer.id,
        title=values.pop("title", "Sharing across agencies"),
        course_id="basics",
        module_ids=["why-share"],
        case_ids=["bruise-on-baby"],
        starts_at=starts,
        ends_at=values.pop("ends_at", starts + timedelta(hours=3)),
        venue="Room 2",
        capacity=capacity,
        organisations=list(orgs),
        **values,
    )
    db.session.add(session)
    db.session.commit()
    return session


def row_for(page, name: str):
    """The table row whose heading cell names the person."""
    return next(tr for tr in page.select("main tbody tr") if name in tr.th.text)


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def new_session_form(org_id: int, **changes) -> dict:
    day = datetime.now(UTC).date() + timedelta(days=10)
    form = {
        "title": "Sharing for safety",
        "course_id": "basics",
        "module_ids": ["why-share"],
        "case_ids": ["bruise-on-baby"],
        "day": [str(day.day), str(day.month), str(day.year)],
        "start": "09:30",
        "end": "12:30",
        "venue": "Civic Centre",
        "online_link": "",
        "capacity": "12",
        "organisation_ids": [str(org_id)],
        "partnership_id": "0",
        "agencies": ["health", "police"],
    }
    form.update(changes)
    return form


@pytest.fixture
def org(app):
    return make_organisation()


@pytest.fixture
def trainer(app, org):
    return make_user("trainer", email="trainer@example.org", org=org)


def test_trainer_creates_a_session_and_sees_it_listed(client, trainer, org):
    sign_in(client, trainer.email)
    before = get_page(client, "facilitate.index")
    assert "You have no upcoming sessions." in before.text
    response = client.post("/sessions/new", data=new_session_form(org.id))
    assert response.status_code == 302
    session = db.session.scalars(db.select(TrainingSession)).one()
    assert session.trainer_id == trainer.id and session.minutes == 180
    assert session.starts_at.astimezone().hour is not None
    page = get_page(client, "facilitate.index")
    assert "Sharing for safety" in page.select_one("main").text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for the session"),
        ({"start": "9.75"}, "Enter the start time as hours and minutes, like 09:30 or 14:00"),
        ({"end": "08:00"}, "The end time must be after the start time"),
        ({"venue": "", "online_link": ""}, "Enter the venue, or an online meeting link"),
        ({"organisation_ids": []}, "Select the organisations or the partnership it is open to"),
        ({"capacity": "0"}, "Places must be between 1 and 500"),
        ({"day": ["1", "1", "2020"]}, "The session must start in the future"),
    ],
)
def test_session_form_says_what_to_fix(client, trainer, org, changes, message):
    sign_in(client, trainer.email)
    response = client.post("/sessions/new", data=new_session_form(org.id, **changes))
    assert response.status_code == 200
    summary = page_of(response).select_one(".govuk-error-summary")
    assert message in summary.text
    assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 0


def test_an_empty_session_form_says_what_to_fix_and_saves_nothing(client, trainer, org):
    sign_in(client, trainer.email)
    response = client.post("/sessions/new", data={})
    assert response.status_code == 200
    summary = page_of(response).select_one(".govuk-error-summary").text
    assert "Enter a title for the session" in summary
    assert "Select the organisations or the partnership it is open to" in summary
    assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 0


def test_learner_books_and_the_waiting_list_fills_a_freed_place(client, app, trainer, org):
    session = make_session(trainer, [org], capacity=1)
    first = make_user("learner", email="first@example.org", org=org)
    second = make_user("learner", email="second@example.org", org=org)
    client = person(app, first.email)
    page = get_page(client, "facilitate.session", session_id=session.id)
    assert page.select_one("main form button").text.strip() == "Book a place"
    client.post(f"/sessions/{session.id}/book")
    client.post(f"/sessions/{session.id}/book")  # a second press books nothing more
    other = person(app, second.email)
    other.post(f"/sessions/{session.id}/book")
    statuses = {b.user_id: b.status for b in db.session.scalars(db.select(Booking))}
    assert statuses == {first.id: "booked", second.id: "waiting"}

    client.post(f"/sessions/{session.id}/booking/cancel")
    db.session.expire_all()
    statuses = {b.user_id: b.status for b in db.session.scalars(db.select(Booking))}
    assert statuses == {first.id: "cancelled", second.id: "booked"}
    page = get_page(other, "facilitate.session", session_id=session.id)
    assert "You have a place" in page.text


def test_calendar_file_changes_sequence_when_the_session_moves(client, trainer, org):
    session = make_session(trainer, [org])
    sign_in(client, trainer.email)
    first = client.get(f"/sessions/{session.id}/calendar.ics").get_data(as_text=True)
    assert "SEQUENCE:0" in first and f"UID:session-{session.id}@" in first
    form = new_session_form(org.id, title=session.title)
    client.post(f"/sessions/{session.id}/edit", data=form)
    second = client.get(f"/sessions/{session.id}/calendar.ics").get_data(as_text=True)
    assert "SEQUENCE:1" in second and "DTSTART:" in second


def test_cancelling_tells_everyone_booked_and_shows_it_cancelled(client, app, trainer, org):
    session = make_session(trainer, [org])
    learner = make_user("learner", email="booked@example.org", org=org)
    learner_client = person(app, learner.email)
    learner_client.post(f"/sessions/{session.id}/book")
    client = person(app, trainer.email)
    client.post(f"/sessions/{session.id}/cancel")
    outbox = list((__import__("pathlib").Path(app.instance_path) / "outbox").glob("*.eml"))
    subjects = [re.search(r"Subject: (.*)", f.read_text()).group(1) for f in outbox]
    assert "Session cancelled: Sharing across agencies" in subjects
    page = get_page(learner_client, "facilitate.session", session_id=session.id)
    assert "This session has been cancelled." in page.text
    assert not page.select("main form button")


def open_room(app, trainer, org, **values):
    """A session under way now, opened with a join code."""
    now = datetime.now(UTC)
    session = make_session(
        trainer,
        [org],
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        **values,
    )
    presenter = person(app, trainer.email)
    presenter.post(f"/sessions/{session.id}/open")
    db.session.refresh(session)
    return session, presenter


def join_as_guest(app, code: str, name: str, agency: str):
    phone = person(app)
    response = phone.post("/join", data={"code": code, "display_name": name, "agency": agency})
    assert response.status_code == 302, response.get_data(as_text=True)
    return phone


def press(presenter, session, action: str):
    db.session.refresh(session)
    return presenter.post(
        f"/sessions/{session.id}/live", data={"action": action, "version": session.state_version}
    )


def test_join_code_is_short_unambiguous_and_a_wrong_one_says_what_to_do(app, trainer, org):
    session, _presenter = open_room(app, trainer, org)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", session.join_code)
    phone = person(app)
    response = phone.post(
        "/join", data={"code": "ZZZZZZ", "display_name": "Sam", "agency": "police"}
    )
    assert response.status_code == 400
    assert (
        "Enter the join code shown on the trainer's screen"
        in page_of(response).select_one(".govuk-error-summary").text
    )
    lower = session.join_code.lower()
    spaced = f"{lower[:3]} {lower[3:]}"
    ok = phone.post("/join", data={"code": spaced, "display_name": "Sam", "agency": "police"})
    assert ok.status_code == 302


def test_join_code_stops_working_when_the_session_ends(app, trainer, org):
    session, _presenter = open_room(app, trainer, org)
    session.ends_at = datetime.now(UTC) - timedelta(minutes=1)
    session.starts_at = session.ends_at - timedelta(hours=1)
    db.session.commit()
    response = person(app).post(
        "/join", data={"code": session.join_code, "display_name": "Sam", "agency": "police"}
    )
    assert response.status_code == 400


def test_wrong_codes_are_rate_limited_per_address_but_right_ones_are_not(tmp_path):
    from tests.conftest import fresh_database, make_app

    limited = make_app(tmp_path, RATELIMIT_ENABLED=True, JOIN_RATE_LIMIT="3 per minute")
    with fresh_database(limited) as app:
        trainer = make_user("trainer", email="t@example.org", org=make_organisation())
        session, _presenter = open_room(app, trainer, trainer.organisation)
        for number in range(6):
            join_as_guest(app, session.join_code, f"Guest {number}", "health")
        phone = person(app)
        codes = [
            phone.post("/join", data={"code": "ZZZZZZ", "agency": "health", "display_name": "X"})
            for _ in range(4)
        ]
        assert [r.status_code for r in codes] == [400, 400, 400, 429]


def test_signed_in_participant_is_marked_present_and_gets_cpd_entry(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    learner = make_user("learner", email="lena@example.org", org=org)
    phone = person(app, learner.email)
    before = get_page(phone, "cpd.record")
    assert "Session attended" not in before.text
    phone.post("/join", data={"code": session.join_code, "agency": "health"})
    phone.post("/join", data={"code": session.join_code, "agency": "health"})  # twice: once
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 1
    register = get_page(presenter, "facilitate.register", session_id=session.id)
    row = row_for(register, "Test Learner")
    assert "Present" in row.text
    record = get_page(phone, "cpd.record")
    entry = record.find(string=re.compile("Session attended: Sharing across agencies"))
    assert entry is not None
    assert "Facilitated session" in record.text
    assert record.find("a", href=f"/sessions/{session.id}") is not None


def test_trainer_marks_booked_people_present_or_absent(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    booked = make_user("learner", email="booked@example.org", org=org)
    db.session.add(Booking(session_id=session.id, user_id=booked.id, place=1))
    db.session.commit()
    page = get_page(presenter, "facilitate.register", session_id=session.id)
    assert "Not marked" in row_for(page, "Test Learner").text
    presenter.post(
        f"/sessions/{session.id}/register", data={"user_id": booked.id, "present": "yes"}
    )
    attendance = db.session.scalars(db.select(Attendance)).one()
    assert attendance.is_present
    presenter.post(f"/sessions/{session.id}/register", data={"user_id": booked.id, "present": "no"})
    db.session.refresh(attendance)
    assert not attendance.is_present
    stranger = make_user("learner", email="stranger@example.org", org=org)
    presenter.post(
        f"/sessions/{session.id}/register", data={"user_id": stranger.id, "present": "yes"}
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Attendance)) == 1


def test_two_stage_case_runs_live_with_votes_split_by_agency(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    phones = [
        join_as_guest(app, session.join_code, name, agency)
        for name, agency in (("Ann", "health"), ("Bo", "police"), ("Cy", "education"))
    ]
    live = get_page(presenter, "facilitate.live", session_id=session.id)
    assert "Choose a case example to run" in live.text
    press(presenter, session, "start:bruise-on-baby")
    live = get_page(presenter, "facilitate.live", session_id=session.id)
    assert "A health visitor sees a bruise." in live.text
    assert "The mother asks who referred her." not in live.text  # never the later stage
    room = get_page(phones[0], "facilitate.room", session_id=session.id)
    assert "Voting has not opened yet." in room.text
    press(presenter, session, "open")
    stage = "bruise-on-baby:0"
    for phone, choice in zip(phones, ("refer-today", "wait", "refer-today"), strict=True):
        assert (
            phone.post(
                f"/sessions/{session.id}/room", data={"stage": stage, "choice": choice}
            ).status_code
            == 302
        )
    phones[1].post(f"/sessions/{session.id}/room", data={"stage": stage, "choice": "refer-today"})
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 3
    press(presenter, session, "close")
    late = phones[2].post(f"/sessions/{session.id}/room", data={"stage": stage, "choice": "wait"})
    assert late.status_code == 302
    assert db.session.scalars(db.select(Vote.choice_id)).all().count("wait") == 0
    press(presenter, session, "reveal")
    live = get_page(presenter, "facilitate.live", session_id=session.id)
    table = live.select_one("main table")
    headers = [th.text for th in table.select("thead th")]
    assert headers == ["Choice", "Votes", "Share", "Schools and colleges", "Health", "Police"]
    best = table.find("th", string=re.compile("Refer to children's social care today"))
    assert [td.text for td in best.parent.select("td")] == ["3", "100%", "1", "1", "1"]
    press(presenter, session, "agencies")
    live = get_page(presenter, "facilitate.live", session_id=session.id)
    assert [th.text for th in live.select("main table thead th")] == ["Choice", "Votes", "Share"]
    press(presenter, session, "feedback")
    press(presenter, session, "next")
    live = get_page(presenter, "facilitate.live", session_id=session.id)
    assert "The mother asks who referred her." in live.text
    assert "A health visitor sees a bruise." not in live.text


def test_a_double_press_moves_the_presenter_once(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    press(presenter, session, "start:bruise-on-baby")
    db.session.refresh(session)
    version = session.state_version
    for _ in range(2):
        presenter.post(f"/sessions/{session.id}/live", data={"action": "next", "version": version})
    db.session.refresh(session)
    assert session.live_stage == 1 and session.state_version == version + 1


def test_polling_returns_304_when_nothing_changed(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    phone = join_as_guest(app, session.join_code, "Ann", "health")
    first = phone.get(f"/sessions/{session.id}/state.json")
    assert first.status_code == 200 and first.json["phase"] == "story"
    again = phone.get(
        f"/sessions/{session.id}/state.json", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    press(presenter, session, "start:bruise-on-baby")
    changed = phone.get(
        f"/sessions/{session.id}/state.json", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert changed.status_code == 200 and changed.json["case"] == "bruise-on-baby"
    stranger = person(app)
    assert stranger.get(f"/sessions/{session.id}/state.json").status_code == 404


def test_guest_can_claim_attendance_by_signing_in(app, trainer, org):
    session, _presenter = open_room(app, trainer, org)
    learner = make_user("learner", email="lena@example.org", org=org)
    phone = join_as_guest(app, session.join_code, "Lena", "health")
    sign_in(phone, learner.email)
    room = get_page(phone, "facilitate.room", session_id=session.id)
    assert "Add this session to your CPD record" in room.text
    phone.post(f"/sessions/{session.id}/claim")
    participant = db.session.scalars(db.select(Participant)).one()
    assert participant.user_id == learner.id
    assert db.session.scalars(db.select(Attendance)).one().user_id == learner.id


def test_purge_removes_guests_after_retention_but_keeps_their_votes(app, runner, trainer, org):
    session, presenter = open_room(app, trainer, org)
    learner = make_user("learner", email="lena@example.org", org=org)
    join_as_guest(app, session.join_code, "Ann", "health")
    person(app, learner.email).post("/join", data={"code": session.join_code, "agency": "health"})
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    for participant in db.session.scalars(db.select(Participant)):
        db.session.add(
            Vote(
                session_id=session.id,
                case_id="bruise-on-baby",
                stage=0,
                participant_id=participant.id,
                choice_id="wait",
                agency=participant.agency,
            )
        )
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Deleted 0 guests" in result.output
    session.starts_at = datetime.now(UTC) - timedelta(days=32)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "Deleted 1 guest of sessions" in result.output
    assert [p.user_id for p in db.session.scalars(db.select(Participant))] == [learner.id]
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 2


def test_day_before_reminders_are_sent_once(app, runner, trainer, org):
    session = make_session(trainer, [org], days=1)
    learner = make_user("learner", email="lena@example.org", org=org)
    db.session.add(Booking(session_id=session.id, user_id=learner.id, place=1))
    db.session.commit()
    today = (datetime.now(UTC) + timedelta(days=0)).date().isoformat()
    first = runner.invoke(args=["send-reminders", "--today", today])
    second = runner.invoke(args=["send-reminders", "--today", today])
    assert "Sent 1 reminder of sessions tomorrow." in first.output
    assert "Sent 0 reminders of sessions tomorrow." in second.output


def test_feedback_is_one_per_participant_and_shows_in_the_summary(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    phone = join_as_guest(app, session.join_code, "Ann", "police")
    empty = phone.post(f"/sessions/{session.id}/feedback", data={})
    assert (
        "Select how useful the session was"
        in page_of(empty).select_one(".govuk-error-summary").text
    )
    phone.post(f"/sessions/{session.id}/feedback", data={"rating": "3", "comment": "Good"})
    phone.post(f"/sessions/{session.id}/feedback", data={"rating": "5", "comment": "=HYPERLINK()"})
    assert db.session.scalars(db.select(SessionFeedback)).one().rating == 5
    summary = get_page(presenter, "facilitate.summary", session_id=session.id)
    assert "Average rating 5.0 out of 5" in summary.text


def test_exports_are_audited_and_neutralise_formulas(app, trainer, org):
    session, presenter = open_room(app, trainer, org, title="=cmd")
    join_as_guest(app, session.join_code, "=SUM(A1)", "health")
    csv = presenter.get(f"/sessions/{session.id}/register.csv")
    assert csv.status_code == 200 and "'=SUM(A1)" in csv.get_data(as_text=True)
    pdf = presenter.get(f"/sessions/{session.id}/summary.pdf")
    assert pdf.data.startswith(b"%PDF")
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.action.startswith("exported"))
    ).all()
    assert actions == ["exported session register", "exported session summary"]


def test_trainer_sees_progress_only_of_people_who_attended_their_sessions(app, trainer, org):
    session, presenter = open_room(app, trainer, org)
    attendee = make_user("learner", email="came@example.org", org=org)
    make_user("learner", email="away@example.org", org=org)
    other_trainer = make_user("trainer", email="other@example.org", org=org)
    person(app, attendee.email).post("/join", data={"code": session.join_code, "agency": "health"})
    page = get_page(presenter, "facilitate.attendees")
    names = [th.text for th in page.select("main tbody th")]
    assert names == ["Test Learner"]
    assert "away@example.org" not in page.text
    other = get_page(person(app, other_trainer.email), "facilitate.attendees")
    assert "Nobody has been marked present" in other.text
