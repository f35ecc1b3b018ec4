"""Checking credentials, with the same answer whether or not the account exists."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db
from trainer.models import ROLES, Organisation, RoleGrant, User, audit

# Checked when no account matches, so a wrong email costs as long as a wrong password and
# response times do not reveal who has an account.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalars(db.select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        audit.record("sign-in failed")
    elif not user.check_password(password) or not user.is_active:
        audit.record("sign-in failed", actor_id=user.id)
        user = None
    else:
        audit.record("signed in", actor_id=user.id)
    db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


def create_user(
    email: str,
    name: str,
    password: str,
    roles: list[str],
    organisation: Organisation | None = None,
    sector: str = "other",
    job_role: str = "",
) -> User:
    """Add a person with their roles to the session; the caller commits."""
    email = email.strip().lower()
    if db.session.scalars(db.select(User).where(User.email == email)).first():
        raise AccountError(f"an account with the email address {email} already exists")
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        raise AccountError(f"roles must be chosen from: {', '.join(ROLES)}")
    if len(password) < 12:
        raise AccountError("the password must be at least 12 characters long")
    user = User(
        email=email,
        name=name.strip(),
        organisation=organisation,
        sector=sector,
        job_role=job_role,
        roles=[RoleGrant(role=role) for role in roles],
    )
    user.set_password(password)
    db.session.add(user)
    return user
