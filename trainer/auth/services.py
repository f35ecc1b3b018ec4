"""Accounts: creating them, checking credentials and handling emailed links.

Every answer is the same whether or not an account exists, so no page or timing tells a
stranger who has an account here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from flask import current_app, render_template
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from trainer.extensions import db
from trainer.mail import send_email
from trainer.models import ROLES, Organisation, RoleGrant, User, audit
from trainer.web import external_url

from . import tokens

CONFIRM = "confirm-email"
RESET = "reset-password"


class AccountError(ValueError):
    """An account cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class SignIn:
    user: User | None
    needs_confirmation: bool = False


@cache
def _dummy_hash() -> str:
    """Checked when no account matches, so a wrong email costs as long as a wrong password.
    Made on first use: hashing at import would slow every start and every worker."""
    return generate_password_hash("not-a-real-password")


def _find(email: str) -> User | None:
    return db.session.scalars(db.select(User).where(User.email == email.strip().lower())).first()


def authenticate(email: str, password: str) -> SignIn:
    user = _find(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        audit.record("sign-in failed")
        outcome = SignIn(None)
    elif not user.check_password(password) or not user.is_active:
        audit.record("sign-in failed", actor_id=user.id)
        outcome = SignIn(None)
    elif user.email_confirmed_at is None:
        # Only someone who knows the password learns the account is unconfirmed.
        _send_confirmation(user)
        outcome = SignIn(None, needs_confirmation=True)
    else:
        audit.record("signed in", actor_id=user.id)
        outcome = SignIn(user)
    db.session.commit()
    return outcome


# Built once, as every signed-in request asks it: the person and their roles in one query
# (every page's navigation depends on the roles).
_USER = db.select(User).options(joinedload(User.roles)).where(User.id == db.bindparam("user_id"))


def load_user(session_id: str) -> User | None:
    """The person a session belongs to, unless they have since ended their sessions."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.execute(_USER, {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or user.session_version != int(version):
        return None
    return user


def sign_out(user: User) -> None:
    """Signing out ends the session everywhere: a copied cookie no longer works."""
    user.end_sessions()
    audit.record("signed out", actor_id=user.id)
    db.session.commit()


def create_user(
    email: str,
    name: str,
    password: str,
    roles: list[str],
    organisation: Organisation | None = None,
    sector: str = "other",
    job_role: str = "",
    confirmed: bool = True,
) -> User:
    """Add a person with their roles to the session; the caller commits."""
    email = email.strip().lower()
    if _find(email):
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
        email_confirmed_at=datetime.now(UTC) if confirmed else None,
        roles=[RoleGrant(role=role) for role in roles],
    )
    user.set_password(password)
    db.session.add(user)
    return user


def register(
    email: str,
    name: str,
    password: str,
    organisation_id: str,
    organisation_other: str,
    sector: str,
    job_role: str,
) -> None:
    """Create a learner account awaiting email confirmation, or tell the owner of an existing one.

    Both paths hash the password and send one email, so their timing does not tell a
    stranger whether the address has an account.
    """
    existing = _find(email)
    if existing is None:
        organisation = (
            db.session.get(Organisation, int(organisation_id))
            if organisation_id.isdigit()
            else None
        )
        try:
            user = create_user(
                email, name, password, ["learner"], organisation, sector, job_role, confirmed=False
            )
            user.organisation_other = "" if organisation else organisation_other
            db.session.flush()
        except (AccountError, IntegrityError):  # the same address registered at the same moment
            db.session.rollback()
            existing = _find(email)
        else:
            audit.record("registered", actor_id=user.id)
            _send_confirmation(user)
            db.session.commit()
            return
    generate_password_hash(password)  # the work the other path does: see the docstring
    _tell_owner_of_existing_account(existing)


def _tell_owner_of_existing_account(existing: User) -> None:
    _email(
        existing,
        "Your Information Sharing Training account",
        "emails/already_registered.txt",
        sign_in_url=external_url("auth.login"),
        reset_url=external_url("auth.reset"),
    )
    audit.record("registration for existing account", actor_id=existing.id)
    db.session.commit()


def confirm_email(token: str) -> User | None:
    found = tokens.find_usable(token, CONFIRM)
    if found is None:
        return None
    user = db.session.get(User, found.user_id)
    user.email_confirmed_at = datetime.now(UTC)
    tokens.spend(found)
    audit.record("email confirmed", actor_id=user.id)
    db.session.commit()
    return user


def confirmation_link_was_used(token: str) -> bool:
    """The link was one we sent and has been used: the address it confirms is confirmed."""
    found = tokens.find(token, CONFIRM)
    return found is not None and found.used_at is not None


def resend_confirmation(email: str) -> None:
    """A new link for an account still waiting to be confirmed; nothing for any other address.
    The page afterwards says the same either way."""
    user = _find(email)
    if user is None or user.email_confirmed_at is not None or not user.is_active:
        audit.record("confirmation link asked for, none sent")
    else:
        _send_confirmation(user)
        audit.record("confirmation link sent again", actor_id=user.id)
    db.session.commit()


def request_reset(email: str) -> None:
    user = _find(email)
    if user is None or not user.is_active:
        audit.record("password reset requested for unknown address")
    else:
        _send_link(
            user, RESET, "auth.new_password", "Reset your password", "emails/reset_password.txt"
        )
        audit.record("password reset requested", actor_id=user.id)
    db.session.commit()


def reset_link_is_usable(token: str) -> bool:
    return tokens.find_usable(token, RESET) is not None


def reset_password(token: str, password: str) -> User | None:
    found = tokens.find_usable(token, RESET)
    if found is None:
        return None
    user = db.session.get(User, found.user_id)
    user.set_password(password)
    # Following a link from the inbox also proves the address is theirs.
    user.email_confirmed_at = user.email_confirmed_at or datetime.now(UTC)
    tokens.spend(found)
    audit.record("password reset", actor_id=user.id)
    db.session.commit()
    return user


def _send_confirmation(user: User) -> None:
    _send_link(
        user, CONFIRM, "auth.confirm", "Confirm your email address", "emails/confirm_email.txt"
    )


def _send_link(user: User, purpose: str, endpoint: str, subject: str, template: str) -> None:
    """An email whose link, to the endpoint, carries a new token for this purpose."""
    token = tokens.issue(user, purpose, current_app.config["ACCOUNT_LINK_HOURS"])
    _email(user, subject, template, link=external_url(endpoint, token=token))


def _email(user: User, subject: str, template: str, **values) -> None:
    """Account emails carry nothing a stranger typed: they may reach an address before its
    owner has confirmed anything, so the name given at registration is left out."""
    body = render_template(template, hours=current_app.config["ACCOUNT_LINK_HOURS"], **values)
    send_email(user.email, subject, body)
