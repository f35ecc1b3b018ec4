"""What administrators look at. Every view in this area needs the admin role (checked once,
in the blueprint); records that do not exist are "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_

from trainer.extensions import db
from trainer.formats import LONDON, normalise_certificate_code
from trainer.models import (
    AuditEvent,
    Certificate,
    CourseCompletion,
    ImportBatch,
    LeadScope,
    Organisation,
    Partnership,
    Team,
    User,
)
from trainer.web import found_or_404

PAGE_SIZE = 50


def is_admin(user) -> bool:
    return user.is_authenticated and user.has_role("admin")


def organisation_or_404(org_id: int) -> Organisation:
    return found_or_404(db.session.get(Organisation, org_id))


def person_or_404(user_id: int) -> User:
    return found_or_404(db.session.get(User, user_id))


def batch_or_404(batch_id: int) -> ImportBatch:
    return found_or_404(db.session.get(ImportBatch, batch_id))


def certificate_or_404(certificate_id: int) -> Certificate:
    return found_or_404(db.session.get(Certificate, certificate_id))


def organisations() -> list[tuple[Organisation, int]]:
    """Every organisation with how many people belong to it."""
    people = (
        db.select(User.organisation_id, func.count().label("people"))
        .group_by(User.organisation_id)
        .subquery()
    )
    return db.session.execute(
        db.select(Organisation, func.coalesce(people.c.people, 0))
        .outerjoin(people, people.c.organisation_id == Organisation.id)
        .order_by(Organisation.name)
    ).all()


def organisation_choices(leave_out: int | None = None) -> list[tuple[str, str]]:
    found = db.session.execute(
        db.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    ).all()
    return [(str(org_id), name) for org_id, name in found if org_id != leave_out]


def partnerships() -> list[Partnership]:
    return list(db.session.scalars(db.select(Partnership).order_by(Partnership.name)))


def partnership_choices() -> list[tuple[str, str]]:
    return [(str(p.id), p.name) for p in partnerships()]


def team_choices(org_id: int | None) -> list[tuple[str, str]]:
    if org_id is None:
        return []
    teams = db.session.scalars(
        db.select(Team).where(Team.organisation_id == org_id).order_by(Team.name)
    )
    return [(str(team.id), team.name) for team in teams]


def people(search: str, org_id: int | None, page: int) -> tuple[list[User], int]:
    """People matching a name or email search, newest first; and how many pages there are."""
    query = db.select(User)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    if org_id is not None:
        query = query.where(User.organisation_id == org_id)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    found = db.session.scalars(
        query.order_by(User.name, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return list(found), max(1, -(-total // PAGE_SIZE))


def scopes_of(user: User) -> list[LeadScope]:
    return list(db.session.scalars(db.select(LeadScope).where(LeadScope.user_id == user.id)))


def not_listed() -> list[tuple[str, int]]:
    """Organisation names people typed at registration, with how many typed each."""
    name = func.trim(User.organisation_other)
    return db.session.execute(
        db.select(name, func.count())
        .where(User.organisation_id.is_(None), name != "")
        .group_by(name)
        .order_by(name)
    ).all()


def certificates(search: str) -> list[tuple[Certificate, User]]:
    """Certificates whose code (typed in any case, with or without its hyphens), or whose
    holder's email, matches the search."""
    if not search:
        return []
    return db.session.execute(
        db.select(Certificate, User)
        .join(CourseCompletion, Certificate.completion_id == CourseCompletion.id)
        .join(User, CourseCompletion.user_id == User.id)
        .where(
            or_(
                Certificate.code == normalise_certificate_code(search),
                User.email == search.lower(),
            )
        )
        .order_by(Certificate.issued_at.desc())
    ).all()


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    day_from: date | None = None
    day_to: date | None = None

    def as_audit(self) -> dict:
        chosen = {
            "action": self.action,
            "actor": self.actor,
            "from": self.day_from.isoformat() if self.day_from else "",
            "to": self.day_to.isoformat() if self.day_to else "",
        }
        return {key: value for key, value in chosen.items() if value}


def audit_actions() -> list[str]:
    return list(
        db.session.scalars(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def _audit_query(filters: AuditFilters):
    query = db.select(AuditEvent, User.email).outerjoin(User, AuditEvent.actor_id == User.id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.where(User.email == filters.actor.lower())
    if filters.day_from:
        query = query.where(AuditEvent.at >= datetime.combine(filters.day_from, time(), LONDON))
    if filters.day_to:
        end = datetime.combine(filters.day_to + timedelta(days=1), time(), LONDON)
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def audit_page(filters: AuditFilters, page: int) -> tuple[list, int]:
    query = _audit_query(filters)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return rows, max(1, -(-total // PAGE_SIZE))


def audit_rows(filters: AuditFilters):
    yield from db.session.execute(_audit_query(filters).execution_options(yield_per=1000))
