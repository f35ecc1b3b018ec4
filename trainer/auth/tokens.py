"""Single-use, time-limited links for confirming an email address and resetting a password."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from trainer.extensions import db
from trainer.models import AccountToken, User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, purpose: str, hours: int) -> str:
    """A new token for the user; the caller commits. Only its hash is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_digest(token),
            expires_at=datetime.now(UTC) + timedelta(hours=hours),
        )
    )
    return token


def find(token: str, purpose: str) -> AccountToken | None:
    """The token of this purpose, used, expired or not; None when there is no such token."""
    return db.session.scalars(
        db.select(AccountToken).where(
            AccountToken.token_hash == _digest(token), AccountToken.purpose == purpose
        )
    ).first()


def find_usable(token: str, purpose: str) -> AccountToken | None:
    """The unexpired, unused token of this purpose, or None."""
    found = find(token, purpose)
    if found is None or found.used_at is not None or found.expires_at <= datetime.now(UTC):
        return None
    return found


def spend(found: AccountToken) -> None:
    """Use a token up, and every other open token of the same purpose for that person."""
    now = datetime.now(UTC)
    others = db.session.scalars(
        db.select(AccountToken).where(
            AccountToken.user_id == found.user_id,
            AccountToken.purpose == found.purpose,
            AccountToken.used_at.is_(None),
        )
    )
    for token in others:
        token.used_at = now
