"""Adding staff in bulk from a CSV: checked row by row, shown as a preview, imported once.

Columns (in any order, any case): name, email, organisation, team, job role, roles. Roles
are separated by semicolons or spaces; blank means learner. Each person imported gets an
email inviting them to set their password.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import render_template
from sqlalchemy.exc import IntegrityError

from trainer.extensions import db
from trainer.mail import send_email
from trainer.models import (
    ROLES,
    AccountToken,
    ImportBatch,
    Organisation,
    RoleGrant,
    Team,
    User,
    audit,
)
from trainer.web import external_url, has_hidden_characters

MAX_BYTES = 2 * 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # the rest of an upload form: a larger body is refused unread
MAX_ROWS = 5000
REQUIRED = ("name", "email", "organisation")
OPTIONAL = ("team", "job role", "roles")
INVITATION_HOURS = 7 * 24
HIDDEN_CHARACTERS = "Remove the hidden characters (control characters or text-direction marks)"
UNUSABLE_HASH = "!"  # matches no password: none works until they set one from the invitation


@dataclass
class Checked:
    """A file checked: rows ready to import, and what is wrong with the others."""

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    problem: str = ""  # the whole file cannot be read


def _column(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def check_file(data: bytes) -> Checked:
    """Read and check a whole file; nothing is written."""
    if len(data) > MAX_BYTES:
        return Checked(problem="The file must be smaller than 2 MB: split it into several files")
    text = _decode(data)
    if text is None:
        return Checked(
            problem="The file must be saved as CSV UTF-8: in Excel, choose Save As, then CSV UTF-8"
        )
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if any(has_hidden_characters(name) for name in reader.fieldnames or []):
        return Checked(problem=f"{HIDDEN_CHARACTERS} from the headings of the columns")
    columns = {_column(name): name for name in reader.fieldnames or []}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(columns) or "none"
        return Checked(
            problem=f"The file must have columns called name, email and organisation. Columns found: {found}"
        )
    return _check_rows(reader, columns)


def _check_rows(reader, columns: dict[str, str]) -> Checked:
    checked = Checked()
    organisations = {org.name.lower(): org for org in db.session.scalars(db.select(Organisation))}
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            checked.problem = (
                f"The file must have {MAX_ROWS:,} people or fewer: split it into several files"
            )
            return checked
        row = {
            name: (raw.get(columns.get(name, ""), "") or "").strip() for name in REQUIRED + OPTIONAL
        }
        message = _row_problem(row, organisations, seen)
        if message:
            checked.errors.append((number, message))
        else:
            checked.rows.append(row)
    if not checked.rows and not checked.errors:
        checked.problem = "The file has no people in it: add one person per row under the headings"
    return checked


def _row_problem(row: dict, organisations: dict, seen: set[str]) -> str:
    if any(has_hidden_characters(value) for value in row.values()):
        return HIDDEN_CHARACTERS
    if not row["name"]:
        return "Enter the person's name"
    if len(row["name"]) > 200 or len(row["job role"]) > 200:
        return "Name and job role must be 200 characters or fewer"
    # Imported by the one page that needs it: web workers start without it.
    from email_validator import EmailNotValidError, validate_email

    try:
        row["email"] = validate_email(row["email"], check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return f"Enter an email address in the correct format, like name@example.com (not {row['email'] or 'blank'})"
    if row["email"] in seen:
        return f"{row['email']} is in the file more than once"
    seen.add(row["email"])
    if db.session.scalar(db.select(User.id).where(User.email == row["email"])):
        return f"{row['email']} already has an account"
    org = organisations.get(row["organisation"].lower())
    if org is None:
        return f"No organisation is called {row['organisation'] or 'blank'}: add it first, or correct the name"
    row["organisation_id"] = org.id
    return _team_and_roles_problem(row, org)


def _team_and_roles_problem(row: dict, org: Organisation) -> str:
    if row["team"]:
        team = db.session.scalar(
            db.select(Team.id).where(Team.organisation_id == org.id, Team.name == row["team"])
        )
        if team is None:
            return f"{org.name} has no team called {row['team']}: add the team first"
        row["team_id"] = team
    roles = row["roles"].replace(";", " ").replace(",", " ").lower().split() or ["learner"]
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        return f"Roles must be chosen from {', '.join(ROLES)} (not {', '.join(unknown)})"
    row["roles"] = sorted(set(roles))
    return ""


def save_preview(admin: User, filename: str, checked: Checked) -> ImportBatch:
    batch = _new_batch(admin, filename, checked)
    db.session.commit()
    return batch


def _new_batch(admin: User, filename: str, checked: Checked) -> ImportBatch:
    batch = ImportBatch(created_by=admin.id, filename=filename[:200], rows=checked.rows)
    db.session.add(batch)
    db.session.flush()
    return batch


def confirm(admin: User, batch: ImportBatch) -> int | None:
    """Import a previewed batch once: a second confirmation (or a simultaneous one) does nothing.

    Returns how many people were added, or None when the batch was already imported.
    """
    claimed = db.session.execute(
        db.update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.imported_at.is_(None))
        .values(imported_at=datetime.now(UTC))
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        return None
    added = [invitation for row in batch.rows if (invitation := _add_person(row))]
    audit.record(
        "people imported", actor_id=admin.id, batch=batch.id, file=batch.filename, people=len(added)
    )
    db.session.commit()
    for invitation in added:
        _invite(invitation)
    return len(added)


@dataclass(frozen=True)
class Invitation:
    """What the invitation email needs, kept so that sending it reads nothing back."""

    email: str
    name: str
    token: str


def _add_person(row: dict) -> Invitation | None:
    """Add one person, unless their email was taken since the preview."""
    person = User(
        email=row["email"],
        name=row["name"],
        password_hash=UNUSABLE_HASH,
        organisation_id=row["organisation_id"],
        team_id=row.get("team_id"),
        job_role=row["job role"],
        roles=[RoleGrant(role=role) for role in row["roles"]],
    )
    try:
        with db.session.begin_nested():
            db.session.add(person)
            db.session.flush()
    except IntegrityError:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=person.id,
            purpose="reset-password",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=datetime.now(UTC) + timedelta(hours=INVITATION_HOURS),
        )
    )
    return Invitation(person.email, person.name, token)


def _invite(invitation: Invitation) -> None:
    body = render_template(
        "emails/invitation.txt",
        name=invitation.name,
        link=external_url("auth.new_password", token=invitation.token),
        days=INVITATION_HOURS // 24,
    )
    send_email(invitation.email, "Your Information Sharing Training account", body)


def import_file(email: str, data: bytes, filename: str) -> tuple[int, Checked]:
    """The command line's import: all or nothing. Any problem and nothing is added.

    The batch is written in the same transaction as the people, so an import cut short leaves
    no preview behind either.
    """
    admin = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if admin is None or not admin.has_role("admin"):
        raise ValueError(f"{email} is not the email address of an administrator")
    checked = check_file(data)
    if checked.problem or checked.errors:
        return 0, checked
    return confirm(admin, _new_batch(admin, filename, checked)) or 0, checked
