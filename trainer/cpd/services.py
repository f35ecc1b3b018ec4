"""Changing a CPD record: reflections on its entries and activities done elsewhere."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from trainer.content import Catalogue
from trainer.extensions import db
from trainer.models import ExternalActivity, Reflection, audit
from trainer.web import HIDDEN_CHARACTERS_MESSAGE, found_or_404, has_hidden_characters

from .record import Entry, entries_for


def record_exported(user_id: int, file_format: str) -> None:
    """Keep in the audit log that the learner downloaded their record."""
    audit.record("exported own CPD record", actor_id=user_id, format=file_format)
    db.session.commit()


def entry_or_404(catalogue: Catalogue, user_id: int, key: str) -> Entry:
    """One of the learner's own entries; anyone else's is not found."""
    return found_or_404(next((e for e in entries_for(catalogue, user_id) if e.key == key), None))


def reflection_problems(prompts, answers: dict[str, str]) -> dict[str, str]:
    """What to fix in a reflection before it is saved, by prompt id."""
    return {
        p.id: HIDDEN_CHARACTERS_MESSAGE
        for p in prompts
        if has_hidden_characters(answers.get(p.id, ""), multiline=True)
    }


REFLECTION_LIMIT = 4000  # characters an answer keeps: a long paste cannot fill the database


def save_reflection(user_id: int, key: str, answers: dict[str, str]) -> None:
    reflection = db.session.scalars(
        db.select(Reflection).where(Reflection.user_id == user_id, Reflection.entry_key == key)
    ).first() or Reflection(user_id=user_id, entry_key=key)
    # Keep answers to prompts of another framework the learner used before.
    reflection.answers = {
        **(reflection.answers or {}),
        **{k: v.strip()[:REFLECTION_LIMIT] for k, v in answers.items()},
    }
    db.session.add(reflection)
    db.session.commit()


def add_activity(user_id: int, submit_token: str | None = None, **values) -> ExternalActivity:
    """Add an activity once per form sent: the same form again returns the one it added."""
    activity = ExternalActivity(user_id=user_id, submit_token=submit_token or None, **values)
    db.session.add(activity)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        added = _added_with(user_id, submit_token) if submit_token else None
        if added is None:
            raise
        return added
    return activity


def _added_with(user_id: int, submit_token: str) -> ExternalActivity | None:
    return db.session.scalars(
        db.select(ExternalActivity).where(
            ExternalActivity.user_id == user_id, ExternalActivity.submit_token == submit_token
        )
    ).first()
