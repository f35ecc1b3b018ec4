"""Live-session facts stay exact when many phones act at the same moment.

Run on SQLite by default and on PostgreSQL when TRAINER_TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import threading

from tests.app.test_exact_records import at_once
from tests.app.test_facilitate import join_as_guest, make_session, open_room, person, press
from tests.conftest import make_organisation, make_user
from trainer.extensions import db
from trainer.facilitate import services
from trainer.models import Booking, Participant, TrainingSession, Vote

PHONES = 24


def test_concurrent_votes_and_changes_leave_one_vote_each_and_counts_agree(app):
    trainer = make_user("trainer", email="t@example.org", org=make_organisation())
    session, presenter = open_room(app, trainer, trainer.organisation)
    agencies = ("health", "police", "education")
    phones = [
        join_as_guest(app, session.join_code, f"P{n}", agencies[n % 3]) for n in range(PHONES)
    ]
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    url = f"/sessions/{session.id}/room"
    stage = "bruise-on-baby:0"

    def vote(phone, choice):
        return lambda: phone.post(url, data={"stage": stage, "choice": choice}).status_code

    # Every phone sends two different answers at once: the last one stored must stand alone.
    calls = [vote(p, "wait") for p in phones] + [vote(p, "refer-today") for p in phones]
    assert set(at_once(calls)) == {302}

    db.session.expire_all()
    stored = db.session.execute(db.select(Vote.participant_id, Vote.choice_id)).all()
    assert len(stored) == PHONES
    assert len({participant for participant, _choice in stored}) == PHONES
    shown = presenter.get(f"/sessions/{session.id}/live.json").json["counts"]
    assert shown["total"] == PHONES
    for choice in ("wait", "refer-today"):
        assert shown["choices"][choice]["total"] == sum(c == choice for _p, c in stored)
    by_agency = {
        a: sum(shown["choices"][c]["by_agency"][a] for c in shown["choices"]) for a in agencies
    }
    assert by_agency == {a: PHONES // 3 for a in agencies}


def test_the_same_person_joining_from_many_tabs_at_once_joins_once(app):
    org = make_organisation()
    trainer = make_user("trainer", email="t@example.org", org=org)
    learner = make_user("learner", email="l@example.org", org=org)
    session, _presenter = open_room(app, trainer, org)
    tabs = [person(app, learner.email) for _ in range(12)]
    data = {"code": session.join_code, "agency": "health"}
    assert set(at_once([lambda t=t: t.post("/join", data=data).status_code for t in tabs])) == {302}
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 1


def test_racing_for_the_last_places_books_exactly_the_capacity(app):
    org = make_organisation()
    trainer = make_user("trainer", email="t@example.org", org=org)
    session = make_session(trainer, [org], capacity=3)
    people = [
        person(app, make_user("learner", email=f"l{n}@example.org", org=org).email)
        for n in range(10)
    ]
    url = f"/sessions/{session.id}/book"
    assert set(at_once([lambda p=p: p.post(url).status_code for p in people])) == {302}
    db.session.expire_all()
    bookings = db.session.scalars(db.select(Booking)).all()
    assert len(bookings) == 10
    assert sorted(b.place for b in bookings if b.place) == [1, 2, 3]
    assert sum(b.status == "waiting" for b in bookings) == 7


def test_a_vote_that_meets_the_close_of_voting_is_refused_not_counted_late(app, monkeypatch):
    trainer = make_user("trainer", email="t@example.org", org=make_organisation())
    session, presenter = open_room(app, trainer, trainer.organisation)
    phone = join_as_guest(app, session.join_code, "P1", "health")
    press(presenter, session, "start:bruise-on-baby")
    press(presenter, session, "open")
    store = services._upsert
    db.session.refresh(session)
    close = {"action": "close", "version": session.state_version}

    def presenter_closes_first(*args, **kwargs):
        # The phone has seen voting open; the presenter closes it before the vote is written.
        closing = threading.Thread(target=lambda: closed.append(press_close()))
        closing.start()
        closing.join()
        store(*args, **kwargs)

    def press_close():
        with app.app_context():
            return presenter.post(f"/sessions/{session.id}/live", data=close).status_code

    closed = []
    monkeypatch.setattr(services, "_upsert", presenter_closes_first)
    db.session.commit()
    response = phone.post(
        f"/sessions/{session.id}/room", data={"stage": "bruise-on-baby:0", "choice": "wait"}
    )
    assert response.status_code == 302
    assert closed == [302]
    db.session.expire_all()
    assert db.session.scalar(db.select(TrainingSession.live_phase)) == "closed"
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
    assert presenter.get(f"/sessions/{session.id}/live.json").json["counts"]["total"] == 0
