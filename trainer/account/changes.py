"""Changing one's own details, email address and password.

A new email address is confirmed by a signed link sent to it; the old address is told. The
link carries the old and new addresses, so it works once: after the change it no longer
matches the account.
"""

from __future__ import annotations

from flask import current_app, render_template
from itsdangerous import BadSignature, URLSafeTimedSerializer

from trainer.extensions import db
from trainer.forms import OTHER_ORGANISATION
from trainer.mail import send_email
from trainer.models import Organisation, User, audit
from trainer.web import external_url

EMAIL_CHANGE = "change-email"


def update_details(user: User, form) -> None:
    """Name, organisation, sector and job role. Certificates already issued keep the name
    they were issued with."""
    listed = form.organisation.data != OTHER_ORGANISATION
    user.name = form.name.data
    user.organisation = (
        db.session.get(Organisation, int(form.organisation.data)) if listed else None
    )
    user.organisation_other = "" if listed else form.organisation_other.data
    user.sector = form.sector.data
    user.job_role = form.job_role.data
    audit.record("changed own details", actor_id=user.id)
    db.session.commit()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=EMAIL_CHANGE)


def request_email_change(user: User, new_email: str) -> None:
    """Send the confirmation link to the new address and a notice to the current one."""
    new_email = new_email.strip().lower()
    token = _serializer().dumps({"user": user.id, "from": user.email, "to": new_email})
    hours = current_app.config["ACCOUNT_LINK_HOURS"]
    link = external_url("account.confirm_email", token=token)
    send_email(
        new_email,
        "Confirm your new email address",
        render_template("emails/change_email.txt", link=link, hours=hours),
    )
    if new_email != user.email:
        send_email(
            user.email,
            "Your email address is being changed",
            render_template("emails/email_change_notice.txt", new_email=new_email),
        )
    audit.record("asked to change own email", actor_id=user.id)
    db.session.commit()


def confirm_email_change(token: str) -> User | None:
    """Make the change a link asks for, or None when the link is wrong, old or used."""
    try:
        wanted = _serializer().loads(token, max_age=current_app.config["ACCOUNT_LINK_HOURS"] * 3600)
    except BadSignature:
        return None
    user = db.session.get(User, wanted.get("user", 0))
    taken = db.session.scalar(db.select(User.id).where(User.email == wanted.get("to")))
    if user is None or user.email != wanted.get("from") or taken:
        return None
    user.email = wanted["to"]
    audit.record("changed own email", actor_id=user.id)
    db.session.commit()
    return user


def change_password(user: User, new_password: str) -> None:
    """A new password ends every other session (the caller signs this one in again)."""
    user.set_password(new_password)
    audit.record("changed own password", actor_id=user.id)
    db.session.commit()
