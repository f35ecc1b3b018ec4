"""Organisations, the people in them and the roles they hold."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db

from .types import UTCDateTime, utcnow

ROLES: dict[str, str] = {
    "learner": "Practitioner",
    "trainer": "Trainer",
    "lead": "Workforce lead",
    "admin": "Administrator",
}


class Partnership(db.Model):
    """A local safeguarding partnership: several organisations that train together."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(back_populates="partnership")


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(40))  # its agency type, one of content SECTORS
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partnership: Mapped[Partnership | None] = relationship(back_populates="organisations")
    members: Mapped[list[User]] = relationship(back_populates="organisation")
    teams: Mapped[list[Team]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class Team(db.Model):
    """A team inside one organisation, for reports and filters."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="teams")
    members: Mapped[list[User]] = relationship(back_populates="team")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    sector: Mapped[str] = mapped_column(String(40), default="other")
    job_role: Mapped[str] = mapped_column(String(200), default="")
    # Named by the person when their organisation is not in our list; an admin can link it.
    organisation_other: Mapped[str] = mapped_column(String(200), default="")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cpd_framework: Mapped[str] = mapped_column(String(40), default="other")
    # Start of the learner's current CPD period, for frameworks counted from a personal date.
    cpd_cycle_start: Mapped[date | None]
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Part of the id kept in each signed-in session: raising it signs the person out everywhere.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    team: Mapped[Team | None] = relationship(back_populates="members")
    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def role_names(self) -> set[str]:
        return {grant.role for grant in self.roles}

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    def get_id(self) -> str:
        """What a session remembers: the person and the version of their sessions."""
        return f"{self.id}.{self.session_version or 1}"

    def end_sessions(self) -> None:
        """Sign the person out of every browser: sessions made before now stop working."""
        self.session_version = (self.session_version or 1) + 1

    def set_password(self, password: str) -> None:
        """A new password also ends every session made with the old one."""
        if self.password_hash:
            self.end_sessions()
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class RoleGrant(db.Model):
    """One role held by one person; a person may hold several."""

    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint("role IN ('learner', 'trainer', 'lead', 'admin')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="roles")


class AccountToken(db.Model):
    """A single-use, time-limited link sent by email; only a hash of the token is kept."""

    __table_args__ = (
        CheckConstraint("purpose IN ('confirm-email', 'reset-password')", name="known_purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def organisation_choices() -> list[tuple[str, str]]:
    """Every organisation, by name, as (id, name) pairs for a select box."""
    found = db.session.execute(
        db.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    return [(str(org_id), name) for org_id, name in found]
