"""Demo organisations and one account per role, for trying the service locally."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from .auth.services import create_user
from .extensions import current_catalogue, db
from .formats import LONDON
from .models import Organisation, TrainingSession, User

ORGANISATIONS = (
    ("Northbridge Children's Services", "childrens-social-care"),
    ("Northbridge Community Health NHS Trust", "health"),
    ("Riverside Primary School", "education"),
)

# email, name, roles, organisation index, sector, job role
ACCOUNTS = (
    ("learner@example.org", "Lena Learner", ["learner"], 1, "health", "Health visitor"),
    (
        "trainer@example.org",
        "Tom Trainer",
        ["trainer", "learner"],
        0,
        "childrens-social-care",
        "Safeguarding trainer",
    ),
    (
        "lead@example.org",
        "Leila Lead",
        ["lead", "learner"],
        0,
        "childrens-social-care",
        "Workforce development lead",
    ),
    ("admin@example.org", "Adam Admin", ["admin"], 0, "other", "Service administrator"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    roles: tuple[str, ...]


def _saved_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {email: password for email, password in pairs}


def seed_demo(credentials_file: Path, password: str | None = None) -> list[DemoAccount]:
    """Create what is missing; keep accounts whose saved password still works.

    Passwords are random per machine and kept in the instance folder, so a second run can print
    them again without storing anything but hashes in the database.
    """
    organisations = []
    for name, sector in ORGANISATIONS:
        org = db.session.scalars(db.select(Organisation).where(Organisation.name == name)).first()
        if org is None:
            org = Organisation(name=name, sector=sector)
            db.session.add(org)
        organisations.append(org)
    saved = _saved_passwords(credentials_file)
    accounts = []
    for email, name, roles, org_index, sector, job_role in ACCOUNTS:
        wanted = password or saved.get(email) or secrets.token_urlsafe(12)
        user = db.session.scalars(db.select(User).where(User.email == email)).first()
        if user is None:
            create_user(email, name, wanted, roles, organisations[org_index], sector, job_role)
        elif not user.check_password(wanted):
            user.set_password(wanted)
        accounts.append(DemoAccount(email, wanted, tuple(roles)))
    db.session.commit()
    _demo_session(organisations)
    credentials_file.write_text("".join(f"{a.email} {a.password}\n" for a in accounts))
    credentials_file.chmod(0o600)
    return accounts


DEMO_SESSION = "Multi-agency information sharing workshop"


def _demo_session(organisations: list[Organisation]) -> None:
    """A workshop next week run by the demo trainer, open to every demo organisation."""
    if db.session.scalars(
        db.select(TrainingSession).where(TrainingSession.title == DEMO_SESSION)
    ).first():
        return
    catalogue = current_catalogue()
    course = next(iter(catalogue.courses.values()))
    cases = [q.case_example for q in catalogue.quizzes.values() if q.case_example][:2]
    day = datetime.now(LONDON).date() + timedelta(days=7)
    trainer = db.session.scalars(db.select(User).where(User.email == "trainer@example.org")).one()
    db.session.add(
        TrainingSession(
            trainer_id=trainer.id,
            title=DEMO_SESSION,
            course_id=course.id,
            module_ids=list(course.module_ids[:2]),
            case_ids=cases,
            starts_at=datetime.combine(day, time(9, 30), tzinfo=LONDON),
            ends_at=datetime.combine(day, time(12, 30), tzinfo=LONDON),
            venue="Northbridge Civic Centre, Room 2",
            capacity=24,
            organisations=organisations,
            agencies=sorted({org.sector for org in organisations}),
        )
    )
    db.session.commit()
