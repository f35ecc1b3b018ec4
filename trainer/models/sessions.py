"""Training sessions run by trainers: bookings, the people who join, votes, register, feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db

from .people import Organisation, Partnership, User
from .types import UTCDateTime, utcnow

# What the room is doing with the current stage of a case, in the order a trainer moves.
LIVE_PHASES = ("story", "voting", "paused", "closed", "results", "feedback")

session_organisation = Table(
    "training_session_organisation",
    db.metadata,
    Column(
        "session_id",
        ForeignKey("training_session.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class TrainingSession(db.Model):
    """A session a trainer runs, face to face or online, and the live state of its room."""

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "live_phase IN ('story', 'voting', 'paused', 'closed', 'results', 'feedback')",
            name="known_live_phase",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[str] = mapped_column(String(120))
    module_ids: Mapped[list] = mapped_column(JSON, default=list)
    case_ids: Mapped[list] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int]
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="SET NULL"), index=True
    )
    agencies: Mapped[list] = mapped_column(JSON, default=list)  # sectors it aims to bring together
    join_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised on every change people were told about, so calendars replace the old event.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    live_case_id: Mapped[str | None] = mapped_column(String(120))
    live_stage: Mapped[int] = mapped_column(default=0)
    live_phase: Mapped[str] = mapped_column(String(20), default="story")
    show_agencies: Mapped[bool] = mapped_column(default=True)
    show_best: Mapped[bool] = mapped_column(default=True)
    # Raised by every change of the live state: the polling address's ETag.
    state_version: Mapped[int] = mapped_column(default=1)

    trainer: Mapped[User | None] = relationship()
    partnership: Mapped[Partnership | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(secondary=session_organisation)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Booking(db.Model):
    """A place booked, or a place on the waiting list (no place number yet).

    Place numbers are unique within a session and run from 1 to the capacity, so two people
    booking the last place at once cannot both get it.
    """

    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        UniqueConstraint("session_id", "place"),
        CheckConstraint("place IS NULL OR place > 0", name="place_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    place: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session: Mapped[TrainingSession] = relationship()
    user: Mapped[User] = relationship()

    @property
    def status(self) -> str:
        if self.cancelled_at is not None:
            return "cancelled"
        return "booked" if self.place is not None else "waiting"


class BookingReminder(db.Model):
    """A day-before reminder sent for a booking at a start time, so it is never sent twice."""

    __table_args__ = (UniqueConstraint("booking_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Participant(db.Model):
    """Someone in the room: a signed-in person, or a guest known only by name and agency."""

    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(80))
    agency: Mapped[str] = mapped_column(String(40))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TrainingSession] = relationship()

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class Attendance(db.Model):
    """The register: whether a signed-in person was present, marked on joining or by the trainer."""

    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    is_present: Mapped[bool]
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TrainingSession] = relationship()
    user: Mapped[User] = relationship()


class Vote(db.Model):
    """One participant's choice at one stage of a case; changed in place until voting closes.

    The agency is copied from the participant so the split by agency needs no join, and
    survives the guest's removal after the retention period.
    """

    __table_args__ = (
        UniqueConstraint("session_id", "case_id", "stage", "participant_id"),
        Index("ix_vote_count", "session_id", "case_id", "stage", "choice_id", "agency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"))
    case_id: Mapped[str] = mapped_column(String(120))
    stage: Mapped[int]
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    choice_id: Mapped[str] = mapped_column(String(120))
    agency: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SessionFeedback(db.Model):
    """A participant's rating (1 to 5) and comment on the session; one each, changeable."""

    __table_args__ = (
        UniqueConstraint("session_id", "participant_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_one_to_five"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    agency: Mapped[str] = mapped_column(String(40))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
