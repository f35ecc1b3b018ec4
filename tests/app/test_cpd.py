"""The CPD record: it fills itself, speaks each framework's language, and stays private."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.app.test_learning import BEST, RIGHT_CHECK, play, start
from tests.conftest import make_organisation, make_user, sign_in
from trainer.cpd.periods import current_cycle
from trainer.extensions import db
from trainer.models import (
    Attempt,
    Certificate,
    CourseCompletion,
    ExternalActivity,
    ModuleRead,
    Reflection,
)


def page_text(client, url: str = "/cpd/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def csv_rows(client, url: str = "/cpd/record.csv") -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def complete_course(client) -> None:
    """Both modules read, the first module's knowledge check passed, then the final."""
    client.post("/courses/basics/why-share/complete")
    client.post(start(client, "why-share-check"), data={"q-protects": "true"})
    client.post("/courses/basics/how-to-decide/complete")
    client.post(start(client, "basics-check"), data=RIGHT_CHECK)


def add_activity(client, **changes):
    data = {
        "title": "Multi-agency MARAC workshop",
        "provider": "Northbridge Safeguarding Partnership",
        "activity_type": "facilitated-session",
        "done_on": ["3", "11", "2026"],
        "hours": "2",
        "participatory_hours": "1.5",
        "notes": "Role play of a MARAC meeting.",
    }
    data.update(changes)
    return client.post("/cpd/activities/new", data=data)


def test_record_fills_itself_from_modules_scenarios_and_completions(client, learner):
    complete_course(client)
    play(client, BEST)
    text = page_text(client)
    assert "Why share" in text and "How to decide" in text
    assert "Scenario: a bruise on a baby" in text
    assert "Completed: Sharing basics" in text
    # 15 for the module whose check was passed, none yet for the other, 20 for the scenario,
    # and the course's 40 minus its modules' 40 for the final assessment: 0
    assert "CPD time 0.58 hours (35 minutes)" in text
    assert "Not counted yet: pass the module's knowledge check" in text
    assert "Participatory time 0.00 hours (0 minutes)" in text


def test_certificate_link_is_evidence_for_the_completion(client, learner):
    complete_course(client)
    page = BeautifulSoup(client.get("/cpd/").get_data(as_text=True), "html.parser")
    links = [a["href"] for a in page.select(".app-review a")]
    completion = db.session.scalars(db.select(CourseCompletion)).one()
    assert f"/cpd/certificates/basics.pdf?completion={completion.id}" in links


def test_adding_cpd_done_elsewhere(client, learner):
    response = add_activity(client)
    assert response.status_code == 302
    text = page_text(client)
    assert "Multi-agency MARAC workshop" in text
    assert "2 hours, of which 1 hour 30 minutes participatory" in text
    assert "Participatory time 1.50 hours (90 minutes)" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter the title of the activity"),
        ({"done_on": ["31", "2", "2026"]}, "Date must be a real date, like 27 3 2026"),
        ({"done_on": ["", "", ""]}, "Enter the date of the activity"),
        ({"hours": "0"}, "Time spent must be between 0.25 and 100 hours"),
        ({"hours": "two"}, "Time spent, in hours must be a number, like 1.5"),
        ({"participatory_hours": "3"}, "Participatory time cannot be more than the time spent"),
        ({"activity_type": "holiday"}, "Select the type of activity"),
    ],
)
def test_activity_errors_say_what_to_do_and_add_nothing(client, learner, changes, message):
    response = add_activity(client, **changes)
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert message in text
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalActivity)) == 0


def test_activity_in_the_future_is_refused(client, learner):
    tomorrow = date.today() + timedelta(days=1)
    response = add_activity(
        client, done_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]
    )
    assert "The date must be today or in the past" in response.get_data(as_text=True)


def test_reflection_uses_the_framework_prompts_and_can_be_edited(client, learner):
    client.post("/account", data={"framework": "social-work-england"})
    client.post("/courses/basics/why-share/complete")
    key = f"read-{db.session.scalars(db.select(ModuleRead)).one().id}"
    form = page_text(client, f"/cpd/entries/{key}/reflection")
    assert "What did you discuss with a peer?" in form
    client.post(f"/cpd/entries/{key}/reflection", data={"learned": "Share early.", "peer": ""})
    client.post(
        f"/cpd/entries/{key}/reflection",
        data={"learned": "Share early, and record it.", "peer": "Talked it through with my DSL."},
    )
    reflection = db.session.scalars(db.select(Reflection)).one()
    assert reflection.answers == {
        "learned": "Share early, and record it.",
        "peer": "Talked it through with my DSL.",
    }
    text = page_text(client)
    assert "CPD records with a reflection 1 of 2" in text
    assert "Records that include peer reflection 1 of 1 Met" in text


def test_nurse_sees_hours_toward_35_and_20_in_their_revalidation_period(client, learner):
    client.post("/account", data={"framework": "nmc", "cycle_start": ["1", "4", "2025"]})
    add_activity(client)
    text = page_text(client)
    assert "3-year period ending 31 March 2028" in text
    assert "CPD time 2.00 of 35.00 hours Not yet" in text
    assert "Participatory CPD time 1.50 of 20.00 hours" in text
    assert "Written reflective accounts 0 of 5" in text


def test_a_reflective_account_answers_every_prompt_but_peer_while_a_record_needs_one(
    client, learner
):
    client.post("/account", data={"framework": "nmc"})
    client.post("/courses/basics/why-share/complete")
    key = f"read-{db.session.scalars(db.select(ModuleRead)).one().id}"
    client.post(f"/cpd/entries/{key}/reflection", data={"learned": "Share early."})
    assert "Written reflective accounts 0 of 5" in page_text(client)
    client.post(
        f"/cpd/entries/{key}/reflection",
        data={"learned": "Share early.", "standards": "Preserve safety: sharing early."},
    )
    assert "Written reflective accounts 1 of 5" in page_text(client)


def test_record_can_be_filtered_by_dates(client, learner):
    add_activity(client, done_on=["3", "11", "2024"], title="Old workshop")
    add_activity(client, done_on=["3", "11", "2026"], title="New workshop")
    url = "/cpd/?period=dates&start=1&start=1&start=2026&end=31&end=12&end=2026"
    text = page_text(client, url)
    assert "New workshop" in text and "Old workshop" not in text
    assert [r["Title"] for r in csv_rows(client, url.replace("/cpd/?", "/cpd/record.csv?"))] == [
        "New workshop"
    ]


def test_a_module_counts_its_time_once_its_knowledge_check_is_passed(client, learner):
    client.post("/courses/basics/why-share/complete")
    text = page_text(client)
    assert "CPD time 0.00 hours (0 minutes)" in text
    assert "Not counted yet: pass the module's knowledge check" in text
    client.post(start(client, "why-share-check"), data={"q-protects": "true"})
    text = page_text(client)
    assert "CPD time 0.25 hours (15 minutes)" in text
    assert "counted because its knowledge check was passed" in text


def test_the_certificate_and_the_record_agree_on_a_course_s_minutes(client, learner):
    complete_course(client)
    rows = csv_rows(client, "/cpd/record.csv?period=all")
    course_minutes = sum(
        int(r["Minutes"]) for r in rows if r["Course, case or provider"] == "Sharing basics"
    )
    certificate = pdf_text(client.get("/cpd/certificates/basics.pdf").data)
    assert f"({course_minutes} minutes)" in certificate
    completed = next(r for r in rows if r["Title"] == "Completed: Sharing basics")
    assert completed["Refresher due"] and completed["Course, case or provider"] == "Sharing basics"


def test_minutes_agree_between_page_csv_and_pdf(client, learner):
    complete_course(client)
    play(client, BEST)
    add_activity(client)
    text = page_text(client, "/cpd/?period=all")
    rows = csv_rows(client, "/cpd/record.csv?period=all")
    total = sum(int(r["Minutes"]) for r in rows)
    participatory = sum(int(r["Participatory minutes"]) for r in rows)
    assert (total, participatory) == (155, 90)
    assert f"CPD time 2.58 hours ({total} minutes)" in text
    assert f"Participatory time 1.50 hours ({participatory} minutes)" in text
    pdf = pdf_text(client.get("/cpd/record.pdf?period=all").data)
    assert f"2.58 hours ({total} minutes)" in pdf
    assert f"participatory 1.50 hours ({participatory} minutes)" in pdf


def test_pdf_record_embeds_its_font_and_handles_pounds_and_accents(client, app):
    make_user("learner", email="zoe@example.org")
    from trainer.models import User

    user = db.session.scalars(db.select(User)).one()
    user.name = "Zoë Ó Súilleabháin"
    db.session.commit()
    sign_in(client, "zoe@example.org")
    add_activity(client, title="Conference (fee £45)")
    body = client.get("/cpd/record.pdf").data
    text = pdf_text(body)
    assert "Zoë Ó Súilleabháin" in text
    assert "Conference (fee £45)" in text
    reader = PdfReader(io.BytesIO(body))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts.values()
    ]
    assert all("/FontFile2" in d for d in descriptors)  # embedded, not just named
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_csv_defuses_spreadsheet_formulas(client, learner):
    add_activity(client, title='=HYPERLINK("http://evil.example")')
    assert csv_rows(client)[0]["Title"].startswith("'=")


def test_certificate_pdf_has_the_facts_a_typeable_code_and_the_verify_link(client, learner):
    complete_course(client)
    certificate = db.session.scalars(db.select(Certificate)).one()
    response = client.get("/cpd/certificates/basics.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    grouped = "-".join(certificate.code[i : i + 4] for i in (0, 4, 8))
    for fact in (
        "Test Learner",
        "Sharing basics",
        grouped,
        f"/verify/{certificate.code}",
        "0.25 hours (15 minutes)",
    ):
        assert fact in text
    assert certificate.content_version not in text  # an internal version means nothing to people
    assert len(certificate.code) == 12
    assert not set(certificate.code) & set("01OIL")  # no look-alike characters


def test_a_code_is_found_however_it_is_typed(client, learner):
    complete_course(client)
    code = db.session.scalars(db.select(Certificate.code)).one()
    typed = f" {code[:4].lower()} {code[4:8]}-{code[8:].lower()} "
    form = client.get("/verify", query_string={"code": typed})
    assert form.status_code == 302
    assert "Valid" in page_text(client, form.headers["Location"])
    assert client.get(f"/verify/{code.lower()}.json").get_json()["status"] == "valid"


def test_the_check_a_certificate_form_says_what_to_enter(client):
    page = page_text(client, "/verify")
    assert "Check a certificate" in page and "Certificate code" in page
    assert "Enter the certificate code" not in page  # no error before anything is sent
    assert "Enter the certificate code" in page_text(client, "/verify?code=")


def test_codes_issued_before_short_codes_keep_working(client, learner):
    complete_course(client)
    certificate = db.session.scalars(db.select(Certificate)).one()
    certificate.code = "Old_Style-Code_a1b2c3d4e5f6g7h8"
    db.session.commit()
    assert "Valid" in page_text(client, "/verify/Old_Style-Code_a1b2c3d4e5f6g7h8")
    assert client.get("/verify/old_style-code_a1b2c3d4e5f6g7h8").status_code == 404


def test_no_certificate_before_completion(client, learner):
    assert client.get("/cpd/certificates/basics.pdf").status_code == 404


def test_verify_page_and_json_say_valid_expired_or_revoked(client, learner):
    complete_course(client)
    certificate = db.session.scalars(db.select(Certificate)).one()
    client.post("/auth/logout")
    assert "Valid" in page_text(client, f"/verify/{certificate.code}")
    data = client.get(f"/verify/{certificate.code}.json").get_json()
    assert set(data) == {"status", "name", "course", "issued", "expires"}
    assert (data["status"], data["name"], data["course"]) == (
        "valid",
        "Test Learner",
        "Sharing basics",
    )
    certificate.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/verify/{certificate.code}.json").get_json()["status"] == "expired"
    certificate.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert "Revoked" in page_text(client, f"/verify/{certificate.code}")
    assert client.get(f"/verify/{certificate.code}.json").get_json()["status"] == "revoked"


def test_unknown_codes_are_said_plainly(client, app):
    response = client.get("/verify/not-a-real-code")
    assert response.status_code == 404
    assert "Certificate not found" in response.get_data(as_text=True)
    assert client.get("/verify/not-a-real-code.json").get_json() == {"status": "unknown"}


def test_verify_is_rate_limited(tmp_path):
    from tests.conftest import fresh_database, make_app

    app = make_app(tmp_path, RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="2 per minute")
    with fresh_database(app):
        client = app.test_client()
        statuses = [client.get("/verify/abc.json").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def test_a_retake_adds_a_completion_and_certificate_and_keeps_the_old(client, learner):
    complete_course(client)
    first = db.session.scalars(db.select(Certificate)).one()
    complete_course(client)
    certificates = db.session.scalars(db.select(Certificate)).all()
    assert len(certificates) == 2
    assert client.get(f"/verify/{first.code}.json").get_json()["status"] == "valid"
    assert db.session.scalar(db.select(db.func.count()).select_from(CourseCompletion)) == 2


@pytest.mark.parametrize("role", ["learner", "trainer", "lead", "admin"])
def test_reflections_are_private_to_their_author_for_every_role(client, app, role):
    org = make_organisation()
    make_user("learner", email="owner@example.org", org=org)
    sign_in(client, "owner@example.org")
    client.post("/courses/basics/why-share/complete")
    play(client, BEST)
    key = f"read-{db.session.scalars(db.select(ModuleRead)).one().id}"
    client.post(f"/cpd/entries/{key}/reflection", data={"learned": "My private thought."})
    attempt = db.session.scalars(db.select(Attempt)).one()
    client.post(
        f"/quizzes/bruise-scenario/attempts/{attempt.number}/record",
        data={
            "decision": "Secret decision",
            "shared_with": "x",
            "when": "x",
            "reasons": "x",
            "lawful_basis": "x",
        },
    )
    client.post("/auth/logout")

    make_user(role, email=f"other-{role}@example.org", org=org)
    sign_in(client, f"other-{role}@example.org")
    assert client.get(f"/cpd/entries/{key}/reflection").status_code == 404
    assert client.get(f"/quizzes/bruise-scenario/attempts/{attempt.number}").status_code == 404
    for url in ("/cpd/", "/cpd/record.csv", "/cpd/record.pdf", "/cpd/?period=all"):
        body = client.get(url).data
        assert b"My private thought." not in body and b"Secret decision" not in body
        assert "My private thought." not in (pdf_text(body) if url.endswith(".pdf") else "")


def test_exports_are_audited(client, learner):
    client.get("/cpd/record.csv")
    client.get("/cpd/record.pdf")
    from trainer.models import AuditEvent

    actions = db.session.scalars(
        db.select(AuditEvent.details).where(AuditEvent.action == "exported own CPD record")
    ).all()
    assert [a["format"] for a in actions] == ["csv", "pdf"]


def test_cpd_pages_need_sign_in(client, app):
    for url in ("/cpd/", "/cpd/record.csv", "/cpd/record.pdf", "/cpd/activities/new", "/account"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_registration_year_ends_on_30_november():
    from trainer import PROJECT_ROOT
    from trainer.content import load_catalogue

    swe = load_catalogue(PROJECT_ROOT).frameworks["social-work-england"]
    cycle = current_cycle(swe, date(2026, 11, 26), None)
    assert (cycle.start, cycle.end) == (date(2025, 12, 1), date(2026, 11, 30))
    cycle = current_cycle(swe, date(2026, 12, 1), None)
    assert (cycle.start, cycle.end) == (date(2026, 12, 1), date(2027, 11, 30))


def test_download_my_data_has_everything_of_mine_and_nothing_of_others(client, app):
    make_user("learner", email="other@example.org")
    sign_in(client, "other@example.org")
    add_activity(client, title="Someone else's workshop")
    client.post("/auth/logout")
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    complete_course(client)
    play(client, BEST)
    add_activity(client)
    response = client.get("/account/data.json")
    data = response.get_json()
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert data["profile"]["email"] == "lena@example.org"
    assert [a["title"] for a in data["cpd_activities"]] == ["Multi-agency MARAC workshop"]
    assert {a["quiz"] for a in data["quiz_attempts"]} == {
        "why-share-check",
        "basics-check",
        "bruise-scenario",
    }
    assert len(data["certificates"]) == 1 and len(data["modules_read"]) == 2


def test_deleting_my_account_needs_my_password_and_erases_everything(client, learner):
    complete_course(client)
    add_activity(client)
    code = db.session.scalars(db.select(Certificate)).one().code
    response = client.post("/account/delete", data={"password": "not my password"})
    assert "Enter your current password" in response.get_data(as_text=True)
    response = client.post(
        "/account/delete", data={"password": "correct horse battery staple"}, follow_redirects=True
    )
    assert "Your account and everything in it have been deleted." in response.get_data(as_text=True)
    from trainer.models import User

    for model in (User, ModuleRead, Attempt, CourseCompletion, Certificate, ExternalActivity):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0, model
    assert client.get(f"/verify/{code}.json").status_code == 404
    assert sign_in(client, "lena@example.org").status_code == 200  # no such account now


def test_revoking_a_certificate_from_the_command_line(client, app, runner, learner):
    complete_course(client)
    code = db.session.scalars(db.select(Certificate)).one().code
    result = runner.invoke(args=["revoke-certificate", code])
    assert (result.exit_code, result.output) == (0, f"Certificate {code} is revoked.\n")
    assert client.get(f"/verify/{code}.json").get_json()["status"] == "revoked"
    result = runner.invoke(args=["revoke-certificate", "no-such-code"])
    assert result.exit_code == 1 and "no certificate has the code no-such-code" in result.output


def test_download_links_keep_the_dates_the_record_is_filtered_by(client, learner):
    add_activity(client, done_on=["3", "11", "2024"], title="Old workshop")
    add_activity(client, done_on=["3", "11", "2026"], title="New workshop")
    url = "/cpd/?period=dates&start=1&start=1&start=2024&end=31&end=12&end=2024"
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    csv_link = page.find("a", string="Download this record as a spreadsheet (CSV)")["href"]
    assert [r["Title"] for r in csv_rows(client, csv_link)] == ["Old workshop"]
