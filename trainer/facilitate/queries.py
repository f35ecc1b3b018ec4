"""Sessions as each person may see them: scoping by role, ownership and participation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from trainer.content import Catalogue
from trainer.extensions import db
from trainer.models import (
    Attendance,
    Booking,
    Organisation,
    Participant,
    Partnership,
    SessionFeedback,
    TrainingSession,
    User,
    Vote,
)
from trainer.models.sessions import session_organisation
from trainer.progress import CourseProgress, progress_in
from trainer.web import found_or_404

from .live import MOVES, live_stages, split_by_agency, state_payload


def now() -> datetime:
    return datetime.now(UTC)


def can_run_sessions(user) -> bool:
    return user.is_authenticated and (user.has_role("trainer") or user.has_role("admin"))


def _managed_by(user):
    """Sessions the person manages: an admin any, a trainer their own."""
    stmt = select(TrainingSession).order_by(TrainingSession.starts_at)
    if user.has_role("admin"):
        return stmt
    return stmt.where(TrainingSession.trainer_id == user.id)


def sessions_run_by(user) -> tuple[list[TrainingSession], list[TrainingSession]]:
    """Upcoming (soonest first) and past (latest first) sessions the person manages."""
    if not can_run_sessions(user):
        return [], []
    sessions = list(db.session.scalars(_managed_by(user)))
    moment = now()
    upcoming = [s for s in sessions if s.ends_at >= moment]
    past = [s for s in reversed(sessions) if s.ends_at < moment]
    return upcoming, past


def managed_session_or_404(user, session_id: int) -> TrainingSession:
    if not can_run_sessions(user):
        return found_or_404(None)
    return found_or_404(
        db.session.scalars(_managed_by(user).where(TrainingSession.id == session_id)).first()
    )


def _open_to(user):
    """The condition for sessions open to the person's organisation or its partnership."""
    org = db.session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if org is None:
        return TrainingSession.id.is_(None)
    by_org = TrainingSession.id.in_(
        select(session_organisation.c.session_id).where(
            session_organisation.c.organisation_id == org.id
        )
    )
    if org.partnership_id is None:
        return by_org
    return or_(by_org, TrainingSession.partnership_id == org.partnership_id)


def sessions_to_book(user) -> list[TrainingSession]:
    """Upcoming sessions open to the person, not cancelled."""
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(_open_to(user), TrainingSession.starts_at > now())
            .where(TrainingSession.cancelled_at.is_(None))
            .order_by(TrainingSession.starts_at)
        )
    )


def bookings_of(user) -> list[Booking]:
    """The person's bookings and waiting-list places for sessions not yet over."""
    return list(
        db.session.scalars(
            select(Booking)
            .join(TrainingSession)
            .where(Booking.user_id == user.id, Booking.cancelled_at.is_(None))
            .where(TrainingSession.ends_at >= now())
            .options(selectinload(Booking.session))
            .order_by(TrainingSession.starts_at)
        )
    )


def booking_of(user, session: TrainingSession) -> Booking | None:
    return db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.user_id == user.id)
    ).first()


def visible_session_or_404(user, session_id: int) -> TrainingSession:
    """A session the person manages, may book, has booked, or took part in."""
    session = found_or_404(db.session.get(TrainingSession, session_id))
    if can_run_sessions(user) and (user.has_role("admin") or session.trainer_id == user.id):
        return session
    open_to_them = db.session.scalar(
        select(func.count()).where(_open_to(user), TrainingSession.id == session_id)
    )
    involved = db.session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(Booking.session_id == session_id, Booking.user_id == user.id)
    ) or db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.session_id == session_id, Attendance.user_id == user.id)
    )
    return session if open_to_them or involved else found_or_404(None)


def places_taken(session: TrainingSession) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(Booking.session_id == session.id, Booking.place.is_not(None))
    )


def waiting_list(session: TrainingSession) -> list[Booking]:
    """People waiting, first come first served."""
    return list(
        db.session.scalars(
            select(Booking)
            .where(Booking.session_id == session.id, Booking.place.is_(None))
            .where(Booking.cancelled_at.is_(None))
            .order_by(Booking.created_at, Booking.id)
        )
    )


# Who a browser joined as, with the session they joined: one read, built once.
PARTICIPANT_READ = (
    select(Participant)
    .where(
        Participant.id == bindparam("participant_id"),
        Participant.session_id == bindparam("session_id"),
    )
    .options(joinedload(Participant.session))
)


def participant_in(session_id: int, participant_id: int | None) -> Participant | None:
    if participant_id is None:
        return None
    return db.session.scalars(
        PARTICIPANT_READ, {"participant_id": participant_id, "session_id": session_id}
    ).first()


# The state every phone polls for: one read of the session's row by its key, built once.
STATE_READ = select(
    TrainingSession.state_version,
    TrainingSession.live_case_id,
    TrainingSession.live_stage,
    TrainingSession.live_phase,
).where(TrainingSession.id == bindparam("session_id"))


# The same, holding the row against the presenter's next step until the transaction ends
# (FOR SHARE on PostgreSQL; SQLite has no row locks, and its one writer holds the database).
STATE_READ_LOCKED = STATE_READ.with_for_update(read=True)


def live_state(session_id: int, locked: bool = False):
    """The session's live state, as a Core read on the request's own connection.

    Without the ORM's object machinery: hundreds of phones ask every 2 seconds.
    """
    read = STATE_READ_LOCKED if locked else STATE_READ
    return db.session.connection().execute(read, {"session_id": session_id}).first()


def vote_counts(session: TrainingSession, catalogue: Catalogue) -> dict:
    """How the room has voted on the current stage, split by agency (one grouped read)."""
    if session.live_case_id is None:
        return split_by_agency([], None)
    return counts_for(session, catalogue, session.live_case_id, session.live_stage)


# How a stage was voted, per choice and agency: one grouped read that ix_vote_count covers.
COUNTS_READ = (
    select(Vote.choice_id, Vote.agency, func.count())
    .where(
        Vote.session_id == bindparam("session_id"),
        Vote.case_id == bindparam("case_id"),
        Vote.stage == bindparam("stage"),
    )
    .group_by(Vote.choice_id, Vote.agency)
)


def counts_for(session: TrainingSession, catalogue: Catalogue, case_id: str, stage: int) -> dict:
    rows = db.session.execute(
        COUNTS_READ, {"session_id": session.id, "case_id": case_id, "stage": stage}
    ).all()
    stages = live_stages(catalogue, case_id)
    step = stages[stage].step if stage < len(stages) else None
    return split_by_agency(rows, step)


VOTE_READ = select(Vote).where(
    Vote.participant_id == bindparam("participant_id"),
    Vote.case_id == bindparam("case_id"),
    Vote.stage == bindparam("stage"),
)


def vote_of(participant: Participant, session: TrainingSession) -> Vote | None:
    values = {
        "participant_id": participant.id,
        "case_id": session.live_case_id,
        "stage": session.live_stage,
    }
    return db.session.scalars(VOTE_READ, values).first()


@dataclass(frozen=True)
class RegisterRow:
    name: str
    agency: str
    organisation: str
    booking: str  # booked, waiting, cancelled or "" (walked in)
    joined: bool
    present: bool | None  # None: not marked yet
    user_id: int | None


def register_rows(session: TrainingSession) -> list[RegisterRow]:
    """Everyone booked or in the room, signed-in people first by name, then guests."""
    bookings = {
        b.user_id: b
        for b in db.session.scalars(
            select(Booking)
            .where(Booking.session_id == session.id)
            .options(selectinload(Booking.user).joinedload(User.organisation))
        )
    }
    attendance = {
        a.user_id: a.is_present
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id))
    }
    participants = list(
        db.session.scalars(select(Participant).where(Participant.session_id == session.id))
    )
    joined = {p.user_id: p for p in participants if p.user_id}
    people = {b.user_id: b.user for b in bookings.values()}
    missing = (set(joined) | set(attendance)) - set(people)
    if missing:
        people.update(
            (u.id, u)
            for u in db.session.scalars(
                select(User).where(User.id.in_(missing)).options(selectinload(User.organisation))
            )
        )
    rows = [
        RegisterRow(
            name=user.name,
            agency=joined[user.id].agency if user.id in joined else user.sector,
            organisation=user.organisation.name if user.organisation else user.organisation_other,
            booking=bookings[user.id].status if user.id in bookings else "",
            joined=user.id in joined,
            present=attendance.get(user.id),
            user_id=user.id,
        )
        for user in sorted(people.values(), key=lambda u: u.name.lower())
    ]
    guests = sorted((p for p in participants if p.is_guest), key=lambda p: p.display_name.lower())
    rows += [RegisterRow(p.display_name, p.agency, "Guest", "", True, True, None) for p in guests]
    return rows


def feedback_for(session: TrainingSession) -> list[SessionFeedback]:
    return list(
        db.session.scalars(
            select(SessionFeedback)
            .where(SessionFeedback.session_id == session.id)
            .order_by(SessionFeedback.created_at)
        )
    )


def partnerships() -> list[Partnership]:
    return list(db.session.scalars(select(Partnership).order_by(Partnership.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


@dataclass(frozen=True)
class AttendeeProgress:
    user: User
    courses: list[CourseProgress]


def attendees_progress(catalogue: Catalogue, user) -> list[AttendeeProgress]:
    """Course progress of people marked present at sessions the person manages; nobody else."""
    managed = _managed_by(user).with_only_columns(TrainingSession.id)
    people = db.session.scalars(
        select(User)
        .where(
            User.id.in_(
                select(Attendance.user_id).where(
                    Attendance.session_id.in_(managed), Attendance.is_present.is_(True)
                )
            )
        )
        .order_by(User.name)
    )
    return [
        AttendeeProgress(
            person, [progress_in(catalogue, person.id, c) for c in _courses(catalogue)]
        )
        for person in people
    ]


def _courses(catalogue: Catalogue):
    return list(catalogue.courses.values())


def can_book(session: TrainingSession) -> bool:
    return not session.is_cancelled and session.starts_at > now()


def session_page(catalogue: Catalogue, user, session: TrainingSession) -> dict:
    """What the session page shows the person: its content, places, and their booking."""
    manages = can_run_sessions(user) and (user.has_role("admin") or session.trainer_id == user.id)
    return {
        "course": catalogue.courses.get(session.course_id),
        "modules": [catalogue.modules[m] for m in session.module_ids if m in catalogue.modules],
        "cases": [catalogue.cases[c] for c in session.case_ids if c in catalogue.cases],
        "booking": booking_of(user, session),
        "places_taken": places_taken(session),
        "waiting": len(waiting_list(session)),
        "manages": manages,
        "bookable": can_book(session),
        "is_over": session.ends_at < now(),
    }


@dataclass(frozen=True)
class ChoiceResult:
    id: str
    text: str
    total: int
    by_agency: dict[str, int]
    is_best: bool
    feedback_html: str

    def percent(self, of: int) -> int:
        return round(100 * self.total / of) if of else 0


def choice_results(step, counts: dict) -> list[ChoiceResult]:
    if step is None:
        return []
    best = max(c.score for c in step.choices)
    return [
        ChoiceResult(
            c.id,
            c.text,
            counts["choices"].get(c.id, {}).get("total", 0),
            counts["choices"].get(c.id, {}).get("by_agency", {}),
            c.score == best,
            c.feedback_html,
        )
        for c in step.choices
    ]


@dataclass(frozen=True)
class Reveal:
    """A stage's votes as the room is shown them, the same on the presenter's screen and phones."""

    results: list[ChoiceResult]
    total: int
    agencies: list[str]  # the split by agency; empty while the presenter keeps it hidden
    shows_best: bool


def shows_results(session: TrainingSession) -> bool:
    return session.live_phase in ("results", "feedback")


def reveal_of(session: TrainingSession, step, counts: dict) -> Reveal | None:
    """What the room sees of the votes: nothing until the presenter shows the results."""
    if step is None or not shows_results(session):
        return None
    return Reveal(
        results=choice_results(step, counts),
        total=counts["total"],
        agencies=counts["agencies"] if session.show_agencies else [],
        shows_best=session.show_best,
    )


@dataclass(frozen=True)
class PresenterView:
    case: object | None
    stages: list
    stage: object | None
    counts: dict
    results: list[ChoiceResult]
    reveal: Reveal | None
    moves: list[str]


def presenter_view(catalogue: Catalogue, session: TrainingSession) -> PresenterView:
    case = catalogue.cases.get(session.live_case_id) if session.live_case_id else None
    stages = live_stages(catalogue, session.live_case_id) if case else []
    stage = stages[session.live_stage] if session.live_stage < len(stages) else None
    step = stage.step if stage else None
    counts = vote_counts(session, catalogue)
    moves = list(MOVES.get(session.live_phase, {})) if step else []
    return PresenterView(
        case,
        stages,
        stage,
        counts,
        choice_results(step, counts),
        reveal_of(session, step, counts),
        moves,
    )


def presenter_state(catalogue: Catalogue, session: TrainingSession) -> tuple[dict, str]:
    """The presenter's poll: the state plus the counts so far, and a tag that changes with them."""
    payload = {**state_payload(session), "counts": vote_counts(session, catalogue)}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]
    return payload, digest


@dataclass(frozen=True)
class RoomView:
    session: TrainingSession
    participant: Participant
    stage: object | None
    stage_key: str
    choices: list[tuple[str, str]]
    my_vote: Vote | None
    reveal: Reveal | None
    can_claim: bool


def room_view(catalogue: Catalogue, participant: Participant, user) -> RoomView:
    """What a participant's phone shows: the current stage only, and their own answer."""
    session = participant.session
    stages = live_stages(catalogue, session.live_case_id) if session.live_case_id else []
    stage = stages[session.live_stage] if session.live_stage < len(stages) else None
    step = stage.step if stage else None
    counts = vote_counts(session, catalogue) if step and shows_results(session) else None
    return RoomView(
        session=session,
        participant=participant,
        stage=stage,
        stage_key=f"{session.live_case_id}:{session.live_stage}",
        choices=[(c.id, c.text) for c in step.choices] if step else [],
        my_vote=vote_of(participant, session) if step else None,
        reveal=reveal_of(session, step, counts),
        can_claim=participant.is_guest and user.is_authenticated,
    )


@dataclass(frozen=True)
class StageSummary:
    case_title: str
    heading: str
    question_html: str
    total: int
    agencies: list[str]
    results: list[ChoiceResult]


@dataclass(frozen=True)
class SessionSummary:
    attendance: dict[str, int]  # agency -> people present
    present: int
    stages: list[StageSummary]
    feedback: list[SessionFeedback]
    average_rating: float | None


def summary_of(catalogue: Catalogue, session: TrainingSession) -> SessionSummary:
    """Attendance by agency, each stage's votes by agency against the best, and feedback."""
    attendance: dict[str, int] = {}
    for row in register_rows(session):
        if row.present:
            attendance[row.agency] = attendance.get(row.agency, 0) + 1
    stages = []
    for case_id in session.case_ids:
        case = catalogue.cases.get(case_id)
        for index, stage in enumerate(live_stages(catalogue, case_id)):
            if case is None or stage.step is None:
                continue
            counts = counts_for(session, catalogue, case_id, index)
            stages.append(
                StageSummary(
                    case.title,
                    stage.heading,
                    stage.step.text_html,
                    counts["total"],
                    counts["agencies"],
                    choice_results(stage.step, counts),
                )
            )
    feedback = feedback_for(session)
    average = sum(f.rating for f in feedback) / len(feedback) if feedback else None
    return SessionSummary(
        dict(sorted(attendance.items())), sum(attendance.values()), stages, feedback, average
    )


@dataclass(frozen=True)
class Handouts:
    modules: list
    cases: list[tuple[object, list]]


def handouts_of(catalogue: Catalogue, session: TrainingSession) -> Handouts:
    """Module summaries, and each case stage by stage with the question asked there."""
    return Handouts(
        modules=[catalogue.modules[m] for m in session.module_ids if m in catalogue.modules],
        cases=[
            (catalogue.cases[c], live_stages(catalogue, c))
            for c in session.case_ids
            if c in catalogue.cases
        ],
    )
