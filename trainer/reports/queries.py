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
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    false,
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


def _people(scope: Scope, *columns):
    """The people in view (their ids, and any columns asked for), as a subquery every fact
    query is limited to."""
    filters = scope.filters
    query = db.select(User.id, *columns).where(
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


def _courses(scope: Scope):
    """The courses reported on, as a small table to pair with every person."""
    each = [db.select(literal(course_id).label("course_id")) for course_id in scope.course_ids]
    return (union_all(*each) if len(each) > 1 else each[0]).subquery("courses")


def _latest(scope: Scope, people):
    """Per person in `people` and course: the latest completion in the date range, if any.

    One grouped pass over each person's completions; whether a person without one has
    started is asked only of them, by `_person_status`.
    """
    courses = _courses(scope)
    completion = and_(
        CourseCompletion.user_id == people.c.id,
        CourseCompletion.course_id == courses.c.course_id,
        *_in_range(CourseCompletion.completed_at, scope.filters),
    )
    return (
        db.select(
            people,
            courses.c.course_id,
            func.max(CourseCompletion.completed_at).label("completed_at"),
            func.max(CourseCompletion.refresher_due).label("refresher_due"),
        )
        .select_from(people)
        .join(courses, true())
        .outerjoin(CourseCompletion, completion)
        .group_by(*people.c, courses.c.course_id)
        .subquery("latest")
    )


def _final_quizzes(catalogue: Catalogue, scope: Scope) -> dict[str, list[str]]:
    """The final assessments whose attempts count toward each course reported on."""
    quizzes: dict[str, list[str]] = {}
    for quiz_id, course_id in _course_of_quiz(catalogue, scope.course_ids).items():
        quizzes.setdefault(course_id, []).append(quiz_id)
    return quizzes


def _by_course(catalogue: Catalogue, scope: Scope, course_id, of_quizzes, otherwise):
    """An expression worked out with the quizzes of the row's course alone: one branch per
    course, so each row looks up only its own course's attempts."""
    branches = {
        course: of_quizzes(quiz_ids)
        for course, quiz_ids in _final_quizzes(catalogue, scope).items()
    }
    return case(branches, value=course_id, else_=otherwise) if branches else otherwise


def _attempted(catalogue: Catalogue, scope: Scope, user_id, course_id):
    """Whether the person has attempted a final assessment of the course."""

    def any_of(quiz_ids):
        return (
            db.select(literal(1))
            .where(Attempt.user_id == user_id, Attempt.quiz_id.in_(quiz_ids))
            .exists()
        )

    return _by_course(catalogue, scope, course_id, any_of, false())


def _best_score(catalogue: Catalogue, scope: Scope, user_id, course_id):
    """The person's best final assessment score in the course, or None."""

    def best_of(quiz_ids):
        return (
            db.select(func.max(Attempt.percent))
            .where(Attempt.user_id == user_id, Attempt.quiz_id.in_(quiz_ids))
            .scalar_subquery()
        )

    return _by_course(catalogue, scope, course_id, best_of, null().cast(Integer))


def _person_status(catalogue: Catalogue, scope: Scope, latest):
    """Each row's status; whether the person has started is asked only when it decides it."""
    read = db.select(literal(1)).where(
        ModuleRead.user_id == latest.c.id, ModuleRead.course_id == latest.c.course_id
    )
    started = or_(read.exists(), _attempted(catalogue, scope, latest.c.id, latest.c.course_id))
    return _status(latest.c.completed_at, latest.c.refresher_due, started, scope.today)


def _person_rows(catalogue: Catalogue, scope: Scope, people):
    latest = _latest(scope, people)
    return (
        db.select(
            User.id.label("user_id"),
            User.name.label("name"),
            User.email.label("email"),
            Organisation.name.label("organisation"),
            Organisation.sector.label("agency"),
            Team.name.label("team"),
            User.job_role.label("job_role"),
            User.organisation_id.label("organisation_id"),
            latest.c.course_id.label("course_id"),
            _person_status(catalogue, scope, latest).label("status"),
            latest.c.completed_at.label("completed_at"),
            latest.c.refresher_due.label("refresher_due"),
        )
        .select_from(latest)
        .join(User, User.id == latest.c.id)
        .join(Organisation, User.organisation_id == Organisation.id)
        .outerjoin(Team, User.team_id == Team.id)
    )


def _deleted_rows(scope: Scope, organisation_ids=None):
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
            kept.organisation_id.label("organisation_id"),
            kept.course_id.label("course_id"),
            _status(kept.completed_at, kept.refresher_due, true(), scope.today).label("status"),
            kept.completed_at.label("completed_at"),
            kept.refresher_due.label("refresher_due"),
        )
        .join(Organisation, kept.organisation_id == Organisation.id)
        .where(
            kept.organisation_id.in_(
                scope.organisation_ids if organisation_ids is None else organisation_ids
            ),
            kept.course_id.in_(scope.course_ids),
            *_in_range(kept.completed_at, filters),
        )
    )
    if filters.agency:
        query = query.where(Organisation.sector == filters.agency)
    if filters.team is not None or filters.job_role:
        query = query.where(literal(1) == 0)  # deleted people have no team or job role
    return query


def report(catalogue: Catalogue, scope: Scope, people=None, deleted_in=None):
    """Every row in view, as a subquery: people and courses, and deleted people's completions.

    `people` (user ids) and `deleted_in` (organisation ids) narrow it to the people and the
    deleted people's completions of a page.
    """
    in_view = _people(scope)
    if people is not None:
        in_view = in_view.where(User.id.in_(people))
    rows = union_all(
        _person_rows(catalogue, scope, in_view.subquery("people")),
        _deleted_rows(scope, deleted_in),
    ).subquery("report")
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


def _order(rows, sort: str) -> list:
    keys = _ORDER.get(sort, _ORDER["name"])
    return [*(rows.c[key].asc().nulls_last() for key in keys), rows.c.user_id]


def _with_scores(catalogue: Catalogue, scope: Scope, rows):
    """The rows, each with the person's best final assessment score in the course, in order.

    The score is looked up row by row after the rows are chosen, so a page asks it of the
    rows shown, not of everyone in view.
    """
    best = _best_score(catalogue, scope, rows.c.user_id, rows.c.course_id)
    return db.select(rows, best.label("score")).order_by(*_order(rows, scope.filters.sort))


def ordered_rows(catalogue: Catalogue, scope: Scope):
    """The rows in view, sorted as the lead chose (deleted users last among equals)."""
    return _with_scores(catalogue, scope, report(catalogue, scope))


@dataclass
class Page:
    rows: list
    total: int
    number: int
    pages: int


# The sorts whose order is known before anyone's status is worked out. Rows with the same
# values of these keys form a group (people of the same name in the same organisation, with
# deleted people's completions there when the name is "deleted user"), and a group's rows
# are next to each other in the list.
_GROUPS = {
    "name": ("name", "organisation"),
    "organisation": ("organisation", "name"),
    "course": ("course_id", "name", "organisation"),
}


def page_of_rows(catalogue: Catalogue, scope: Scope, total: int) -> Page:
    """One page of the rows in view; `total` is their number, known from the summary, so the
    report is not worked out once more just to count it."""
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, scope.filters.page), pages)
    first = (number - 1) * PAGE_SIZE
    if scope.filters.status or scope.filters.sort not in _GROUPS:
        # Where the page starts depends on everyone's status: sort them all, keep one page.
        rows = report(catalogue, scope)
        chosen = db.select(rows).order_by(*_order(rows, scope.filters.sort))
        shown = chosen.limit(PAGE_SIZE).offset(first).subquery("page")
        found = db.session.execute(_with_scores(catalogue, scope, shown)).all()
    else:
        found = _page_by_groups(catalogue, scope, first)
    return Page(found, total, number, pages)


def _entries(scope: Scope, keys: tuple[str, ...]):
    """The list in order before any fact is looked up: one entry per person (per person and
    course when sorted by course first), and one per group of deleted people's completions,
    each with the number of rows it stands for. The sort's keys come first."""
    by_course = "course_id" in keys
    people = _people(scope, User.name, User.organisation_id).subquery("people")
    courses = _courses(scope)
    person_keys = {
        "name": people.c.name,
        "organisation": Organisation.name.label("organisation"),
        "course_id": courses.c.course_id,
    }
    persons = (
        db.select(
            *(person_keys[key] for key in keys),
            people.c.organisation_id,
            people.c.id.label("user_id"),
            literal(1 if by_course else len(scope.course_ids)).label("size"),
        )
        .select_from(people)
        .join(Organisation, people.c.organisation_id == Organisation.id)
    )
    if by_course:
        persons = persons.join(courses, true())
    deleted = _deleted_rows(scope).subquery("deleted")
    grouped = [*(deleted.c[key] for key in keys), deleted.c.organisation_id]
    kept = db.select(
        *grouped, null().cast(Integer).label("user_id"), func.count().label("size")
    ).group_by(*grouped)
    entries = union_all(persons, kept).subquery("entries")
    return db.select(entries).order_by(*(entries.c[key].asc().nulls_last() for key in keys))


class _Group(NamedTuple):
    """A group of rows on the page: its keys, where it starts in the list and its people."""

    key: tuple
    organisation_id: int
    start: int
    size: int
    user_ids: list[int]


def _groups_on_page(scope: Scope, keys: tuple[str, ...], first: int) -> list[_Group]:
    """The groups holding rows `first` to `first + PAGE_SIZE`, found by counting the rows of
    the entries before them.

    Every entry stands for at least one row, so the entries up to the page's last row are
    among the first `first + PAGE_SIZE`; only the last group read may be cut short, and its
    people are then read in full.
    """
    wanted = first + PAGE_SIZE
    chosen: list[_Group] = []
    key, organisation_id, start, size, user_ids = None, 0, 0, 0, []
    read = 0
    # Read lazily, keeping nothing of the groups before the page: they may be many.
    entries = db.session.execute(_entries(scope, keys).limit(wanted))
    for read, entry in enumerate(entries, start=1):  # noqa: B007 (read after the loop)
        if tuple(entry[: len(keys)]) != key:
            if key is not None and start + size > first:
                chosen.append(_Group(key, organisation_id, start, size, user_ids.copy()))
            start, size = start + size, 0
            user_ids.clear()
            if start >= wanted:
                break
            key, organisation_id = tuple(entry[: len(keys)]), entry.organisation_id
        size += entry.size
        if entry.user_id is not None:
            user_ids.append(entry.user_id)
    else:  # the entries ran out inside the last group, which may go on past them
        if key is not None and start + size > first:
            if read == wanted:
                name = key[keys.index("name")]
                user_ids = list(
                    db.session.scalars(
                        _people(scope).where(
                            User.name == name, User.organisation_id == organisation_id
                        )
                    )
                )
            chosen.append(_Group(key, organisation_id, start, size, user_ids))
    entries.close()
    return chosen


def _page_by_groups(catalogue: Catalogue, scope: Scope, first: int) -> list:
    """The page starting at row `first`, for a sort whose groups are known without facts:
    only the rows of the groups it falls in are built."""
    keys = _GROUPS[scope.filters.sort]
    chosen = _groups_on_page(scope, keys, first)
    if not chosen:
        return []
    named = keys.index("name")
    people = [user_id for group in chosen for user_id in group.user_ids]
    deleted_in = [group.organisation_id for group in chosen if group.key[named] == DELETED_USER]
    rows = report(catalogue, scope, people, deleted_in)
    shown = {group.key for group in chosen}
    found = [
        row
        for row in db.session.execute(_with_scores(catalogue, scope, rows))
        if tuple(getattr(row, column) for column in keys) in shown
    ]
    skip = first - chosen[0].start
    return found[skip : skip + PAGE_SIZE]


def stream_rows(catalogue: Catalogue, scope: Scope):
    """Every row in view, fetched in batches so 100,000 people never sit in memory at once."""
    query = ordered_rows(catalogue, scope).execution_options(yield_per=2000)
    # Through the session's connection, not the session: these are plain rows, and the
    # session's handling of each row would cost more than the query.
    for batch in db.session.connection().execute(query).partitions():
        yield from batch


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


def _counted(catalogue: Catalogue, scope: Scope):
    """The course, organisation, team, status and refresher date of each row in view: all
    the figures count, without the names a list would show."""
    people = _people(scope, User.organisation_id, User.team_id).subquery("people")
    latest = _latest(scope, people)
    persons = db.select(
        latest.c.course_id,
        latest.c.organisation_id,
        latest.c.team_id,
        _person_status(catalogue, scope, latest).label("status"),
        latest.c.refresher_due,
    )
    deleted = _deleted_rows(scope).subquery("deleted")
    kept = db.select(
        deleted.c.course_id,
        deleted.c.organisation_id,
        null().cast(Integer).label("team_id"),
        deleted.c.status,
        deleted.c.refresher_due,
    )
    rows = union_all(persons, kept).subquery("counted")
    if scope.filters.status:
        return db.select(rows).where(rows.c.status == scope.filters.status).subquery("shown")
    return rows


def _figures(catalogue: Catalogue, scope: Scope):
    """(course, organisation, agency, team, status, rows, rows due soon) for each group of
    rows in view: one grouped pass, with names looked up for the groups alone."""
    rows = _counted(catalogue, scope)
    soon = scope.today + timedelta(days=DUE_SOON_DAYS)
    due_soon = func.sum(
        case((and_(rows.c.status == "completed", rows.c.refresher_due <= soon), 1), else_=0)
    )
    groups = (rows.c.course_id, rows.c.organisation_id, rows.c.team_id, rows.c.status)
    grouped = (
        db.select(*groups, func.count().label("number"), due_soon.label("due_soon"))
        .group_by(*groups)
        .subquery("grouped")
    )
    return (
        db.select(
            grouped.c.course_id,
            Organisation.name,
            Organisation.sector,
            Team.name,
            grouped.c.status,
            grouped.c.number,
            grouped.c.due_soon,
        )
        .join(Organisation, grouped.c.organisation_id == Organisation.id)
        .outerjoin(Team, grouped.c.team_id == Team.id)
    )


def summary(catalogue: Catalogue, scope: Scope, agency_names: dict[str, str]) -> Summary:
    """The dashboard's figures, from one grouped query over the rows in view."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(dict)
    overall = Tally("All")
    figures = db.session.execute(_figures(catalogue, scope))
    for course_id, organisation, agency, team, status, number, soon_count in figures:
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
