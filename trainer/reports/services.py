"""Reports turned into what people read: rows for the page and files, audited exports,
reminder emails."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from flask import render_template

from trainer.content import SECTORS, Catalogue
from trainer.events import account_deleting
from trainer.exports.csv import stream_csv
from trainer.exports.reports import ReportSummary, Table, report_pdf, report_xlsx
from trainer.extensions import db
from trainer.formats import london_date, long_date
from trainer.mail import send_email
from trainer.models import AnonymousCompletion, CourseCompletion, Organisation, Team, User, audit
from trainer.web import external_url

from . import cases, queries
from .queries import STATUSES, Filters, Scope, Summary, Tally

HEADER = (
    "Name",
    "Email",
    "Organisation",
    "Agency",
    "Team",
    "Job role",
    "Course",
    "Status",
    "Completed on",
    "Best final assessment score (%)",
    "Refresher due",
)
TALLY_HEADER = (
    "",
    "People",
    "Completed",
    "Rate (%)",
    "In progress",
    "Not started",
    "Overdue",
    "Due within 60 days",
)


def person_rows(catalogue: Catalogue, rows: Iterable) -> Iterator[tuple]:
    """Report rows as people read them; dates stay dates, for spreadsheets to sort.

    Course titles are looked up once for all the rows, not row by row: an export may have
    100,000 of them.
    """
    titles = {course_id: course.title for course_id, course in catalogue.courses.items()}
    for row in rows:
        completed_at = row.completed_at
        yield (
            row.name,
            row.email,
            row.organisation,
            SECTORS.get(row.agency, row.agency),
            row.team or "",
            row.job_role or "",
            titles.get(row.course_id, row.course_id),
            STATUSES[row.status],
            london_date(completed_at) if completed_at else None,
            row.score,
            row.refresher_due,
        )


def tally_row(tally: Tally) -> tuple:
    counts = tally.counts
    return (
        tally.label,
        tally.total,
        counts["completed"],
        tally.rate,
        counts["in-progress"],
        counts["not-started"],
        counts["overdue"],
        tally.due_soon,
    )


def summary_tables(figures: Summary) -> list[Table]:
    """The dashboard's tables, in the order the page shows them."""
    return [
        Table("Overall", TALLY_HEADER, [tally_row(figures.overall)]),
        Table("By course", TALLY_HEADER, [tally_row(t) for t in figures.by_course]),
        Table("By organisation", TALLY_HEADER, [tally_row(t) for t in figures.by_organisation]),
        Table("By agency", TALLY_HEADER, [tally_row(t) for t in figures.by_agency]),
        Table("By team", TALLY_HEADER, [tally_row(t) for t in figures.by_team]),
    ]


def filters_in_words(
    catalogue: Catalogue, filters: Filters, with_status: bool = True
) -> list[tuple[str, str]]:
    """The filters as a board member would read them; "All" where nothing was chosen."""
    course = catalogue.courses.get(filters.course)
    org = db.session.get(Organisation, filters.org) if filters.org else None
    team = db.session.get(Team, filters.team) if filters.team else None
    return [
        ("Course", course.title if course else "All courses"),
        ("Organisation", org.name if org else "All organisations led"),
        (
            "Agency",
            SECTORS.get(filters.agency, "All agencies") if filters.agency else "All agencies",
        ),
        ("Team", team.name if team else "All teams"),
        ("Job role", filters.job_role or "All job roles"),
        ("Completed from", long_date(filters.date_from) or "Any date"),
        ("Completed to", long_date(filters.date_to) or "Any date"),
        *([("Status", STATUSES.get(filters.status, "Any status"))] if with_status else []),
    ]


def _audit_export(viewer, file_format: str, filters: Filters) -> None:
    audit.record(
        "exported completion report",
        actor_id=viewer.id,
        format=file_format,
        filters=filters.as_audit(),
    )
    db.session.commit()


def export_csv(viewer, catalogue: Catalogue, scope: Scope) -> Iterator[str]:
    """The rows in view as CSV, streamed; the export is audited before the first byte."""
    _audit_export(viewer, "csv", scope.filters)
    return stream_csv(HEADER, person_rows(catalogue, queries.stream_rows(catalogue, scope)))


def _summary(viewer, catalogue: Catalogue, scope: Scope) -> ReportSummary:
    figures = queries.summary(catalogue, scope, SECTORS)
    return ReportSummary(
        title="Information sharing training: completion report",
        produced_on=scope.today,
        produced_by=viewer.name,
        filters=filters_in_words(catalogue, scope.filters),
        tables=summary_tables(figures),
    )


def export_xlsx(viewer, catalogue: Catalogue, scope: Scope) -> bytes:
    _audit_export(viewer, "xlsx", scope.filters)
    rows = person_rows(catalogue, queries.stream_rows(catalogue, scope))
    return report_xlsx(HEADER, rows, _summary(viewer, catalogue, scope))


def export_pdf(viewer, catalogue: Catalogue, scope: Scope) -> bytes:
    _audit_export(viewer, "pdf", scope.filters)
    return report_pdf(_summary(viewer, catalogue, scope))


EXPORTS = {
    "csv": ("text/csv", export_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export_xlsx),
    "pdf": ("application/pdf", export_pdf),
}


def send_reminders(viewer, catalogue: Catalogue, scope: Scope, today: date) -> int:
    """Email each overdue or not-started person in view once, naming their courses."""
    people: dict[int, tuple[str, str, list[str]]] = {}
    for user_id, name, email, course_id in queries.people_to_remind(catalogue, scope):
        course = catalogue.courses.get(course_id)
        people.setdefault(user_id, (name, email, []))[2].append(
            course.title if course else course_id
        )
    for name, email, courses in people.values():
        body = render_template(
            "emails/training_reminder.txt",
            name=name,
            courses=courses,
            link=external_url("main.home"),
            sender=viewer.name,
        )
        send_email(email, "Reminder: information sharing training", body)
    audit.record(
        "sent training reminders",
        actor_id=viewer.id,
        people=len(people),
        filters=scope.filters.as_audit(),
        on=today.isoformat(),
    )
    db.session.commit()
    return len(people)


def case_list(catalogue: Catalogue, scope: Scope) -> list[cases.CaseLine]:
    """Each case example's scenario, with how many people in view finished it."""
    scenarios = cases.scenarios_by_case(catalogue, scope.filters.course)
    quiz_ids = [quiz.id for quizzes in scenarios.values() for quiz in quizzes]
    return cases.case_lines(catalogue, scenarios, queries.scenario_people(scope, quiz_ids))


def case_report(catalogue: Catalogue, scope: Scope, case_id: str) -> list[cases.ScenarioReport]:
    """Routes and missed principles per agency for each scenario of a case example (none when
    the case example is not in the course chosen or has no scenario)."""
    scenarios = cases.scenarios_by_case(catalogue, scope.filters.course).get(case_id, [])
    return [
        cases.scenario_report(
            catalogue, quiz, cases.count_routes(queries.scenario_choices(scope, quiz.id))
        )
        for quiz in scenarios
    ]


def query_args(filters: Filters) -> dict[str, str]:
    """The filters as a query string, for export links and the pages of the list."""
    chosen = {
        "course": filters.course,
        "org": filters.org,
        "agency": filters.agency,
        "team": filters.team,
        "job_role": filters.job_role,
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "status": filters.status,
        "sort": filters.sort if filters.sort != "name" else "",
    }
    return {key: str(value) for key, value in chosen.items() if value}


@account_deleting.connect
def keep_anonymous_completions(user) -> None:
    """Before an account goes, keep its latest completion of each course as an unnamed count.

    Only the organisation, course and dates are kept: nothing that names the person. A
    completion already kept is never kept twice (its id is unique), so a repeated deletion
    request changes nothing.
    """
    if user.organisation_id is None:
        return
    latest: dict[str, CourseCompletion] = {}
    for completion in db.session.scalars(
        db.select(CourseCompletion)
        .where(CourseCompletion.user_id == user.id)
        .order_by(CourseCompletion.completed_at)
    ):
        latest[completion.course_id] = completion
    kept = set(
        db.session.scalars(
            db.select(AnonymousCompletion.completion_id).where(
                AnonymousCompletion.completion_id.in_([c.id for c in latest.values()])
            )
        )
    )
    for completion in latest.values():
        if completion.id not in kept:
            db.session.add(
                AnonymousCompletion(
                    organisation_id=user.organisation_id,
                    course_id=completion.course_id,
                    completed_at=completion.completed_at,
                    refresher_due=completion.refresher_due,
                    completion_id=completion.id,
                )
            )


class ReportError(ValueError):
    """A report cannot be made as asked; the message says what to do."""


def export_to_file(
    email: str, file_format: str, filters: Filters, catalogue: Catalogue, out
) -> None:
    """The command line's export: the same rows and figures as the page, in the named person's scope."""
    viewer = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if viewer is None or not queries.can_see_reports(viewer):
        raise ReportError(f"{email} is not the email address of a workforce lead or administrator")
    scope = queries.scope_for(viewer, catalogue, filters, date.today())
    if scope is None:
        raise ReportError("the course, organisation or team asked for is not one this person leads")
    body = EXPORTS[file_format][1](viewer, catalogue, scope)
    for chunk in [body] if isinstance(body, bytes) else body:
        out.write(chunk.encode() if isinstance(chunk, str) else chunk)
