"""An append-only log of events that matter for accountability: sign-ins, exports, changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db

from .types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


def record(action: str, actor_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    event = AuditEvent(action=action, actor_id=actor_id, details=details)
    db.session.add(event)
    return event


def purge_older_than(cutoff: datetime) -> int:
    """Delete events from before cutoff; the caller commits."""
    result = db.session.execute(db.delete(AuditEvent).where(AuditEvent.at < cutoff))
    return result.rowcount or 0
