"""A person's own data: everything we hold about them, to download or to erase."""

from __future__ import annotations

from datetime import date

from trainer.content.model import RECORD_PARTS
from trainer.extensions import db
from trainer.models import (
    Attempt,
    Certificate,
    CourseCompletion,
    ExternalActivity,
    ModuleRead,
    Reflection,
    User,
    audit,
)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(user: User) -> dict:
    """Everything held about the person, in plain JSON-ready values (UK GDPR right of access)."""

    def rows(model, *conditions):
        return db.session.scalars(db.select(model).where(model.user_id == user.id, *conditions))

    completions = list(rows(CourseCompletion))
    certificates = db.session.scalars(
        db.select(Certificate).where(Certificate.completion_id.in_([c.id for c in completions]))
    )
    return {
        "profile": {
            "name": user.name,
            "email": user.email,
            "organisation": user.organisation.name
            if user.organisation
            else user.organisation_other,
            "sector": user.sector,
            "job_role": user.job_role,
            "roles": sorted(user.role_names),
            "cpd_framework": user.cpd_framework,
            "cpd_cycle_start": _when(user.cpd_cycle_start),
            "created_at": _when(user.created_at),
        },
        "modules_read": [
            {"course": r.course_id, "module": r.module_id, "read_at": _when(r.read_at)}
            for r in rows(ModuleRead)
        ],
        "quiz_attempts": [
            {
                "quiz": a.quiz_id,
                "number": a.number,
                "content_version": a.content_version,
                "started_at": _when(a.started_at),
                "finished_at": _when(a.finished_at),
                "percent": a.percent,
                "passed": a.passed,
                "answers": [{"item": x.item_id, "answer": x.value} for x in a.answers],
                "decision_record": {
                    name: getattr(a.decision_record, name) for name, _label in RECORD_PARTS
                }
                if a.decision_record
                else None,
            }
            for a in rows(Attempt)
        ],
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
            for c in certificates
        ],
        "cpd_activities": [
            {
                "title": x.title,
                "provider": x.provider,
                "type": x.activity_type,
                "date": _when(x.done_on),
                "minutes": x.minutes,
                "participatory_minutes": x.participatory_minutes,
                "notes": x.notes,
            }
            for x in rows(ExternalActivity)
        ],
        "reflections": [{"entry": r.entry_key, "answers": r.answers} for r in rows(Reflection)],
    }


def delete_account(user: User) -> None:
    """Erase the person and everything that hangs off them (the database cascades)."""
    audit.record("account deleted", user_id=user.id)
    db.session.delete(user)
    db.session.commit()


def set_framework(user: User, framework_id: str, cycle_start: date | None) -> None:
    """The professional framework the person keeps CPD for, and when their period began."""
    user.cpd_framework = framework_id
    user.cpd_cycle_start = cycle_start
    db.session.commit()
