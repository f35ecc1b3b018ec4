"""A person's own data: everything we hold about them, to download or to erase."""

from __future__ import annotations

from datetime import date, datetime

from trainer.content.model import RECORD_PARTS
from trainer.events import account_deleting
from trainer.extensions import db
from trainer.models import (
    Attempt,
    Certificate,
    CourseCompletion,
    ExternalActivity,
    ModuleRead,
    Reflection,
    RoleGrant,
    User,
    audit,
)
from trainer.models.audit import AuditEvent


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def download_personal_data(user: User) -> dict:
    """The person's data, with the download kept in the audit log."""
    audit.record("downloaded own data", actor_id=user.id)
    db.session.commit()
    return export_personal_data(user)


def export_personal_data(user: User) -> dict:
    """Everything held about the person, in plain JSON-ready values (UK GDPR right of access)."""
    completions = list(_rows(CourseCompletion, user))
    return {
        "profile": _profile(user),
        "modules_read": [
            {"course": r.course_id, "module": r.module_id, "read_at": _when(r.read_at)}
            for r in _rows(ModuleRead, user)
        ],
        "quiz_attempts": [_attempt(a) for a in _rows(Attempt, user)],
        "course_completions": [
            {
                "course": c.course_id,
                "completed_at": _when(c.completed_at),
                "refresher_due": _when(c.refresher_due),
            }
            for c in completions
        ],
        "certificates": [
            {"code": c.code, "course": c.course_title, "revoked_at": _when(c.revoked_at)}
            for c in db.session.scalars(
                db.select(Certificate).where(
                    Certificate.completion_id.in_([c.id for c in completions])
                )
            )
        ],
        "cpd_activities": [_activity(x) for x in _rows(ExternalActivity, user)],
        "reflections": [
            {"entry": r.entry_key, "answers": r.answers} for r in _rows(Reflection, user)
        ],
    }


def _rows(model, user: User):
    return db.session.scalars(db.select(model).where(model.user_id == user.id))


def _profile(user: User) -> dict:
    return {
        "name": user.name,
        "email": user.email,
        "organisation": user.organisation.name if user.organisation else user.organisation_other,
        "sector": user.sector,
        "job_role": user.job_role,
        "roles": sorted(user.role_names),
        "cpd_framework": user.cpd_framework,
        "cpd_cycle_start": _when(user.cpd_cycle_start),
        "created_at": _when(user.created_at),
    }


def _attempt(attempt: Attempt) -> dict:
    record = attempt.decision_record
    return {
        "quiz": attempt.quiz_id,
        "number": attempt.number,
        "content_version": attempt.content_version,
        "started_at": _when(attempt.started_at),
        "finished_at": _when(attempt.finished_at),
        "percent": attempt.percent,
        "passed": attempt.passed,
        "answers": [{"item": x.item_id, "answer": x.value} for x in attempt.answers],
        "decision_record": {name: getattr(record, name) for name, _label in RECORD_PARTS}
        if record
        else None,
    }


def _activity(activity: ExternalActivity) -> dict:
    return {
        "title": activity.title,
        "provider": activity.provider,
        "type": activity.activity_type,
        "date": _when(activity.done_on),
        "minutes": activity.minutes,
        "participatory_minutes": activity.participatory_minutes,
        "notes": activity.notes,
    }


def delete_account(user: User, reason: str = "by its owner") -> None:
    """Erase the person and everything that hangs off them (the database cascades).

    Receivers of account_deleting first keep what must outlive the account, unnamed.
    """
    audit.record("account deleted", user_id=user.id, reason=reason)
    account_deleting.send(user)
    db.session.delete(user)
    db.session.commit()


def purge_inactive_accounts(cutoff: datetime) -> int:
    """Delete accounts made before cutoff that nobody has signed in to since, keeping their
    completions as anonymous counts (as any deletion does). Administrators are kept, so the
    service is never left without one."""
    recently_signed_in = db.select(AuditEvent.actor_id).where(
        AuditEvent.action == "signed in", AuditEvent.at >= cutoff, AuditEvent.actor_id.is_not(None)
    )
    admins = db.select(RoleGrant.user_id).where(RoleGrant.role == "admin")
    inactive = db.session.scalars(
        db.select(User).where(
            User.created_at < cutoff, User.id.not_in(recently_signed_in), User.id.not_in(admins)
        )
    ).all()
    for user in inactive:
        delete_account(user, reason="inactive")
    return len(inactive)


def set_framework(user: User, framework_id: str, cycle_start: date | None) -> None:
    """The professional framework the person keeps CPD for, and when their period began."""
    user.cpd_framework = framework_id
    user.cpd_cycle_start = cycle_start
    db.session.commit()
