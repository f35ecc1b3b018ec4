"""Demo organisations and one account per role, for trying the service locally; the demo lead
leads a partnership whose staff have training in every state, so the reports show figures."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from .auth.services import create_user
from .content import END
from .content.model import Course, Quiz
from .events import course_completed
from .extensions import current_catalogue, db
from .formats import LONDON
from .models import (
    Answer,
    Attempt,
    CourseCompletion,
    LeadScope,
    ModuleRead,
    Organisation,
    Partnership,
    Team,
    TrainingSession,
    User,
)
from .progress import add_months
from .quiz.engine import Result, walk
from .quiz.review import best_choice

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
    _demo_partnership(organisations)
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


PARTNERSHIP = "Northbridge Safeguarding Partnership"
TEAMS = {0: ("Early help", "Assessment and intervention"), 1: ("Health visiting", "School nursing")}

# name, organisation index, team index, job role, training so far
STAFF = (
    ("Priya Shah", 0, 0, "Family support worker", "completed"),
    ("Owen Hughes", 0, 0, "Family support worker", "due-soon"),
    ("Grace Mensah", 0, 1, "Social worker", "overdue"),
    ("Daniel Novak", 0, 1, "Social worker", "completed"),
    ("Hannah Lewis", 0, 1, "Senior practitioner", "started"),
    ("Marcus Reid", 0, 0, "Early help coordinator", "not-started"),
    ("Aisha Begum", 1, 0, "Health visitor", "completed"),
    ("Tom Fletcher", 1, 0, "Health visitor", "overdue"),
    ("Sofia Rossi", 1, 1, "School nurse", "due-soon"),
    ("Ben Carter", 1, 1, "School nurse", "completed"),
    ("Chloe Evans", 1, 0, "Nursery nurse", "started"),
    ("Ravi Patel", 1, 1, "Staff nurse", "not-started"),
)
# Days from today to each story's refresher date.
REFRESHER_IN = {"completed": 400, "due-soon": 30, "overdue": -20}


def _demo_partnership(organisations: list[Organisation]) -> None:
    """A partnership of the demo organisations, led by the demo lead, with teams and staff."""
    partnership = db.session.scalars(
        db.select(Partnership).where(Partnership.name == PARTNERSHIP)
    ).first() or Partnership(name=PARTNERSHIP)
    for org in organisations:
        org.partnership = org.partnership or partnership
    lead = db.session.scalars(db.select(User).where(User.email == "lead@example.org")).one()
    db.session.flush()
    if not db.session.scalar(
        db.select(LeadScope.id).where(
            LeadScope.user_id == lead.id, LeadScope.partnership_id == partnership.id
        )
    ):
        db.session.add(LeadScope(user_id=lead.id, partnership_id=partnership.id))
    teams = {
        (index, number): _team(organisations[index], name)
        for index, names in TEAMS.items()
        for number, name in enumerate(names)
    }
    for number, (name, org_index, team, job_role, story) in enumerate(STAFF):
        email = f"{name.lower().replace(' ', '.')}@example.org"
        if db.session.scalar(db.select(User.id).where(User.email == email)):
            continue
        org = organisations[org_index]
        person = create_user(
            email, name, secrets.token_urlsafe(16), ["learner"], org, org.sector, job_role
        )
        person.team = teams[org_index, team]
        db.session.flush()
        _training(person.id, story, number)
    db.session.commit()


def _team(org: Organisation, name: str) -> Team:
    found = db.session.scalars(
        db.select(Team).where(Team.organisation_id == org.id, Team.name == name)
    ).first()
    if found is None:
        found = Team(organisation=org, name=name)
        db.session.add(found)
    return found


def _training(user_id: int, story: str, number: int) -> None:
    """The facts behind a story: module reads, final assessments and a completion."""
    catalogue = current_catalogue()
    course = next(iter(catalogue.courses.values()))
    scenario = next((q for q in catalogue.quizzes.values() if q.kind == "scenario"), None)
    if scenario is not None:  # everyone has tried one case example, for the per-case view
        _scenario_attempt(user_id, scenario, number, datetime.now(UTC) - timedelta(days=5))
    if story == "not-started":
        return
    refresher = date.today() + timedelta(days=REFRESHER_IN.get(story, 0))
    done = datetime.combine(add_months(refresher, -course.validity_months), time(10), UTC)
    if story == "started":
        done = datetime.now(UTC) - timedelta(days=3)
    modules = course.module_ids if story != "started" else course.module_ids[:2]
    db.session.add_all(
        ModuleRead(user_id=user_id, course_id=course.id, module_id=module_id, read_at=done)
        for module_id in modules
    )
    if story != "started":
        _completion(user_id, course, done, refresher, number)


def _completion(user_id: int, course: Course, done: datetime, refresher: date, number: int):
    for quiz_id in course.completion_quizzes:
        quiz = current_catalogue().quizzes[quiz_id]
        db.session.add(_finished(user_id, quiz, done, Result(8 + number % 3, 10, quiz.pass_mark)))
    completion = CourseCompletion(
        user_id=user_id,
        course_id=course.id,
        completed_at=done,
        refresher_due=refresher,
        cpd_minutes=course.cpd_minutes,
    )
    db.session.add(completion)
    db.session.flush()
    course_completed.send(completion, course=course)


def _scenario_attempt(user_id: int, quiz: Quiz, number: int, done: datetime) -> None:
    """A finished attempt: the best choice at each step, but for one in six at the first."""
    choices, step = [], quiz.start
    while step is not None:
        best = best_choice(step)
        others = [c for c in step.choices if c is not best]
        choice = others[0] if others and not choices and number % 6 == 3 else best
        choices.append((step.id, choice.id))
        step = None if choice.next_step == END else quiz.step(choice.next_step)
    attempt = _finished(user_id, quiz, done, walk(quiz, [c for _step, c in choices]).result)
    attempt.answers = [
        Answer(position=i, item_id=step_id, value=choice_id)
        for i, (step_id, choice_id) in enumerate(choices)
    ]
    db.session.add(attempt)


def _finished(user_id: int, quiz: Quiz, done: datetime, result: Result) -> Attempt:
    return Attempt(
        user_id=user_id,
        quiz_id=quiz.id,
        number=1,
        content_version=quiz.version,
        started_at=done - timedelta(minutes=20),
        finished_at=done,
        score=result.score,
        max_score=result.max_score,
        percent=result.percent,
        passed=result.has_passed,
    )
