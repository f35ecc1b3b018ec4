"""CPD: activities done elsewhere, private reflections, certificates and reminders sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db

from .types import UTCDateTime, utcnow

ACTIVITY_TYPES: dict[str, str] = {
    "e-learning": "E-learning",
    "scenario": "Scenario",
    "facilitated-session": "Facilitated session",
    "peer-discussion": "Peer discussion",
    "other": "Other",
}


class ExternalActivity(db.Model):
    """CPD the learner did elsewhere and added by hand.

    `submit_token` is the one-time value of the form that added it: the same form sent twice
    (a double click, a retry) adds one row. Rows added without one are not checked.
    """

    __table_args__ = (
        UniqueConstraint("user_id", "submit_token", name="external_activity_submitted_once"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint(
            "participatory_minutes >= 0 AND participatory_minutes <= minutes",
            name="participatory_within_minutes",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    activity_type: Mapped[str] = mapped_column(String(30))
    done_on: Mapped[date]
    minutes: Mapped[int]
    participatory_minutes: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    submit_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reflection(db.Model):
    """A learner's private reflection on one CPD entry; never shown to anyone else."""

    __table_args__ = (UniqueConstraint("user_id", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    entry_key: Mapped[str] = mapped_column(String(80))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Certificate(db.Model):
    """Proof of a completion that anyone holding the code can check at /verify/<code>."""

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("course_completion.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(40), unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    content_version: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_on: Mapped[date]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    completion = relationship("CourseCompletion", lazy="joined")


class ReminderSent(db.Model):
    """One refresher reminder sent, so a daily run never sends it twice."""

    __table_args__ = (UniqueConstraint("completion_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("course_completion.id", ondelete="CASCADE"), index=True
    )
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
