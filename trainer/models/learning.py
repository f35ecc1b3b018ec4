"""What learners did: modules read, quiz attempts with every answer as given, completions.

Facts are stored as they happened. An attempt keeps the content version it was taken
against and its result as scored when it finished, so correcting a quiz later never
rewrites anyone's history.

Reads and completions belong to a cycle: how many times the person had completed the course
before. The database holds one read of a module and one completion per cycle, so identical
requests arriving together cannot store a fact twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db

from .types import UTCDateTime, utcnow


def cycle_under_way(context) -> int:
    """Default cycle of a new row: one past the person's latest completion of the course."""
    row = context.get_current_parameters()
    completions = CourseCompletion.__table__.c
    latest = context.connection.scalar(
        select(func.max(completions.cycle)).where(
            completions.user_id == row["user_id"], completions.course_id == row["course_id"]
        )
    )
    return 0 if latest is None else latest + 1


class ModuleRead(db.Model):
    __table_args__ = (
        UniqueConstraint(
            "user_id", "course_id", "module_id", "cycle", name="module_read_once_per_cycle"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(120))
    module_id: Mapped[str] = mapped_column(String(120))
    cycle: Mapped[int] = mapped_column(default=cycle_under_way)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attempt(db.Model):
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        CheckConstraint("score IS NULL OR score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[str] = mapped_column(String(120))
    number: Mapped[int]
    content_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None]
    max_score: Mapped[int | None]
    percent: Mapped[int | None]
    passed: Mapped[bool | None]
    # The questions drawn and the order of every choice and option, written once at the start
    # (trainer.quiz.presentation); None for attempts begun before it was stored.
    presentation: Mapped[dict | None] = mapped_column(JSON)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt",
        cascade="all, delete-orphan",
        order_by="Answer.position",
        lazy="selectin",
    )
    decision_record: Mapped[DecisionRecord | None] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(db.Model):
    """One answer as given: a choice id for a scenario step, any JSON value for a question."""

    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    item_id: Mapped[str] = mapped_column(String(120))
    value: Mapped[object] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class DecisionRecord(db.Model):
    """The record a learner would keep at the end of a scenario: private to them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[str] = mapped_column(Text)
    shared_with: Mapped[str] = mapped_column(Text)
    when: Mapped[str] = mapped_column(Text)
    reasons: Mapped[str] = mapped_column(Text)
    lawful_basis: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="decision_record")


class CourseCompletion(db.Model):
    """A course completed: a retake adds another row and never erases the earlier one."""

    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "cycle", name="course_completion_once_per_cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(120))
    cycle: Mapped[int] = mapped_column(default=cycle_under_way)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    refresher_due: Mapped[date]
    cpd_minutes: Mapped[int]
