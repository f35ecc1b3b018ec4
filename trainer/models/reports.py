"""What reports need beyond the learning facts: who leads which organisations, the anonymous
completions a deleted account leaves behind, and CSV imports waiting to be confirmed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db

from .types import UTCDateTime, utcnow


class LeadScope(db.Model):
    """One organisation, or one whole partnership, that a workforce lead leads."""

    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        UniqueConstraint("user_id", "partnership_id"),
        CheckConstraint(
            "(organisation_id IS NULL) <> (partnership_id IS NULL)", name="one_kind_of_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )

    organisation = relationship("Organisation", lazy="joined")
    partnership = relationship("Partnership", lazy="joined")


class AnonymousCompletion(db.Model):
    """A deleted person's completion, kept as a count: no name, email or link to them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[str] = mapped_column(String(120))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refresher_due: Mapped[date]
    # The completion it was kept from: deleting the same account twice keeps it once.
    completion_id: Mapped[int] = mapped_column(unique=True)


class ImportBatch(db.Model):
    """An uploaded CSV of people, checked and shown as a preview; imported once, on confirm."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list] = mapped_column(JSON)  # the valid rows, ready to import
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
