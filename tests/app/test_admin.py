"""The administrators' area, and who may reach each report and admin address."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from flask import g

from tests.conftest import get_page, make_organisation, make_user, sign_in
from trainer.extensions import db
from trainer.mail import outbox_folder
from trainer.models import (
    AuditEvent,
    Certificate,
    CourseCompletion,
    ImportBatch,
    LeadScope,
    Organisation,
    Team,
    User,
)

GOOD_CSV = (
    "Name,Email,Organisation,Team,Job role,Roles\n"
    "Ana Ortiz,ana@example.org,Northbridge Council,Early help,Nurse,learner\n"
    "Ben Bell,BEN@example.org,northbridge council,,,lead;learner\n"
)


@pytest.fixture
def places(app):
    own = make_organisation("Northbridge Council")
    other = make_organisation("Faraway Police", sector="police")
    db.session.add_all(
        [Team(organisation=own, name="Early help"), Team(organisation=other, name="CID")]
    )
    db.session.commit()
    people = {
        role: make_user(role, email=f"{role}@example.org", org=own)
        for role in ("learner", "trainer", "lead", "admin")
    }
    outsider = make_user("learner", email="outsider@example.org", org=other)
    completion = CourseCompletion(
        user_id=outsider.id,
        course_id="basics",
        completed_at=datetime.now(UTC),
        refresher_due=date(2030, 1, 1),
        cpd_minutes=40,
    )
    db.session.add(completion)
    db.session.flush()
    certificate = Certificate(
        completion_id=completion.id,
        code="CODE-OUTSIDER",
        holder_name="Test Learner",
        course_title="Sharing basics",
        content_version="v1",
        expires_on=date(2030, 1, 1),
    )
    db.session.add(certificate)
    db.session.commit()
    return {"own": own, "other": other, "outsider": outsider, "certificate": certificate, **people}


def addresses(places) -> list[tuple[str, str, str]]:
    """(address, kind, which organisation): every report and admin address."""
    own, other = places["own"].id, places["other"].id
    report = (
        [("/reports/", "report", "own")]
        + [
            (f"/reports/completions.{f}?org={org}", "report", name)
            for f in ("csv", "xlsx", "pdf")
            for org, name in ((own, "own"), (other, "other"))
        ]
        + [(f"/reports/?org={other}", "report", "other")]
    )
    admin = [
        ("/admin/", "admin", "all"),
        ("/admin/organisations", "admin", "all"),
        ("/admin/partnerships", "admin", "all"),
        ("/admin/people", "admin", "all"),
        ("/admin/imports", "admin", "all"),
        ("/admin/certificates", "admin", "all"),
        ("/admin/audit", "admin", "all"),
        ("/admin/audit.csv", "admin", "all"),
        (f"/admin/organisations/{own}", "admin", "own"),
        (f"/admin/organisations/{other}", "admin", "other"),
        (f"/admin/people/{places['lead'].id}", "admin", "own"),
        (f"/admin/people/{places['outsider'].id}", "admin", "other"),
        (f"/admin/certificates/{places['certificate'].id}/revoke", "admin", "other"),
    ]
    return report + admin


def expected(role: str, kind: str, which: str) -> int:
    if role == "anonymous":
        return 302
    if kind == "admin":
        return 200 if role == "admin" else 403
    if role == "admin":
        return 200
    if role == "lead":
        return 404 if which == "other" else 200
    return 403


@pytest.mark.parametrize("role", ["anonymous", "learner", "trainer", "lead", "admin"])
def test_every_address_for_every_role_and_organisation(client, places, role):
    if role != "anonymous":
        sign_in(client, f"{role}@example.org")
    for address, kind, which in addresses(places):
        response = client.get(address)
        response.get_data()  # reads a streamed download to its end
        assert response.status_code == expected(role, kind, which), (role, address)
        if role == "anonymous":
            assert "/auth/login" in response.location
        if role == "lead" and kind == "report" and response.status_code == 200:
            assert b"outsider@example.org" not in response.data


@pytest.mark.parametrize("role", ["learner", "trainer", "lead"])
def test_admin_changes_by_anyone_else_are_refused(client, places, role):
    sign_in(client, f"{role}@example.org")
    target = places["learner"].id
    for address, data in (
        ("/admin/organisations", {"name": "Sneaky", "sector": "health"}),
        (f"/admin/people/{target}/roles", {"roles": ["admin"]}),
        (f"/admin/people/{target}/deactivate", {}),
        (f"/admin/certificates/{places['certificate'].id}/revoke", {"reason": "no"}),
    ):
        assert client.post(address, data=data).status_code == 403, address
    assert not places["learner"].has_role("admin")
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Sneaky")) is None


def test_an_admin_grants_and_removes_roles_and_what_a_lead_leads(client, places):
    sign_in(client, "admin@example.org")
    person = places["learner"]
    before = get_page(client, "admin.person", user_id=person.id)
    assert before.find("input", {"name": "roles", "value": "learner", "checked": True})
    assert not before.find("input", {"name": "roles", "value": "lead", "checked": True})
    response = client.post(
        f"/admin/people/{person.id}/roles",
        data={"roles": ["learner", "lead"], "organisations_led": [str(places["other"].id)]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert person.role_names == {"learner", "lead"}
    scope = db.session.scalars(db.select(LeadScope).where(LeadScope.user_id == person.id)).one()
    assert scope.organisation_id == places["other"].id
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "roles changed")
    ).one()
    assert event.details["granted"] == ["lead"] and event.actor_id == places["admin"].id
    client.post(f"/admin/people/{person.id}/roles", data={"roles": ["learner"]})
    db.session.expire_all()
    assert person.role_names == {"learner"}
    assert db.session.scalar(db.select(LeadScope).where(LeadScope.user_id == person.id)) is None


def test_an_admin_cannot_lock_themselves_out(client, places):
    sign_in(client, "admin@example.org")
    admin = places["admin"]
    page = client.post(f"/admin/people/{admin.id}/roles", data={"roles": ["learner"]})
    assert "You cannot remove your own administrator role" in page.get_data(as_text=True)
    assert client.post(f"/admin/people/{admin.id}/deactivate").status_code == 302
    db.session.expire_all()
    assert admin.is_active_account and admin.has_role("admin")


def test_deactivating_signs_a_person_out_and_keeps_them_out(client, app, places):
    person_client = app.test_client()
    sign_in(person_client, "learner@example.org")
    assert person_client.get("/cpd/").status_code == 200
    sign_in(client, "admin@example.org")
    client.post(f"/admin/people/{places['learner'].id}/deactivate")
    # The test's app context is shared by every request, so forget who signed in last.
    g.pop("_login_user", None)
    assert person_client.get("/cpd/").status_code == 302
    assert sign_in(person_client, "learner@example.org").status_code == 200  # form shown again
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "account deactivated")
    )


def test_moving_a_person_between_organisations_and_teams(client, places):
    sign_in(client, "admin@example.org")
    person, other = places["learner"], places["other"]
    cid = db.session.scalar(db.select(Team).where(Team.name == "CID"))
    early = db.session.scalar(db.select(Team).where(Team.name == "Early help"))
    wrong = client.post(
        f"/admin/people/{person.id}",
        data={"organisation": str(other.id), "team": str(early.id), "job_role": "PC"},
    )
    assert "Select a team of the organisation chosen, or no team" in wrong.get_data(as_text=True)
    client.post(
        f"/admin/people/{person.id}",
        data={"organisation": str(other.id), "team": str(cid.id), "job_role": "PC"},
    )
    db.session.expire_all()
    assert (person.organisation_id, person.team_id, person.job_role) == (other.id, cid.id, "PC")


def test_a_move_without_an_organisation_or_team_says_so_and_changes_nothing(client, places):
    sign_in(client, "admin@example.org")
    person = places["learner"]
    before = (person.organisation_id, person.team_id, person.job_role)
    response = client.post(f"/admin/people/{person.id}", data={"job_role": "PC"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Select an organisation, or no organisation" in text
    assert "Select a team, or no team" in text
    db.session.expire_all()
    assert (person.organisation_id, person.team_id, person.job_role) == before


def test_organisations_partnerships_and_teams(client, places):
    sign_in(client, "admin@example.org")
    client.post("/admin/partnerships", data={"name": "Riverside Partnership"})
    response = client.post(
        "/admin/organisations",
        data={"name": "Riverside School", "sector": "education", "partnership": "1"},
    )
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Riverside School"))
    assert response.location.endswith(f"/admin/organisations/{org.id}")
    assert org.partnership.name == "Riverside Partnership"
    again = client.post(
        "/admin/organisations", data={"name": "Riverside School", "sector": "education"}
    )
    assert "An organisation called Riverside School already exists" in again.get_data(as_text=True)
    missing = client.post("/admin/organisations", data={"name": "", "sector": ""})
    text = missing.get_data(as_text=True)
    assert "Enter the name of the organisation" in text and "Select the agency type" in text
    client.post(f"/admin/organisations/{org.id}/teams", data={"name": "Year 6"})
    assert [t.name for t in org.teams] == ["Year 6"]


def test_linking_not_listed_and_merging_duplicates(client, places):
    typed = make_user("learner", email="typed@example.org")
    typed.organisation_other = "Northbridge Cncl"
    duplicate = make_organisation("Northbridge Council (old)")
    moved = make_user("learner", email="moved@example.org", org=duplicate)
    db.session.add(Team(organisation=duplicate, name="Early help"))
    db.session.commit()
    sign_in(client, "admin@example.org")
    before = get_page(client, "admin.index")
    assert "Northbridge Cncl" in before.get_text()
    own = places["own"].id
    client.post("/admin/not-listed", data={"typed": "Northbridge Cncl", "choice": str(own)})
    client.post(f"/admin/organisations/{duplicate.id}/merge", data={"choice": str(own)})
    db.session.expire_all()
    assert typed.organisation_id == own and typed.organisation_other == ""
    assert moved.organisation_id == own
    assert db.session.get(Organisation, duplicate.id) is None
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Team).where(Team.organisation_id == own)
        )
        == 1
    )
    after = get_page(client, "admin.index")
    assert "Everyone belongs to an organisation in the list." in after.get_text()


def upload(client, body: bytes, name: str = "staff.csv"):
    return client.post(
        "/admin/imports",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


def people_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_an_import_is_previewed_then_imported_once_with_invitations(client, places):
    sign_in(client, "admin@example.org")
    before = people_count()
    preview = BeautifulSoup(upload(client, GOOD_CSV.encode()).get_data(as_text=True), "html.parser")
    assert [td.get_text() for td in preview.select("#import-rows tbody tr td:nth-of-type(2)")] == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert people_count() == before  # nothing until confirmed
    batch = db.session.scalars(db.select(ImportBatch)).one()
    first = client.post(f"/admin/imports/{batch.id}")
    second = client.post(f"/admin/imports/{batch.id}")
    assert first.status_code == second.status_code == 302
    assert people_count() == before + 2
    ben = db.session.scalar(db.select(User).where(User.email == "ben@example.org"))
    assert ben.role_names == {"lead", "learner"} and not ben.check_password("anything at all")
    invitations = list(outbox_folder().glob("*.eml"))
    assert len(invitations) == 2 and "/auth/reset/" in invitations[0].read_text()
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "people imported")
    ).one()
    assert event.details["people"] == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"Full name,Mail\nAna,ana@example.org\n",
            "The file must have columns called name, email and organisation",
        ),
        (
            "name,email,organisation\nZoë,zoe@example.org,Northbridge Council\n".encode("latin-1"),
            "The file must be saved as CSV UTF-8",
        ),
        (b"name,email,organisation\n" + b"x" * (10 * 1024 * 1024), "split it into smaller files"),
        (b"name,email,organisation\n", "The file has no people in it"),
    ],
)
def test_a_file_that_cannot_be_read_says_what_to_do(client, places, body, message):
    sign_in(client, "admin@example.org")
    page = upload(client, body).get_data(as_text=True)
    assert message in page and ("Error:" in page or "What you sent is too large" in page)
    assert db.session.scalar(db.select(ImportBatch)) is None


def test_bad_rows_are_listed_and_left_out(client, places):
    sign_in(client, "admin@example.org")
    body = (
        b"name,email,organisation,team,roles\n"
        b"Ana,ana@example.org,Northbridge Council,,\n"
        b"Ana again,ana@example.org,Northbridge Council,,\n"
        b"Bad,not-an-email,Northbridge Council,,\n"
        b"Who,who@example.org,Nowhere Trust,,\n"
        b"Old,learner@example.org,Northbridge Council,,\n"
        b"Teamless,t@example.org,Northbridge Council,CID,\n"
        b"Boss,boss@example.org,Northbridge Council,,king\n"
    )
    page = BeautifulSoup(upload(client, body).get_data(as_text=True), "html.parser")
    errors = {
        int(r.td.get_text()): r.select("td")[1].get_text()
        for r in page.select("#import-errors tbody tr")
    }
    assert errors == {
        3: "ana@example.org is in the file more than once",
        4: "Enter an email address in the correct format, like name@example.com (not not-an-email)",
        5: "No organisation is called Nowhere Trust: add it first, or correct the name",
        6: "learner@example.org already has an account",
        7: "Northbridge Council has no team called CID: add the team first",
        8: "Roles must be chosen from learner, trainer, lead, admin (not king)",
    }
    assert len(page.select("#import-rows tbody tr")) == 1


def test_certificates_are_revoked_and_reissued_with_a_reason(client, places):
    sign_in(client, "admin@example.org")
    certificate = places["certificate"]
    found = get_page(client, "admin.certificates", q="CODE-OUTSIDER")
    assert "Valid until" in found.get_text()
    blank = client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert "Enter the reason" in blank.get_data(as_text=True)
    client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Issued in error"})
    assert client.get("/verify/CODE-OUTSIDER.json").json["status"] == "revoked"
    client.post(
        f"/admin/certificates/{certificate.id}/reissue", data={"reason": "Checked: it was right"}
    )
    assert client.get("/verify/CODE-OUTSIDER.json").json["status"] == "valid"
    reasons = [
        (e.action, e.details["reason"])
        for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action.like("certificate%"))
        )
    ]
    assert reasons == [
        ("certificate revoked", "Issued in error"),
        ("certificate re-issued", "Checked: it was right"),
    ]


def test_the_audit_log_filters_and_exports_and_the_export_is_audited(client, places):
    sign_in(client, "admin@example.org")
    client.post(f"/admin/people/{places['learner'].id}/deactivate")
    page = get_page(client, "admin.audit_log", action="account deactivated")
    rows = page.select("#audit tbody tr")
    assert len(rows) == 1 and "admin@example.org" in rows[0].get_text()
    exported = client.get("/admin/audit.csv?action=account+deactivated").get_data(as_text=True)
    assert exported.splitlines()[0] == "When,Who,What happened,Details"
    assert len(exported.splitlines()) == 2
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "exported audit log")
    ).one()
    assert event.details["filters"] == {"action": "account deactivated"}


def test_the_command_line_imports_all_or_nothing(runner, places, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_CSV)
    bad.write_text(GOOD_CSV + "Broken,broken,Northbridge Council,,,\n")
    before = people_count()
    refused = runner.invoke(args=["import-users", str(bad), "--as", "admin@example.org"])
    assert refused.exit_code != 0
    assert "line 4: Enter an email address in the correct format" in refused.output
    assert people_count() == before
    added = runner.invoke(args=["import-users", str(good), "--as", "admin@example.org"])
    assert added.exit_code == 0, added.output
    assert "Added 2 people" in added.output and people_count() == before + 2
    not_admin = runner.invoke(args=["import-users", str(good), "--as", "lead@example.org"])
    assert (
        not_admin.exit_code != 0
        and "is not the email address of an administrator" in not_admin.output
    )


def test_certificates_are_found_by_a_code_typed_as_people_read_it(client, places):
    from trainer.formats import grouped_code, new_certificate_code

    certificate = places["certificate"]
    certificate.code = new_certificate_code()
    db.session.commit()
    sign_in(client, "admin@example.org")
    typed = grouped_code(certificate.code).lower().replace("-", " ")
    found = get_page(client, "admin.certificates", q=typed)
    assert grouped_code(certificate.code) in found.select_one("#certificates code").get_text()
    client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Wrong name"})
    places["outsider"].name = "Corrected Name"
    db.session.commit()
    reissued = client.post(
        f"/admin/certificates/{certificate.id}/reissue", data={"reason": "Name corrected"}
    )
    assert reissued.status_code == 302
    db.session.refresh(certificate)
    assert len(certificate.code) == 12 and certificate.revoked_at is None
    assert certificate.holder_name == "Corrected Name"
