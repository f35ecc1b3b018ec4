"""Every report query, scoped here and only here: a lead sees the organisations they lead.

Reports are built from completions, module reads and attempts' stored results (decision 4),
never from reflections or decision records. The one exception is the per-case view: the
choices made in scenarios are read only to be counted per agency, never shown per person
(decision 10).

A row of a report is one person and one course, with its status:
  overdue      the latest completion's refresher date has come
  completed    completed, refresher not yet due
  in-progress  a module read or a final-assessment attempt, no completion
  not-started  nothing yet
A deleted person's completions stay as rows named "deleted user", with no link to anyone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    true,
    union_all,
)

from trainer.content import Catalogue
from trainer.extensions import db
from trainer.formats import LONDON
from trainer.models import (
    AnonymousCompletion,
    Answer,
    Attempt,
    CourseCompletion,
    LeadScope,
    ModuleRead,
    Organisation,
    Team,
    User,
)

STATUSES: dict[str, str] = {
    "completed": "Completed",
    "in-progress": "In progress",
    "not-started": "Not started",
    "overdue": "Overdue for a refresher",
}
DELETED_USER = "deleted user"
DUE_SOON_DAYS = 60
PAGE_SIZE = 50
SORTS: dict[str, str] = {
    "name": "Name",
    "organisation": "Organisation",
    "course": "Course",
    "status": "Status",
    "completed": "Completion date",
    "refresher": "Refresher due",
}


def can_see_reports(user) -> bool:
    return user.is_authenticated and (user.has_role("lead") or user.has_role("admin"))


def organisations_led_by(user) -> list[int]:
    """The organisations whose people this person may see in reports; the one scoping rule.

    An administrator sees every organisation. A lead sees their own organisation, each
    organisation they were given, and every member of each partnership they lead.
    """
    if user.has_role("admin"):
        return list(db.session.scalars(db.select(Organisation.id)))
    if not user.has_role("lead"):
        return []
    scopes = db.session.scalars(db.select(LeadScope).where(LeadScope.user_id == user.id)).all()
    ids = {scope.organisation_id for scope in scopes if scope.organisation_id}
    partnerships = [scope.partnership_id for scope in scopes if scope.partnership_id]
    if partnerships:
        ids |= set(
            db.session.scalars(
                db.select(Organisation.id).where(Organisation.partnership_id.in_(partnerships))
            )
        )
    if user.organisation_id:
        ids.add(user.organisation_id)
    return sorted(ids)


def learners_visible_to(user):
    """A query of the active people in the organisations the viewer leads."""
    return db.select(User).where(
        User.organisation_id.in_(organisations_led_by(user)), User.is_active_account.is_(True)
    )


@dataclass(frozen=True)
class Filters:
    """What a lead chose to see; every field may be empty, meaning all."""

    course: str = ""
    org: int | None = None
    agency: str = ""
    team: int | None = None
    job_role: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    sort: str = "name"
    page: int = 1

    def as_audit(self) -> dict:
        """The filters in plain values, for the audit log."""
        chosen = {
            "course": self.course,
            "org": self.org,
            "agency": self.agency,
            "team": self.team,
            "job_role": self.job_role,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "status": self.status,
        }
        return {key: value for key, value in chosen.items() if value}


@dataclass(frozen=True)
class Scope:
    """The organisations in view after the filters, and the courses reported on."""

    organisation_ids: tuple[int, ...]
    course_ids: tuple[str, ...]
    filters: Filters
    today: date


def scope_for(viewer, catalogue: Catalogue, filters: Filters, today: date) -> Scope | None:
    """The scope a viewer's filters leave; None when they name something out of reach."""
    led = organisations_led_by(viewer)
    if filters.org is not None:
        if filters.org not in led:
            return None
        led = [filters.org]
    if filters.team is not None:
        team = db.session.get(Team, filters.team)
        if team is None or team.organisation_id not in led:
            return None
    if filters.course and filters.course not in catalogue.courses:
        return None
    courses = (filters.course,) if filters.course else tuple(catalogue.courses)
    return Scope(tuple(led), courses, filters, today)


def _moment(day: date) -> datetime:
    """Midnight at the start of a UK day, as an aware datetime."""
    return datetime.combine(day, time(), tzinfo=LONDON)


def _in_range(column_, filters: Filters) -> list:
    conditions = []
    if filters.date_from:
        conditions.append(column_ >= _moment(filters.date_from))
    if filters.date_to:
        conditions.append(column_ < _moment(filters.date_to + timedelta(days=1)))
    return conditions


def _status(completed_at, refresher_due, started, today: date):
    return case(
        (refresher_due <= today, "overdue"),
        (completed_at.is_not(None), "completed"),
        (started, "in-progress"),
        else_="not-started",
    )


def _course_of_quiz(catalogue: Catalogue, course_ids: tuple[str, ...]) -> dict[str, str]:
    return {
        quiz_id: course_id
        for course_id in course_ids
        for quiz_id in catalogue.courses[course_id].completion_quizzes
    }


def _people(scope: Scope):
    """The ids of the people in view, as a subquery every fact query is limited to."""
    filters = scope.filters
    query = db.select(User.id).where(
        User.organisation_id.in_(scope.organisation_ids), User.is_active_account.is_(True)
    )
    if filters.team is not None:
        query = query.where(User.team_id == filters.team)
    if filters.job_role:
        query = query.where(User.job_role == filters.job_role)
    if filters.agency:
        query = query.join(Organisation, User.organisation_id == Organisation.id).where(
            Organisation.sector == filters.agency
        )
    return query


def _facts(catalogue: Catalogue, scope: Scope):
    """Per person and course: the latest completion in the date range, reads, best score."""
    people = _people(scope)
    latest = (
        db.select(
            CourseCompletion.user_id,
            CourseCompletion.course_id,
            func.max(CourseCompletion.completed_at).label("completed_at"),
            func.max(CourseCompletion.refresher_due).label("refresher_due"),
        )
        .where(
            CourseCompletion.user_id.in_(people),
            *_in_range(CourseCompletion.completed_at, scope.filters),
        )
        .group_by(CourseCompletion.user_id, CourseCompletion.course_id)
        .subquery()
    )
    reads = (
        db.select(ModuleRead.user_id, ModuleRead.course_id)
        .where(ModuleRead.user_id.in_(people))
        .group_by(ModuleRead.user_id, ModuleRead.course_id)
        .subquery()
    )
    quiz_course = _course_of_quiz(catalogue, scope.course_ids)
    course_of = case(quiz_course, value=Attempt.quiz_id, else_="") if quiz_course else literal("")
    scores = (
        db.select(
            Attempt.user_id,
            course_of.label("course_id"),
            func.max(Attempt.percent).label("score"),
        )
        .where(Attempt.user_id.in_(people), Attempt.quiz_id.in_(list(quiz_course)))
        .group_by(Attempt.user_id, course_of)
        .subquery()
    )
    return people, latest, reads, scores


def _courses(scope: Scope):
    """The courses reported on, as a small table to pair with every person."""
    each = [db.select(literal(course_id).label("course_id")) for course_id in scope.course_ids]
    return (union_all(*each) if len(each) > 1 else each[0]).subquery("courses")


def _person_rows(catalogue: Catalogue, scope: Scope):
    people, latest, reads, scores = _facts(catalogue, scope)
    courses = _courses(scope)
    started = or_(reads.c.user_id.is_not(None), scores.c.user_id.is_not(None))
    pair = lambda sub: and_(sub.c.user_id == User.id, sub.c.course_id == courses.c.course_id)  # noqa: E731
    return (
        db.select(
            User.id.label("user_id"),
            User.name.label("name"),
            User.email.label("email"),
            Organisation.name.label("organisation"),
            Organisation.sector.label("agency"),
            Team.name.label("team"),
            User.job_role.label("job_role"),
            courses.c.course_id.label("course_id"),
            _status(latest.c.completed_at, latest.c.refresher_due, started, scope.today).label(
                "status"
            ),
            latest.c.completed_at.label("completed_at"),
            latest.c.refresher_due.label("refresher_due"),
            scores.c.score.label("score"),
        )
        .select_from(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Team, User.team_id == Team.id)
        .join(courses, true())
        .outerjoin(latest, pair(latest))
        .outerjoin(reads, pair(reads))
        .outerjoin(scores, pair(scores))
        .where(User.id.in_(people))
    )


def _deleted_rows(scope: Scope):
    """Completions kept from deleted accounts: counted, never named."""
    filters = scope.filters
    kept = AnonymousCompletion
    query = (
        db.select(
            null().cast(Integer).label("user_id"),
            literal(DELETED_USER).label("name"),
            literal("").label("email"),
            Organisation.name.label("organisation"),
            Organisation.sector.label("agency"),
            null().cast(String).label("team"),
            literal("").label("job_role"),
            kept.course_id.label("course_id"),
            _status(kept.completed_at, kept.refresher_due, true(), scope.today).label("status"),
            kept.completed_at.label("completed_at"),
            kept.refresher_due.label("refresher_due"),
            null().cast(Integer).label("score"),
        )
        .join(Organisation, kept.organisation_id == Organisation.id)
        .where(
            kept.organisation_id.in_(scope.organisation_ids),
            kept.course_id.in_(scope.course_ids),
            *_in_range(kept.completed_at, filters),
        )
    )
    if filters.agency:
        query = query.where(Organisation.sector == filters.agency)
    if filters.team is not None or filters.job_role:
        query = query.where(literal(1) == 0)  # deleted people have no team or job role
    return query


def report(catalogue: Catalogue, scope: Scope):
    """Every row in view, as a subquery: people and courses, and deleted people's completions."""
    rows = union_all(_person_rows(catalogue, scope), _deleted_rows(scope)).subquery("report")
    if scope.filters.status:
        return db.select(rows).where(rows.c.status == scope.filters.status).subquery("shown")
    return rows


_ORDER = {
    "name": ("name", "organisation", "course_id"),
    "organisation": ("organisation", "name", "course_id"),
    "course": ("course_id", "name", "organisation"),
    "status": ("status", "name", "course_id"),
    "completed": ("completed_at", "name", "course_id"),
    "refresher": ("refresher_due", "name", "course_id"),
}


def ordered_rows(catalogue: Catalogue, scope: Scope):
    """The rows in view, sorted as the lead chose (deleted users last among equals)."""
    rows = report(catalogue, scope)
    keys = _ORDER.get(scope.filters.sort, _ORDER["name"])
    return db.select(rows).order_by(
        *(rows.c[key].asc().nulls_last() for key in keys), rows.c.user_id
    )


@dataclass
class Page:
    rows: list
    total: int
    number: int
    pages: int


def page_of_rows(catalogue: Catalogue, scope: Scope, total: int) -> Page:
    """One page of the rows in view; `total` is their number, known from the summary, so the
    report is not worked out once more just to count it."""
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, scope.filters.page), pages)
    query = ordered_rows(catalogue, scope).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    return Page(db.session.execute(query).all(), total, number, pages)


def stream_rows(catalogue: Catalogue, scope: Scope):
    """Every row in view, fetched in batches so 100,000 people never sit in memory at once."""
    query = ordered_rows(catalogue, scope).execution_options(yield_per=2000)
    yield from db.session.execute(query)


@dataclass
class Tally:
    """Counts of person-course rows by status, for one course, organisation, agency or team."""

    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    due_soon: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> int:
        """Per cent completed and in date, rounded down."""
        return self.counts["completed"] * 100 // self.total if self.total else 0

    def add(self, status: str, number: int, due_soon: int) -> None:
        self.counts[status] += number
        self.due_soon += due_soon


@dataclass
class Summary:
    overall: Tally
    by_course: list[Tally]
    by_organisation: list[Tally]
    by_agency: list[Tally]
    by_team: list[Tally]


def summary(catalogue: Catalogue, scope: Scope, agency_names: dict[str, str]) -> Summary:
    """The dashboard's figures, from one grouped query over the rows in view."""
    rows = report(catalogue, scope)
    soon = scope.today + timedelta(days=DUE_SOON_DAYS)
    due_soon = func.sum(
        case((and_(rows.c.status == "completed", rows.c.refresher_due <= soon), 1), else_=0)
    )
    groups = (rows.c.course_id, rows.c.organisation, rows.c.agency, rows.c.team, rows.c.status)
    grouped = db.session.execute(db.select(*groups, func.count(), due_soon).group_by(*groups)).all()
    tallies: dict[str, dict[str, Tally]] = defaultdict(dict)
    overall = Tally("All")
    for course_id, organisation, agency, team, status, number, soon_count in grouped:
        overall.add(status, number, soon_count)
        course = catalogue.courses.get(course_id)
        keys = {
            "course": course.title if course else course_id,
            "organisation": organisation,
            "agency": agency_names.get(agency, agency),
            "team": f"{team} ({organisation})" if team else f"No team ({organisation})",
        }
        for kind, label in keys.items():
            tallies[kind].setdefault(label, Tally(label)).add(status, number, soon_count)
    ordered = {
        kind: sorted(found.values(), key=lambda t: t.label) for kind, found in tallies.items()
    }
    return Summary(
        overall,
        ordered.get("course", []),
        ordered.get("organisation", []),
        ordered.get("agency", []),
        ordered.get("team", []),
    )


@dataclass(frozen=True)
class Choices:
    """What the filter lists offer: only things inside the viewer's scope."""

    organisations: list[tuple[str, str]]
    agencies: list[str]
    teams: list[tuple[str, str]]
    job_roles: list[str]


def filter_choices(viewer) -> Choices:
    led = organisations_led_by(viewer)
    organisations = db.session.execute(
        db.select(Organisation.id, Organisation.name, Organisation.sector)
        .where(Organisation.id.in_(led))
        .order_by(Organisation.name)
    ).all()
    teams = db.session.execute(
        db.select(Team.id, Team.name, Organisation.name)
        .join(Organisation)
        .where(Team.organisation_id.in_(led))
        .order_by(Organisation.name, Team.name)
    ).all()
    job_roles = db.session.scalars(
        db.select(User.job_role)
        .where(User.organisation_id.in_(led), User.job_role != "")
        .distinct()
        .order_by(User.job_role)
    ).all()
    return Choices(
        [(str(org_id), name) for org_id, name, _sector in organisations],
        sorted({sector for _id, _name, sector in organisations}),
        [(str(team_id), f"{name} ({org})") for team_id, name, org in teams],
        list(job_roles),
    )


def people_to_remind(catalogue: Catalogue, scope: Scope) -> list[tuple[int, str, str, str]]:
    """(user id, name, email, course id) of each overdue or not-started row in view."""
    rows = report(catalogue, scope)
    return db.session.execute(
        db.select(rows.c.user_id, rows.c.name, rows.c.email, rows.c.course_id)
        .where(rows.c.user_id.is_not(None), rows.c.status.in_(("overdue", "not-started")))
        .order_by(rows.c.name, rows.c.course_id)
    ).all()


def _first_finished(scope: Scope, quiz_ids: list[str]):
    """Each person's first finished attempt at each scenario, if it finished in the date range.

    The first, because later attempts follow the best route the result page has shown them.
    """
    first = (
        db.select(Attempt.user_id, Attempt.quiz_id, func.min(Attempt.number).label("number"))
        .where(
            Attempt.user_id.in_(_people(scope)),
            Attempt.quiz_id.in_(quiz_ids),
            Attempt.finished_at.is_not(None),
        )
        .group_by(Attempt.user_id, Attempt.quiz_id)
        .subquery()
    )
    return (
        db.select(Attempt.id, Attempt.quiz_id, Attempt.user_id)
        .join(
            first,
            and_(
                first.c.user_id == Attempt.user_id,
                first.c.quiz_id == Attempt.quiz_id,
                first.c.number == Attempt.number,
            ),
        )
        .where(*_in_range(Attempt.finished_at, scope.filters))
        .subquery("first_finished")
    )


def scenario_people(scope: Scope, quiz_ids: list[str]) -> dict[str, int]:
    """How many people in view finished each scenario."""
    if not quiz_ids:
        return {}
    attempts = _first_finished(scope, quiz_ids)
    return dict(
        db.session.execute(
            db.select(attempts.c.quiz_id, func.count()).group_by(attempts.c.quiz_id)
        ).all()
    )


def scenario_choices(scope: Scope, quiz_id: str):
    """(attempt, agency, step, choice) for each choice on each person's first finished attempt
    at a scenario, an attempt's choices together and in order; only ever counted, never shown.

    A person's agency is their organisation's, or their own when the organisation is "other".
    """
    attempts = _first_finished(scope, [quiz_id])
    agency = func.coalesce(func.nullif(Organisation.sector, "other"), User.sector)
    query = (
        db.select(attempts.c.id, agency, Answer.item_id, Answer.value)
        .select_from(attempts)
        .join(User, User.id == attempts.c.user_id)
        .join(Organisation, User.organisation_id == Organisation.id)
        .join(Answer, Answer.attempt_id == attempts.c.id)
        .order_by(attempts.c.id, Answer.position)
        .execution_options(yield_per=2000)
    )
    yield from db.session.execute(query)
