"""Reports for workforce leads: the dashboard, the list of people, exports, reminders and
anonymous counts of deleted accounts, always within the organisations a lead leads."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.conftest import get_page, make_organisation, make_user, sign_in
from trainer.account.services import delete_account
from trainer.extensions import db
from trainer.mail import outbox_folder
from trainer.models import (
    Attempt,
    AuditEvent,
    CourseCompletion,
    LeadScope,
    ModuleRead,
    Partnership,
    Team,
    User,
)

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
