"""Reports for workforce leads: the dashboard, the list of people, exports, reminders and
anonymous counts of deleted accounts, always within the organisations a lead leads."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import warnings
import zipfile
from datetime import UTC, date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from pypdf import PdfReader

from tests.conftest import (
    VALID_CONTENT,
    fresh_database,
    get_page,
    make_app,
    make_organisation,
    make_user,
    sign_in,
)
from trainer.account.services import delete_account
from trainer.extensions import db
from trainer.formats import long_date
from trainer.mail import outbox_folder
from trainer.models import (
    Attempt,
    AuditEvent,
    CourseCompletion,
    LeadScope,
    ModuleRead,
    Partnership,
    RoleGrant,
    Team,
    User,
)
from trainer.reports import services

TODAY = date.today()


def complete(user, days_ago: int = 10, refresher_in: int = 700, score: int = 90) -> None:
    done = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.add(
        CourseCompletion(
            user_id=user.id,
            course_id="basics",
            completed_at=done,
            refresher_due=TODAY + timedelta(days=refresher_in),
            cpd_minutes=40,
        )
    )
    db.session.add(
        Attempt(
            user_id=user.id,
            quiz_id="basics-check",
            number=1,
            content_version="v1",
            started_at=done,
            finished_at=done,
            score=9,
            max_score=10,
            percent=score,
            passed=True,
        )
    )
    db.session.commit()


def read_a_module(user) -> None:
    db.session.add(ModuleRead(user_id=user.id, course_id="basics", module_id="why-share"))
    db.session.commit()


@pytest.fixture
def world(app):
    """Two organisations in one partnership and one outside it, with people in each state."""
    partnership = Partnership(name="Northbridge Safeguarding Partnership")
    own = make_organisation("Northbridge Council")
    sister = make_organisation("Northbridge Health", sector="health")
    other = make_organisation("Faraway Police", sector="police")
    own.partnership = sister.partnership = partnership
    team = Team(organisation=own, name="Early help")
    db.session.add_all([partnership, team])
    db.session.commit()
    lead = make_user("lead", email="lead@example.org", org=own)
    done = make_user("learner", email="done@example.org", org=own)
    done.team, done.job_role = team, "Family support worker"
    complete(done)
    overdue = make_user("learner", email="overdue@example.org", org=own)
    complete(overdue, days_ago=800, refresher_in=-5, score=75)
    started = make_user("learner", email="started@example.org", org=own)
    read_a_module(started)
    sister_learner = make_user("learner", email="sister@example.org", org=sister)
    complete(sister_learner, refresher_in=30)
    stranger = make_user("learner", email="stranger@example.org", org=other)
    stranger.name = "Stranger Danger"
    complete(stranger)
    db.session.commit()
    return {
        "lead": lead,
        "own": own,
        "sister": sister,
        "other": other,
        "team": team,
        "partnership": partnership,
        "stranger": stranger,
    }


def text_of(page: BeautifulSoup) -> str:
    return page.get_text(" ", strip=True)


def figure(page: BeautifulSoup, label: str) -> str:
    for row in page.select("#key-figures .govuk-summary-list__row"):
        if row.dt.get_text(strip=True) == label:
            return row.dd.get_text(strip=True)
    raise AssertionError(f"no figure called {label}")


def csv_rows(client, query: str = "") -> list[dict]:
    response = client.get(f"/reports/completions.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_a_lead_sees_their_own_organisation_and_nobody_elses(client, world):
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.dashboard")
    names = [row.td.get_text(" ", strip=True) for row in page.select("#people-table tbody tr")]
    assert any("done@example.org" in name for name in names)
    assert not any("stranger@example.org" in name or "sister@" in name for name in names)
    assert figure(page, "People and courses in view") == "4"  # lead, done, overdue, started
    assert figure(page, "Completed and in date") == "1 (25%)"
    assert figure(page, "Overdue for a refresher") == "1"
    assert figure(page, "In progress") == "1"
    assert figure(page, "Not started") == "1"
    assert "Stranger" not in text_of(page)


def test_a_partnership_lead_sees_every_member_organisation(client, world):
    db.session.add(LeadScope(user_id=world["lead"].id, partnership_id=world["partnership"].id))
    db.session.commit()
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.dashboard")
    assert figure(page, "People and courses in view") == "5"
    assert figure(page, "Refresher due within 60 days") == "1"
    organisations = [
        th.get_text(strip=True)
        for th in page.select("#by-organisation-caption ~ div table tbody th")
    ]
    assert organisations == ["Northbridge Council", "Northbridge Health"]
    assert "Faraway Police" not in text_of(page)


def test_asking_for_another_organisation_or_its_team_is_not_found(client, world):
    other_team = Team(organisation=world["other"], name="Response")
    db.session.add(other_team)
    db.session.commit()
    sign_in(client, "lead@example.org")
    for query in (f"org={world['other'].id}", f"team={other_team.id}", "org=abc", "course=nope"):
        assert client.get(f"/reports/?{query}").status_code == 404, query
        assert client.get(f"/reports/completions.csv?{query}").status_code == 404, query


def test_a_person_who_moves_organisation_takes_their_training_with_them(client, world):
    sign_in(client, "lead@example.org")
    assert not [r for r in csv_rows(client) if r["Email"] == "stranger@example.org"]
    world["stranger"].organisation_id = world["own"].id
    db.session.commit()
    moved = [r for r in csv_rows(client) if r["Email"] == "stranger@example.org"]
    assert moved[0]["Status"] == "Completed"
    assert moved[0]["Organisation"] == "Northbridge Council"


def test_filters_narrow_the_list_and_the_figures(client, world):
    sign_in(client, "lead@example.org")
    rows = csv_rows(client, f"?team={world['team'].id}")
    assert [r["Email"] for r in rows] == ["done@example.org"]
    assert [r["Email"] for r in csv_rows(client, "?status=overdue")] == ["overdue@example.org"]
    assert [r["Email"] for r in csv_rows(client, "?job_role=Family+support+worker")] == [
        "done@example.org"
    ]
    recent = (TODAY - timedelta(days=30)).isoformat()
    in_range = csv_rows(client, f"?from={recent}&status=completed")
    assert [r["Email"] for r in in_range] == ["done@example.org"]
    response = client.get("/reports/?status=not-started")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert figure(page, "People and courses in view") == "1"


def test_a_wrong_date_says_what_to_enter_and_keeps_the_page(client, world):
    sign_in(client, "lead@example.org")
    response = client.get("/reports/?from=31&from=2&from=2026")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 200
    assert page.title.string.startswith("Error:")
    assert "Completed from must be a real date, like 1 4 2026" in text_of(page)
    to_before = client.get("/reports/?from=2026-04-02&to=2026-04-01").get_data(as_text=True)
    assert "Completed to must be the same as or after completed from" in to_before


def test_a_sort_not_offered_sorts_by_name_without_an_error(client, world):
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.dashboard", sort="shoe-size")
    assert not page.title.string.startswith("Error:")
    assert page.select_one(".govuk-error-summary") is None
    assert page.select_one("#sort option[selected]")["value"] == "name"


def test_the_list_sorts_and_pages(client, world, monkeypatch):
    from trainer.reports import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    sign_in(client, "lead@example.org")
    first = get_page(client, "reports.dashboard", sort="completed")
    assert "Page 1 of 2" in text_of(first)
    assert first.select_one(".govuk-pagination__next a")
    second = get_page(client, "reports.dashboard", sort="completed", page=2)
    everyone = [
        row.td.get_text(" ", strip=True)
        for page in (first, second)
        for row in page.select("#people-table tbody tr")
    ]
    assert len(everyone) == 4
    assert "overdue@example.org" in everyone[0]  # the oldest completion first


def test_dashboard_csv_xlsx_and_pdf_agree(client, world):
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.dashboard")
    rows = csv_rows(client)
    statuses = [r["Status"] for r in rows]
    assert len(rows) == int(figure(page, "People and courses in view"))
    assert statuses.count("Completed") == 1 and statuses.count("Overdue for a refresher") == 1
    workbook = client.get("/reports/completions.xlsx")
    assert workbook.status_code == 200
    with zipfile.ZipFile(io.BytesIO(workbook.data)) as book:
        people = book.read("xl/worksheets/sheet2.xml").decode()
        summary = book.read("xl/worksheets/sheet1.xml").decode()
    assert people.count("Overdue for a refresher") == 1
    assert people.count(">Completed<") == 1
    assert "<pane" in people and 'state="frozen"' in people
    assert "By organisation" in summary
    pdf = client.get("/reports/completions.pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert "Overall" in text and "Northbridge Council 4 1 25 1 1 1" in text
    assert "done@example.org" not in text  # a board summary: figures, no names


def test_a_board_summary_over_several_pages_heads_each_page_of_a_table(client, world):
    world["own"].name = "Northbridge Council " + "Children and Families Directorate " * 4
    for number in range(60):
        team = Team(organisation=world["own"], name=f"Team {number:02}")
        person(f"member{number}@example.org", f"Member {number}", world["own"], team=team)
    db.session.commit()
    sign_in(client, "lead@example.org")
    pages = PdfReader(io.BytesIO(client.get("/reports/completions.pdf").data)).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    heading = "People Completed Rate (%) In progress Not started Overdue Due within 60 days"
    assert len(pages) > 2
    assert all(text.startswith(heading) for text in texts[1:])
    everything = " ".join(texts)
    assert all(everything.count(f"Team {number:02} (") == 1 for number in range(60))
    assert "Team 59 (" in texts[-1]
    assert "Directorate Children and Families Directorate Children" in everything  # wrapped, whole


def test_every_export_is_audited_with_its_filters(client, world):
    sign_in(client, "lead@example.org")
    for file_format in ("csv", "xlsx", "pdf"):
        client.get(f"/reports/completions.{file_format}?status=overdue")
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "exported completion report")
    ).all()
    assert [e.details["format"] for e in events] == ["csv", "xlsx", "pdf"]
    assert all(e.details["filters"] == {"status": "overdue"} for e in events)
    assert all(e.actor_id == world["lead"].id for e in events)


def test_spreadsheet_cells_never_run_as_formulas(client, world):
    sneaky = db.session.get(User, world["lead"].id)
    sneaky.name = '=HYPERLINK("http://evil.example","click")'
    sneaky.job_role = "+44 1234"
    db.session.commit()
    sign_in(client, "lead@example.org")
    row = next(r for r in csv_rows(client) if r["Email"] == "lead@example.org")
    assert row["Name"].startswith("'=") and row["Job role"].startswith("'+")
    book = client.get("/reports/completions.xlsx").data
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        people = opened.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in people
    assert "&apos;=HYPERLINK" in people or "'=HYPERLINK" in people


def test_text_starting_like_a_formula_is_quoted_in_every_column_of_both_spreadsheets(client, world):
    lead = db.session.get(User, world["lead"].id)
    lead.name, lead.job_role, lead.email = "@SUM(1)", "\tTabbed", "-lead@example.org"
    lead.team = world["team"]
    world["team"].name = "+Early help"
    world["own"].name = "=Northbridge Council"
    db.session.commit()
    sign_in(client, "-lead@example.org")
    row = next(r for r in csv_rows(client) if r["Email"] == "'-lead@example.org")
    assert [row[c] for c in ("Name", "Organisation", "Team", "Job role")] == [
        "'@SUM(1)",
        "'=Northbridge Council",
        "'+Early help",
        "'\tTabbed",
    ]
    assert row["Completed on"] == "" and row["Best final assessment score (%)"] == ""
    book = client.get("/reports/completions.xlsx").data
    people = xlsx_rows(book)
    lead_row = next(r for r in people if r[1] == "'-lead@example.org")
    assert lead_row[:6] == [
        "'@SUM(1)",
        "'-lead@example.org",
        "'=Northbridge Council",
        "Children's social care",
        "'+Early help",
        "'\tTabbed",
    ]
    with zipfile.ZipFile(io.BytesIO(book)) as opened:
        assert "<f>" not in opened.read("xl/worksheets/sheet2.xml").decode()


def test_a_deleted_account_stays_in_the_figures_as_deleted_user(client, world):
    done = db.session.scalars(db.select(User).where(User.email == "done@example.org")).one()
    delete_account(done)
    delete_account_again = db.session.get(User, done.id)
    assert delete_account_again is None
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.dashboard")
    assert figure(page, "Completed and in date") == "1 (25%)"
    assert "deleted user" in text_of(page)
    assert "done@example.org" not in text_of(page) and "Test Learner" not in [
        r["Name"] for r in csv_rows(client) if r["Status"] == "Completed"
    ]
    assert [r["Name"] for r in csv_rows(client) if r["Status"] == "Completed"] == ["deleted user"]


def test_reminders_go_to_the_overdue_and_not_started_in_the_list_only(client, world, app):
    sign_in(client, "lead@example.org")
    before = get_page(client, "reports.dashboard")
    assert before.find("button", string=re.compile("Send reminders"))
    response = client.post("/reports/reminders")
    assert response.status_code == 302
    sent = sorted(
        re.search(r"^To: (.*)$", p.read_text(), re.M).group(1)
        for p in outbox_folder().glob("*.eml")
    )
    assert sent == ["lead@example.org", "overdue@example.org"]
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "sent training reminders")
    ).one()
    assert event.details["people"] == 2
    after = client.get(response.location).get_data(as_text=True)
    assert "Reminder sent to 2 people." in after


def test_reports_are_refused_to_people_who_are_not_leads(client, world):
    make_user("learner", email="plain@example.org", org=world["own"])
    sign_in(client, "plain@example.org")
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/completions.csv").status_code == 403
    assert client.post("/reports/reminders").status_code == 403


def test_the_dashboard_needs_few_queries_whatever_the_number_of_people(client, world, app):
    from sqlalchemy import event

    for number in range(30):
        make_user("learner", email=f"more{number}@example.org", org=world["own"])
    sign_in(client, "lead@example.org")
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/reports/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) < 20


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_open_in_libreoffice(client, world, tmp_path, file_format):
    sign_in(client, "lead@example.org")
    source = tmp_path / f"report.{file_format}"
    source.write_bytes(client.get(f"/reports/completions.{file_format}").data)
    subprocess.run(
        [
            shutil.which("libreoffice"),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert (tmp_path / "report.pdf").stat().st_size > 0


def test_the_command_line_writes_the_same_report(runner, world, tmp_path, client):
    out = tmp_path / "report.csv"
    result = runner.invoke(
        args=[
            "export-report",
            "--format",
            "csv",
            "--as",
            "lead@example.org",
            "--status",
            "overdue",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert [r["Email"] for r in csv.DictReader(out.open())] == ["overdue@example.org"]
    refused = runner.invoke(
        args=["export-report", "--format", "pdf", "--as", "stranger@example.org", "-o", str(out)]
    )
    assert refused.exit_code != 0
    assert "is not the email address of a workforce lead or administrator" in refused.output
    elsewhere = runner.invoke(
        args=[
            "export-report",
            "--format",
            "xlsx",
            "--as",
            "lead@example.org",
            "--org",
            str(world["other"].id),
            "-o",
            str(out),
        ]
    )
    assert elsewhere.exit_code != 0 and "not one this person leads" in elsewhere.output
    assert "--format" in runner.invoke(args=["export-report", "--help"]).output


# A report proven row by row: two courses, so each person has a row per course, and people
# in every state, including two of the same name whose rows interleave when sorted.

ADVANCED_COURSE = """\
id: advanced
title: Advanced sharing
summary: A second course, so each person has a row per course.
audience: [health]
modules: [in-practice]
completion:
  quizzes: [why-share-check]
cpd_minutes: 30
validity_months: 12
last_reviewed: 2026-11-20
"""
ADVANCED_MODULE = """\
---
id: in-practice
title: In practice
duration_minutes: 10
outcomes:
  - Share in practice.
last_reviewed: 2026-11-20
sources:
  - title: Test source
    publisher: Test publisher
    year: 2024
---
## In practice

Share well.
"""


def noon(days_ago: int) -> datetime:
    """Midday UTC some days ago: the same calendar day in the UK, whatever the season."""
    return datetime.combine(TODAY - timedelta(days=days_ago), time(12), tzinfo=UTC)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def completed(user, course: str, days_ago: int, refresher_in: int, cycle: int = 0) -> None:
    db.session.add(
        CourseCompletion(
            user_id=user.id,
            course_id=course,
            cycle=cycle,
            completed_at=noon(days_ago),
            refresher_due=TODAY + timedelta(days=refresher_in),
            cpd_minutes=30,
        )
    )


def attempted(user, quiz: str, number: int, percent: int | None) -> None:
    db.session.add(
        Attempt(
            user_id=user.id,
            quiz_id=quiz,
            number=number,
            content_version="v1",
            started_at=noon(5),
            finished_at=noon(5) if percent is not None else None,
            score=percent,
            max_score=100 if percent is not None else None,
            percent=percent,
            passed=percent is not None and percent >= 75,
        )
    )


def person(email: str, name: str, org, **details) -> User:
    """A learner who never signs in, so no password is hashed for them."""
    user = User(email=email, name=name, password_hash="!", organisation=org, **details)
    user.roles = [RoleGrant(role="learner")]
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def varied(tmp_path):
    """A lead of two organisations whose people are in every state of two courses."""
    content = tmp_path / "content"
    shutil.copytree(VALID_CONTENT, content)
    (content / "modules" / "advanced").mkdir()
    (content / "modules" / "advanced" / "course.yaml").write_text(ADVANCED_COURSE)
    (content / "modules" / "advanced" / "01-in-practice.md").write_text(ADVANCED_MODULE)
    with fresh_database(make_app(tmp_path, CONTENT_DIR=str(content))) as app:
        own = make_organisation("Northbridge Council")
        sister = make_organisation("Northbridge Health", sector="health")
        elsewhere = make_organisation("Faraway Police", sector="police")
        team = Team(organisation=own, name="Early help")
        db.session.add(team)
        lead = make_user("lead", email="bea@example.org", org=own)
        lead.name = "Bea Lead"
        db.session.add(LeadScope(user_id=lead.id, organisation_id=sister.id))
        amy = person("amy@example.org", "Amy Adams", own, team=team, job_role="Social worker")
        db.session.add(ModuleRead(user_id=amy.id, course_id="advanced", module_id="in-practice"))
        completed(amy, "basics", days_ago=10, refresher_in=700)
        attempted(amy, "basics-check", 1, 70)
        attempted(amy, "basics-check", 2, 90)
        ann = person("ann@example.org", "Ann Health", sister)
        attempted(ann, "why-share-check", 1, 80)
        ben = person("ben@example.org", "Ben Brown", own)
        completed(ben, "advanced", days_ago=400, refresher_in=-35)
        attempted(ben, "why-share-check", 1, 60)
        completed(ben, "basics", days_ago=800, refresher_in=-70)
        completed(ben, "basics", days_ago=20, refresher_in=710, cycle=1)
        cara = person("cara@example.org", "Cara Cole", own)
        attempted(cara, "basics-check", 1, None)
        dan = person("dan@example.org", "Dan Dunn", own)
        db.session.add(ModuleRead(user_id=dan.id, course_id="basics", module_id="why-share"))
        person("dan2@example.org", "Dan Dunn", own)
        dee = person("dee@example.org", "Dee Evans", own, team=team, job_role="Health visitor")
        completed(dee, "basics", days_ago=30, refresher_in=30)
        idle = person("ivy@example.org", "Ivy Idle", own, is_active_account=False)
        completed(idle, "basics", days_ago=10, refresher_in=700)
        stranger = person("sam@example.org", "Sam Stranger", elsewhere)
        completed(stranger, "basics", days_ago=10, refresher_in=700)
        gone = person("zoe@example.org", "Zoe Gone", own)
        completed(gone, "basics", days_ago=50, refresher_in=600)
        db.session.add(ModuleRead(user_id=gone.id, course_id="advanced", module_id="in-practice"))
        db.session.commit()
        delete_account(gone)
        client = app.test_client()
        sign_in(client, "bea@example.org")
        yield {"app": app, "client": client, "team": team, "sister": sister}


PEOPLE = {
    "amy": ("Amy Adams", "amy@example.org", "Northbridge Council", "Early help", "Social worker"),
    "ann": ("Ann Health", "ann@example.org", "Northbridge Health", "", ""),
    "bea": ("Bea Lead", "bea@example.org", "Northbridge Council", "", ""),
    "ben": ("Ben Brown", "ben@example.org", "Northbridge Council", "", ""),
    "cara": ("Cara Cole", "cara@example.org", "Northbridge Council", "", ""),
    "dan": ("Dan Dunn", "dan@example.org", "Northbridge Council", "", ""),
    "dan2": ("Dan Dunn", "dan2@example.org", "Northbridge Council", "", ""),
    "dee": ("Dee Evans", "dee@example.org", "Northbridge Council", "Early help", "Health visitor"),
    "gone": ("deleted user", "", "Northbridge Council", "", ""),
}
AGENCIES = {"Northbridge Council": "Children's social care", "Northbridge Health": "Health"}
COURSE_TITLES = {"advanced": "Advanced sharing", "basics": "Sharing basics"}
# (person, course, status, completed days ago, best score, refresher due in days)
ROWS = {
    "amy-advanced": ("amy", "advanced", "In progress", None, "", None),
    "amy-basics": ("amy", "basics", "Completed", 10, 90, 700),
    "ann-advanced": ("ann", "advanced", "In progress", None, 80, None),
    "ann-basics": ("ann", "basics", "Not started", None, "", None),
    "bea-advanced": ("bea", "advanced", "Not started", None, "", None),
    "bea-basics": ("bea", "basics", "Not started", None, "", None),
    "ben-advanced": ("ben", "advanced", "Overdue for a refresher", 400, 60, -35),
    "ben-basics": ("ben", "basics", "Completed", 20, "", 710),
    "cara-advanced": ("cara", "advanced", "Not started", None, "", None),
    "cara-basics": ("cara", "basics", "In progress", None, "", None),
    "dan-advanced": ("dan", "advanced", "Not started", None, "", None),
    "dan-basics": ("dan", "basics", "In progress", None, "", None),
    "dan2-advanced": ("dan2", "advanced", "Not started", None, "", None),
    "dan2-basics": ("dan2", "basics", "Not started", None, "", None),
    "dee-advanced": ("dee", "advanced", "Not started", None, "", None),
    "dee-basics": ("dee", "basics", "Completed", 30, "", 30),
    "gone-basics": ("gone", "basics", "Completed", 50, "", 600),
    # The same people and courses seen through a date range that leaves out a completion.
    "amy-basics-attempted": ("amy", "basics", "In progress", None, 90, None),
    "ben-advanced-attempted": ("ben", "advanced", "In progress", None, 60, None),
    "ben-basics-first": ("ben", "basics", "Overdue for a refresher", 800, "", -70),
    "dee-basics-unseen": ("dee", "basics", "Not started", None, "", None),
}
BY_NAME = [
    "amy-advanced",
    "amy-basics",
    "ann-advanced",
    "ann-basics",
    "bea-advanced",
    "bea-basics",
    "ben-advanced",
    "ben-basics",
    "cara-advanced",
    "cara-basics",
    "dan-advanced",
    "dan2-advanced",
    "dan-basics",
    "dan2-basics",
    "dee-advanced",
    "dee-basics",
    "gone-basics",
]
NOT_STARTED_LATER = [
    "ann-basics",
    "bea-advanced",
    "bea-basics",
    "cara-advanced",
    "dan-advanced",
    "dan2-advanced",
    "dan2-basics",
    "dee-advanced",
]
IN_ORDER = {
    "": BY_NAME,
    "sort=status": [
        *["amy-basics", "ben-basics", "dee-basics", "gone-basics"],
        *["amy-advanced", "ann-advanced", "cara-basics", "dan-basics"],
        *NOT_STARTED_LATER,
        "ben-advanced",
    ],
    "sort=completed": [
        *["ben-advanced", "gone-basics", "dee-basics", "ben-basics", "amy-basics"],
        *[key for key in BY_NAME if ROWS[key][3] is None],
    ],
    "sort=refresher": [
        *["ben-advanced", "dee-basics", "gone-basics", "amy-basics", "ben-basics"],
        *[key for key in BY_NAME if ROWS[key][3] is None],
    ],
    "sort=organisation": [key for key in BY_NAME if not key.startswith("ann")]
    + ["ann-advanced", "ann-basics"],
    "sort=course": [key for key in BY_NAME if "advanced" in key]
    + [key for key in BY_NAME if "basics" in key],
    "status=overdue": ["ben-advanced"],
    "status=not-started": NOT_STARTED_LATER,
    "status=not-started&sort=course": [
        *["bea-advanced", "cara-advanced", "dan-advanced", "dan2-advanced", "dee-advanced"],
        *["ann-basics", "bea-basics", "dan2-basics"],
    ],
    "status=in-progress&sort=refresher": [
        "amy-advanced",
        "ann-advanced",
        "cara-basics",
        "dan-basics",
    ],
    "course=basics": [key for key in BY_NAME if "basics" in key],
    "team={team}": ["amy-advanced", "amy-basics", "dee-advanced", "dee-basics"],
    "org={sister}": ["ann-advanced", "ann-basics"],
    "agency=health": ["ann-advanced", "ann-basics"],
    "job_role=Social+worker": ["amy-advanced", "amy-basics"],
    "from={25 days ago}": [
        *["amy-advanced", "amy-basics", "ann-advanced", "ann-basics", "bea-advanced"],
        *["bea-basics", "ben-advanced-attempted", "ben-basics", "cara-advanced", "cara-basics"],
        *["dan-advanced", "dan2-advanced", "dan-basics", "dan2-basics", "dee-advanced"],
        "dee-basics-unseen",
    ],
    "to={25 days ago}&sort=completed": [
        *["ben-basics-first", "ben-advanced", "gone-basics", "dee-basics", "amy-advanced"],
        *["amy-basics-attempted", "ann-advanced", "ann-basics", "bea-advanced", "bea-basics"],
        *["cara-advanced", "cara-basics", "dan-advanced", "dan2-advanced", "dan-basics"],
        *["dan2-basics", "dee-advanced"],
    ],
    "from={45 days ago}&to={15 days ago}&status=completed": ["ben-basics", "dee-basics"],
}


def expected_csv_row(key: str) -> list[str]:
    who, course, status, days_ago, score, refresher_in = ROWS[key]
    name, email, organisation, team, job_role = PEOPLE[who]
    return [
        *(name, email, organisation, AGENCIES[organisation], team, job_role),
        *(COURSE_TITLES[course], status, "" if days_ago is None else day(-days_ago)),
        *(str(score), "" if refresher_in is None else day(refresher_in)),
    ]


def query_for(varied, wanted: str) -> str:
    return wanted.format(
        team=varied["team"].id,
        sister=varied["sister"].id,
        **{f"{n} days ago": day(-n) for n in (15, 25, 45)},
    )


def test_the_csv_holds_exactly_the_rows_in_view_in_the_order_chosen(varied):
    for wanted, keys in IN_ORDER.items():
        response = varied["client"].get(f"/reports/completions.csv?{query_for(varied, wanted)}")
        expected = io.StringIO()
        csv.writer(expected, lineterminator="\r\n").writerows(
            [services.HEADER, *(expected_csv_row(key) for key in keys)]
        )
        assert response.get_data(as_text=True) == expected.getvalue(), wanted


def xlsx_rows(book: bytes) -> list[list[str]]:
    """The people sheet's rows after the header, each cell as the CSV writes it: text as
    it is, numbers as digits, dates (numbers in a date format) as 2026-11-27, empty as ""."""
    with zipfile.ZipFile(io.BytesIO(book)) as opened, warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # plain tags, read as such
        sheet = BeautifulSoup(opened.read("xl/worksheets/sheet2.xml"), "html.parser")
    rows = []
    for row in sheet.find("sheetdata").find_all("row")[1:]:
        cells = [""] * len(services.HEADER)
        for cell in row.find_all("c"):
            column = ord(cell["r"][0]) - ord("A")
            if cell.get("t") == "inlineStr":
                cells[column] = cell.get_text()
            elif services.HEADER[column] in ("Completed on", "Refresher due"):
                day = date(1899, 12, 30) + timedelta(days=int(cell.v.get_text()))
                cells[column] = day.isoformat()
            else:
                cells[column] = cell.v.get_text()
        rows.append(cells)
    return rows


def test_the_workbook_holds_the_same_rows_as_the_csv(varied):
    book = varied["client"].get("/reports/completions.xlsx").data
    assert xlsx_rows(book) == [expected_csv_row(key) for key in BY_NAME]


def shown(row: list[str]) -> list[str]:
    """A CSV row as the dashboard's list shows it."""
    name, email, organisation, _agency, team, job_role, course, status = row[:8]
    completed_on, score, refresher = row[8:]
    return [
        " ".join(part for part in (name, job_role, email) if part),
        " ".join(part for part in (organisation, team) if part),
        course,
        status,
        long_date(date.fromisoformat(completed_on)) if completed_on else "",
        f"{score}%" if score else "",
        long_date(date.fromisoformat(refresher)) if refresher else "",
    ]


def test_each_page_of_the_list_holds_the_next_rows_in_the_order_chosen(varied, monkeypatch):
    from trainer.reports import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    for wanted, keys in IN_ORDER.items():
        pages = -(-len(keys) // 3)
        seen: list[list[str]] = []
        for number in range(1, pages + 2):
            query = f"{query_for(varied, wanted)}&page={number}"
            page = BeautifulSoup(
                varied["client"].get(f"/reports/?{query}").get_data(as_text=True), "html.parser"
            )
            assert f"Page {min(number, pages)} of {pages}." in text_of(page), query
            rows = [
                [cell.get_text(" ", strip=True) for cell in row.select("td")]
                for row in page.select("#people-table tbody tr")
            ]
            if number > pages:  # past the last page: the last page again
                assert rows == seen[-len(rows) :], query
            else:
                seen += rows
        assert seen == [shown(expected_csv_row(key)) for key in keys], wanted


def tally_cells(page: BeautifulSoup, figures_id: str) -> list[list[str]]:
    table = page.select_one(f"table#{figures_id}")
    return [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]


def test_the_dashboard_figures_count_every_row_in_view_exactly(varied):
    page = get_page(varied["client"], "reports.dashboard")
    assert [
        (row.dt.get_text(strip=True), row.dd.get_text(strip=True))
        for row in page.select("#key-figures .govuk-summary-list__row")
    ] == [
        ("People and courses in view", "17"),
        ("Completed and in date", "4 (23%)"),
        ("In progress", "4"),
        ("Not started", "8"),
        ("Overdue for a refresher", "1"),
        ("Refresher due within 60 days", "1"),
    ]
    assert tally_cells(page, "by-course-figures") == [
        ["Advanced sharing", "8", "0", "0%", "2", "5", "1", "0"],
        ["Sharing basics", "9", "4", "44%", "2", "3", "0", "1"],
    ]
    assert tally_cells(page, "by-organisation-figures") == [
        ["Northbridge Council", "15", "4", "26%", "3", "7", "1", "1"],
        ["Northbridge Health", "2", "0", "0%", "1", "1", "0", "0"],
    ]
    assert tally_cells(page, "by-agency-figures") == [
        ["Children's social care", "15", "4", "26%", "3", "7", "1", "1"],
        ["Health", "2", "0", "0%", "1", "1", "0", "0"],
    ]
    assert tally_cells(page, "by-team-figures") == [
        ["Early help (Northbridge Council)", "4", "2", "50%", "1", "1", "0", "1"],
        ["No team (Northbridge Council)", "11", "2", "18%", "2", "6", "1", "0"],
        ["No team (Northbridge Health)", "2", "0", "0%", "1", "1", "0", "0"],
    ]
    response = varied["client"].get("/reports/?status=overdue")
    overdue = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert tally_cells(overdue, "by-course-figures") == [
        ["Advanced sharing", "1", "0", "0%", "0", "0", "1", "0"]
    ]
