"""The per-case agency view: routes and missed principles counted per agency, small groups
suppressed, only within the organisations a lead leads, never per person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import get_page, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.models import Answer, Attempt, DecisionRecord, LeadScope

BEST = (("visit", "refer-today"), ("call", "protect-referrer"))
NAMED = (("visit", "refer-today"), ("call", "name-referrer"))
LATE = (("visit", "wait"), ("later", "refer-now"), ("call", "protect-referrer"))


def finish(user, route, number: int = 1, days_ago: int = 3) -> None:
    done = datetime.now(UTC) - timedelta(days=days_ago)
    attempt = Attempt(
        user_id=user.id,
        quiz_id="bruise-scenario",
        number=number,
        content_version="v1",
        started_at=done,
        finished_at=done,
        score=10,
        max_score=20,
        percent=50,
        passed=False,
    )
    attempt.answers = [
        Answer(position=i, item_id=step, value=choice) for i, (step, choice) in enumerate(route)
    ]
    db.session.add(attempt)
    db.session.commit()


@pytest.fixture
def teams(app):
    """Seven health staff and two in social care, led by one lead; a stranger elsewhere."""
    own = make_organisation("Northbridge Council")
    health = make_organisation("Northbridge Health", sector="health")
    other = make_organisation("Faraway Police", sector="police")
    lead = make_user("lead", email="lead@example.org", org=own)
    db.session.add(LeadScope(user_id=lead.id, organisation_id=health.id))
    for n in range(7):
        nurse = make_user("learner", email=f"nurse{n}@example.org", org=health)
        finish(nurse, BEST if n < 5 else NAMED)
        if n == 0:
            finish(nurse, LATE, number=2)  # only the first attempt counts
    for n in range(2):
        finish(make_user("learner", email=f"social{n}@example.org", org=own), LATE)
    for n in range(6):
        finish(make_user("learner", email=f"police{n}@example.org", org=other), NAMED)
    return {"lead": lead, "own": own, "health": health, "other": other}


def cells(page, caption_start: str) -> dict[str, list[str]]:
    table = next(
        t for t in page.select("table") if t.caption.get_text(strip=True).startswith(caption_start)
    )
    return {
        " ".join(row.th.get_text(" ", strip=True).split()): [
            td.get_text(strip=True) for td in row.select("td")
        ]
        for row in table.select("tbody tr")
    }


def test_the_case_list_counts_people_in_view_and_links_each_case(client, teams):
    sign_in(client, "lead@example.org")
    dashboard = get_page(client, "reports.dashboard")
    assert dashboard.select_one("#cases-link")["href"] == "/reports/cases/"
    page = get_page(client, "reports.cases")
    row = page.select_one("#case-list tbody tr")
    assert row.th.get_text(strip=True) == "A bruise on a baby"
    assert row.select("td")[-1].get_text(strip=True) == "9"  # not the police elsewhere
    only_own = get_page(client, "reports.cases", org=teams["own"].id)
    assert only_own.select_one("#case-list tbody tr td:last-child").get_text() == "fewer than 5"


def test_routes_and_missed_principles_per_agency_with_small_groups_suppressed(client, teams):
    sign_in(client, "lead@example.org")
    page = get_page(client, "reports.case", case_id="bruise-on-baby")
    text = page.get_text(" ", strip=True)
    assert "People who finished it: 9." in text
    routes = cells(page, "Routes taken")
    assert routes[
        "Best route Refer to children's social care today. Say you cannot discuss who raised a concern."
    ] == ["fewer than 5", "5"]
    assert all(
        value in ("fewer than 5", "not shown", "5") for row in routes.values() for value in row
    )
    missed = cells(page, "Principles and decision questions")
    assert set(missed) == {
        "Principle Protecting a child comes first",
        "Decision question Is there a clear purpose?",
    }
    assert all(value in ("fewer than 5", "not shown") for row in missed.values() for value in row)
    assert "nurse" not in text and "social0" not in text and "Test Learner" not in text


def test_the_case_view_is_within_scope_and_for_leads_only(client, teams):
    sign_in(client, "lead@example.org")
    assert client.get(f"/reports/cases/bruise-on-baby?org={teams['other'].id}").status_code == 404
    assert client.get("/reports/cases/no-such-case").status_code == 404
    client.post("/auth/logout")
    make_user("learner", email="plain@example.org", org=teams["own"])
    sign_in(client, "plain@example.org")
    assert client.get("/reports/cases/").status_code == 403
    assert client.get("/reports/cases/bruise-on-baby").status_code == 403


def test_the_case_view_reads_no_decision_records(client, teams, app):
    from sqlalchemy import event

    attempt = db.session.scalars(db.select(Attempt)).first()
    db.session.add(
        DecisionRecord(
            attempt_id=attempt.id,
            decision="Secret decision",
            shared_with="x",
            when="y",
            reasons="z",
            lawful_basis="w",
        )
    )
    db.session.commit()
    sign_in(client, "lead@example.org")
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        page = client.get("/reports/cases/bruise-on-baby").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert "Secret decision" not in page
    assert not any("decision_record" in s or "reflection" in s for s in statements)
