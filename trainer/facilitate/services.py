"""Writes for sessions: planning, booking, joining, the register, votes, feedback and purging.

Every fact is stored once under concurrent and repeated requests: a unique key holds it, and
a clash is caught, rolled back and read again, as answers to quizzes are.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from trainer.content import Catalogue
from trainer.extensions import db
from trainer.formats import LONDON
from trainer.mail import send_email
from trainer.models import (
    Attendance,
    Booking,
    BookingReminder,
    Organisation,
    Participant,
    SessionFeedback,
    TrainingSession,
    User,
    Vote,
)
from trainer.web import external_url

from . import queries
from .codes import new_code
from .live import MOVES, live_stages

logger = logging.getLogger(__name__)

PLANNED = ("starts_at", "ends_at", "venue", "online_link")


def _upsert(model, values: dict, keys: list[str], changes: dict) -> None:
    """Insert a row, or change the one with the same key: one statement, safe when raced."""
    # Each dialect is imported when used: a SQLite site never loads PostgreSQL's.
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model).values(**values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=changes))


def save_session(session: TrainingSession | None, form, trainer: User) -> TrainingSession:
    """Create a session, or change one and tell the people booked if its time or place moved."""
    values = {
        "title": form.title.data,
        "course_id": form.course_id.data,
        "module_ids": list(form.module_ids.data),
        "case_ids": list(form.case_ids.data),
        "starts_at": form.moment(form.start.as_time()),
        "ends_at": form.moment(form.end.as_time()),
        "venue": form.venue.data,
        "online_link": form.online_link.data,
        "capacity": form.capacity.data,
        "partnership_id": form.partnership_id.data or None,
        "agencies": list(form.agencies.data),
    }
    if session is None:
        session = TrainingSession(trainer_id=trainer.id)
        db.session.add(session)
    moved = session.id is not None and any(getattr(session, key) != values[key] for key in PLANNED)
    for key, value in values.items():
        setattr(session, key, value)
    session.organisations = list(
        db.session.scalars(
            select(Organisation).where(
                Organisation.id.in_([int(i) for i in form.organisation_ids.data])
            )
        )
    )
    if moved:
        session.sequence += 1
    db.session.commit()
    if moved:
        _tell_everyone(session, "Session changed", "The time or place of this session has changed.")
    offer_free_places(session)
    return session


def cancel_session(session: TrainingSession) -> None:
    if session.is_cancelled:
        return  # a second press tells nobody twice
    session.cancelled_at = queries.now()
    session.sequence += 1
    db.session.commit()
    _tell_everyone(session, "Session cancelled", "This session has been cancelled.")


def _tell_everyone(session: TrainingSession, subject: str, headline: str) -> None:
    for booking in db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.cancelled_at.is_(None))
    ):
        _email(booking, subject, headline)


def _email(booking: Booking, subject: str, headline: str) -> None:
    session = booking.session
    send_email(
        booking.user.email,
        f"{subject}: {session.title}",
        render_template(
            "emails/session.txt",
            name=booking.user.name,
            headline=headline,
            session=session,
            link=external_url("facilitate.session", session_id=session.id),
            calendar=external_url("facilitate.calendar", session_id=session.id),
        ),
    )


def book(session: TrainingSession, user: User) -> Booking:
    """A place if one is free and nobody is waiting for it, else a place on the waiting list."""
    for _attempt in range(session.capacity + 5):
        booking = queries.booking_of(user, session)
        if booking is not None and booking.cancelled_at is None:
            return booking  # already booked or waiting: a repeated press changes nothing
        place = None if queries.waiting_list(session) else _free_place(session)
        if booking is None:
            booking = Booking(session_id=session.id, user_id=user.id)
            db.session.add(booking)
        booking.cancelled_at = None
        booking.created_at = queries.now()
        booking.place = place
        try:
            db.session.commit()
        except IntegrityError:
            # Someone took that place (or this person booked in another tab): look again.
            db.session.rollback()
            continue
        _email(
            booking,
            "Booking confirmed" if booking.place else "On the waiting list",
            booked_message(booking),
        )
        return booking
    raise RuntimeError("could not book a place")


def booked_message(booking: Booking) -> str:
    if booking.place:
        return "You have a place on this session."
    return "The session is full, so you are on the waiting list. We will email you if a place comes free."


def _free_place(session: TrainingSession) -> int | None:
    taken = set(
        db.session.scalars(
            select(Booking.place).where(
                Booking.session_id == session.id, Booking.place.is_not(None)
            )
        )
    )
    return next((n for n in range(1, session.capacity + 1) if n not in taken), None)


def cancel_booking(booking: Booking) -> None:
    """Give the place up; the first person waiting gets it."""
    if booking.cancelled_at is not None:
        return
    booking.cancelled_at = queries.now()
    booking.place = None
    db.session.commit()
    offer_free_places(booking.session)


def offer_free_places(session: TrainingSession) -> int:
    """Fill free places from the waiting list, in order, and tell each person."""
    offered = 0
    for booking in queries.waiting_list(session):
        place = _free_place(session)
        if place is None:
            break
        booking.place = place
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # taken meanwhile: the next run of this fills it
            break
        _email(booking, "A place for you", "A place has come free and it is yours.")
        offered += 1
    return offered


def open_session(session: TrainingSession) -> str:
    """Give the session a join code (once); codes are unique, so a clash draws another."""
    while session.join_code is None:
        session.join_code = new_code()
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
    return session.join_code


def session_for_code(code: str) -> TrainingSession | None:
    """The session a code opens, while it has not ended or been cancelled."""
    return db.session.scalars(
        select(TrainingSession).where(
            TrainingSession.join_code == code,
            TrainingSession.ends_at > queries.now(),
            TrainingSession.cancelled_at.is_(None),
        )
    ).first()


def join(session: TrainingSession, user: User | None, name: str, agency: str) -> Participant:
    """Into the room; a signed-in person is on the register at once, and only once."""
    if user is not None:
        existing = _participant_of(session, user)
        if existing is not None:
            return existing
    participant = Participant(
        session_id=session.id,
        user_id=user.id if user else None,
        display_name=(user.name if user else name)[:80],
        agency=agency,
    )
    db.session.add(participant)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same person joining from a second tab at the same moment
        return _participant_of(session, user)
    if user is not None:
        _mark(session.id, user.id, True)
    db.session.commit()
    return participant


def _participant_of(session: TrainingSession, user: User) -> Participant | None:
    return db.session.scalars(
        select(Participant).where(
            Participant.session_id == session.id, Participant.user_id == user.id
        )
    ).first()


def _mark(session_id: int, user_id: int, present: bool) -> None:
    _upsert(
        Attendance,
        {
            "session_id": session_id,
            "user_id": user_id,
            "is_present": present,
            "marked_at": queries.now(),
        },
        ["session_id", "user_id"],
        {"is_present": present, "marked_at": queries.now()},
    )


def mark_attendance(session: TrainingSession, user_id: int, present: bool) -> bool:
    """The trainer marks someone on the register present or absent."""
    on_register = {row.user_id for row in queries.register_rows(session) if row.user_id}
    if user_id not in on_register:
        return False
    _mark(session.id, user_id, present)
    db.session.commit()
    return True


def claim(session: TrainingSession, participant: Participant, user: User) -> Participant:
    """A guest signs in: their attendance becomes theirs, and counts in their CPD record."""
    if not participant.is_guest:
        return participant
    own = _participant_of(session, user)
    if own is None:
        participant.user_id = user.id
        participant.display_name = user.name[:80]
        own = participant
    _mark(session.id, user.id, True)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        own = _participant_of(session, user)
    return own


def vote(session_id: int, participant: Participant, stage_key: str, choice_id: str) -> bool:
    """Record or change a vote while voting is open on that stage; False once it has closed."""
    state = queries.live_state(session_id)
    if not _voting_on(state, stage_key):
        return False
    _upsert(
        Vote,
        {
            "session_id": session_id,
            "case_id": state.live_case_id,
            "stage": state.live_stage,
            "participant_id": participant.id,
            "choice_id": choice_id,
            "agency": participant.agency,
            "updated_at": queries.now(),
        },
        ["session_id", "case_id", "stage", "participant_id"],
        {"choice_id": choice_id, "updated_at": queries.now()},
    )
    # Asked again once the vote is written, holding the state until the vote is committed:
    # a presenter who closed voting in between wins, and the vote is not counted late.
    if not _voting_on(queries.live_state(session_id, locked=True), stage_key):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _voting_on(state, stage_key: str) -> bool:
    return state is not None and state.live_phase == "voting" and stage_key == stage_key_of(state)


def stage_key_of(state) -> str:
    """Which question a vote form was for: a vote sent after the room moved on is refused."""
    return f"{state.live_case_id}:{state.live_stage}"


def move(session: TrainingSession, catalogue: Catalogue, action: str, version: int) -> bool:
    """One presenter step, applied only to the state it was pressed on (no double steps)."""
    changes = _next_state(session, catalogue, action)
    if changes is None:
        return False
    result = db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.state_version == version)
        .values(**changes, state_version=TrainingSession.state_version + 1)
    )
    db.session.commit()
    db.session.expire(session)
    return result.rowcount == 1


def _next_state(session: TrainingSession, catalogue: Catalogue, action: str) -> dict | None:
    if action.startswith("start:"):
        case_id = action.removeprefix("start:")
        if case_id not in session.case_ids or case_id not in catalogue.cases:
            return None
        return {"live_case_id": case_id, "live_stage": 0, "live_phase": "story"}
    if action == "agencies":
        return {"show_agencies": not session.show_agencies}
    if action == "best":
        return {"show_best": not session.show_best}
    if session.live_case_id is None:
        return None
    stage_count = len(live_stages(catalogue, session.live_case_id))
    if action == "next" and session.live_stage + 1 < stage_count:
        return {"live_stage": session.live_stage + 1, "live_phase": "story"}
    if action == "back" and session.live_stage > 0:
        return {"live_stage": session.live_stage - 1, "live_phase": "story"}
    phase = MOVES.get(session.live_phase, {}).get(action)
    return {"live_phase": phase} if phase else None


def save_feedback(
    session: TrainingSession, participant: Participant, rating: int, comment: str
) -> None:
    """One piece of feedback per participant; sending it again replaces it."""
    _upsert(
        SessionFeedback,
        {
            "session_id": session.id,
            "participant_id": participant.id,
            "agency": participant.agency,
            "rating": rating,
            "comment": comment,
            "created_at": queries.now(),
        },
        ["session_id", "participant_id"],
        {"rating": rating, "comment": comment},
    )
    db.session.commit()


def send_session_reminders(today) -> int:
    """Email everyone with a place on a session that starts tomorrow (UK time), once each."""
    tomorrow = today + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=LONDON)
    bookings = db.session.scalars(
        select(Booking)
        .join(TrainingSession)
        .where(Booking.place.is_not(None), Booking.cancelled_at.is_(None))
        .where(TrainingSession.cancelled_at.is_(None))
        .where(
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < start + timedelta(days=1),
        )
    ).all()
    sent = 0
    for booking in bookings:
        db.session.add(BookingReminder(booking_id=booking.id, starts_at=booking.session.starts_at))
        try:
            db.session.commit()  # claimed before sending, so two runs at once send it once
        except IntegrityError:
            db.session.rollback()
            continue
        _email(booking, "Reminder", "Your session is tomorrow.")
        sent += 1
    return sent


def purge_guests(retention_days: int, moment: datetime | None = None) -> int:
    """Remove guests of sessions that ended more than the retention period ago.

    Their votes and feedback stay, with only the agency, so summaries keep their figures.
    """
    cutoff = (moment or queries.now()) - timedelta(days=retention_days)
    ended = select(TrainingSession.id).where(TrainingSession.ends_at < cutoff)
    result = db.session.execute(
        delete(Participant).where(Participant.user_id.is_(None), Participant.session_id.in_(ended))
    )
    db.session.commit()
    logger.info("guests purged", extra={"count": result.rowcount})
    return result.rowcount
