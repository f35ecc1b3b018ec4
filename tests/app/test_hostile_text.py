"""Text nobody types on purpose is refused with a clear message, and nothing is stored."""

import csv
import inspect
import io
import zipfile
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from flask_wtf import FlaskForm
from pypdf import PdfReader

import trainer
from tests.app.test_accounts import registration
from tests.app.test_cpd import add_activity
from tests.app.test_facilitate import (
    join_as_guest,
    make_session,
    new_session_form,
    open_room,
    person,
)
from tests.conftest import make_organisation, make_user
from trainer.extensions import db
from trainer.models import (
    DecisionRecord,
    ExternalActivity,
    ImportBatch,
    Participant,
    Reflection,
    SessionFeedback,
    Team,
    TrainingSession,
    User,
)
from trainer.web import Form, has_hidden_characters

HIDDEN = ["\x00", "\n", "\r", "\u202e", "\u2066", "\x1b"]


@pytest.mark.parametrize("character", HIDDEN, ids=repr)
def test_a_name_with_hidden_characters_is_refused_and_no_account_made(client, character):
    form = registration(name=f"Mallory{character}Visit http://evil.example")
    text = client.post("/auth/register", data=form).get_data(as_text=True)
    assert "Remove the hidden characters" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_right_to_left_override_cannot_spoof_a_name(client):
    form = registration(name="Dr \u202eeciffO\u202c Smith")
    text = client.post("/auth/register", data=form).get_data(as_text=True)
    assert "Remove the hidden characters" in text


def test_account_emails_never_repeat_what_a_stranger_typed(app, client):
    client.post("/auth/register", data=registration(name="Win a prize at evil.example"))
    outbox = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert outbox
    assert all("evil.example" not in path.read_text() for path in outbox)


def test_multi_line_fields_keep_new_lines_but_refuse_control_characters(client, learner):
    add_activity(client, notes="line one\nline two")
    assert db.session.scalars(db.select(ExternalActivity.notes)).all() == ["line one\nline two"]
    assert "Remove the hidden characters" in add_activity(client, notes="bad\x00").text
    assert db.session.scalar(db.select(db.func.count()).select_from(ExternalActivity)) == 1


def test_a_reflection_with_hidden_characters_is_refused_and_kept_on_screen(client, learner):
    client.post("/courses/basics/why-share/complete")
    key = "read-1"
    response = client.post(f"/cpd/entries/{key}/reflection", data={"learned": "A\u202eB"})
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "Remove the hidden characters" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Reflection)) == 0


def test_a_decision_record_with_a_nul_is_refused(client, learner):
    url = client.post("/quizzes/bruise-scenario/start").headers["Location"]
    client.post(url, data={"step": "visit", "choice": "refer-today"})
    client.post(url, data={"step": "call", "choice": "protect-referrer"})
    fields = ("decision", "shared_with", "when", "reasons", "lawful_basis")
    record = {name: "Referred the same day." for name in fields}
    client.post(f"{url}/record", data={**record, "reasons": "x\x00y"})
    assert db.session.scalar(db.select(db.func.count()).select_from(DecisionRecord)) == 0


def test_every_form_of_the_service_is_a_safe_form():
    """A new form that forgets the rule fails here."""
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(trainer.__path__, "trainer."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def all_subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from all_subclasses(sub)

    ours = [
        c for c in all_subclasses(FlaskForm) if inspect.getmodule(c).__name__.startswith("trainer.")
    ]
    assert ours
    assert [c.__qualname__ for c in ours if not issubclass(c, Form)] == []


@pytest.mark.parametrize(
    ("text", "multiline", "hidden"),
    [
        ("Plain name", False, False),
        ("Zoë O'Brien-Smith", False, False),
        ("two\nlines", False, True),
        ("two\nlines\r\n\tindented", True, False),
        ("nul\x00", True, True),
        ("\u2067isolate", True, True),
        ("arabic \u0627\u0644\u0639\u0631\u0628\u064a\u0629", False, False),
    ],
)
def test_what_counts_as_hidden(text, multiline, hidden):
    assert has_hidden_characters(text, multiline) is hidden


# Text that is harmless to type but would do something if a page, spreadsheet or PDF ran it:
# a formula start, HTML, and the emphasis marks a PDF writer's markdown mode would apply.
def runnable(start: str, word: str) -> str:
    return f"{start}{word}+1 <b>{word}</b> **{word}** <i>{word}</i>"


TITLE = runnable("=", "Title")
VENUE = runnable("+", "Room")
GUEST = runnable("-", "Guest")
COMMENT = runnable("@", "Note") + "\nA second line"
NAME = runnable("=", "Ana")
EMAIL = "=ana+1@example.org"
TEAM = runnable("@", "Team")


def _words(text: str) -> str:
    return " ".join(text.split())


def shown_as_text(response, typed: str) -> bool:
    """Whether a page shows what was typed as text: no tag of it became an element."""
    html = response.get_data(as_text=True)
    return _words(typed) in _words(BeautifulSoup(html, "html.parser").get_text())


def csv_cells(response) -> list[str]:
    return [
        cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
    ]


def xlsx_cells(response) -> dict[str, bool]:
    """Every cell's text in a workbook, and whether the cell is a formula."""
    x = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

    def text(element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{x}t"))

    # The workbook is the service's own output, read back: S314 is about untrusted XML.
    with zipfile.ZipFile(io.BytesIO(response.data)) as book:
        xml = {name: book.read(name) for name in book.namelist() if name.endswith(".xml")}
    parts = {name: ElementTree.fromstring(data) for name, data in xml.items()}  # noqa: S314
    shared = parts.get("xl/sharedStrings.xml")
    strings = [text(si) for si in shared] if shared is not None else []
    cells = {}
    for name, sheet in parts.items():
        if not name.startswith("xl/worksheets/sheet"):
            continue
        for cell in sheet.iter(f"{x}c"):
            shown = strings[int(cell.find(f"{x}v").text)] if cell.get("t") == "s" else text(cell)
            cells[shown] = cell.find(f"{x}f") is not None or cell.get("t") == "str"
    return cells


def pdf_text(response) -> str:
    assert response.data.startswith(b"%PDF"), response.status_code
    return _words(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    )


def emails_to(app, address: str) -> list[EmailMessage]:
    outbox = sorted((Path(app.instance_path) / "outbox").glob("*.eml"))
    messages = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in outbox]
    return [message for message in messages if message["To"] == address]


def calendar_lines(response) -> list[str]:
    return response.get_data(as_text=True).replace("\r\n ", "").split("\r\n")


@pytest.fixture
def org(app):
    return make_organisation("Northbridge Council")


@pytest.fixture
def host(org):
    """The trainer who runs the session."""
    return make_user("trainer", email="trainer@example.org", org=org)


def test_a_session_title_and_venue_come_out_as_typed_everywhere(app, org, host):
    make_user("learner", email="lena@example.org", org=org)
    presenter, lena = person(app, host.email), person(app, "lena@example.org")
    presenter.post("/sessions/new", data=new_session_form(org.id, title=TITLE, venue=VENUE))
    session = db.session.scalars(db.select(TrainingSession)).one()
    assert (session.title, session.venue) == (TITLE, VENUE)
    lena.post(f"/sessions/{session.id}/book")
    for browser, address in [
        (presenter, "/sessions/"),
        (presenter, f"/sessions/{session.id}"),
        (lena, "/sessions/"),
        (lena, f"/sessions/{session.id}"),
    ]:
        assert shown_as_text(browser.get(address), TITLE), address
    assert shown_as_text(lena.get(f"/sessions/{session.id}"), VENUE)
    form = BeautifulSoup(presenter.get(f"/sessions/{session.id}/edit").data, "html.parser")
    assert (
        form.select_one("#title")["value"] == TITLE and form.select_one("#venue")["value"] == VENUE
    )
    event = calendar_lines(lena.get(f"/sessions/{session.id}/calendar.ics"))
    assert f"SUMMARY:{TITLE}" in event and f"LOCATION:{VENUE}" in event
    (booked,) = emails_to(app, "lena@example.org")
    assert TITLE in booked["Subject"]
    assert f"{TITLE}\n" in booked.get_content() and f"Venue: {VENUE}\n" in booked.get_content()

    now = datetime.now(UTC)
    session.starts_at, session.ends_at = now - timedelta(minutes=30), now + timedelta(hours=2)
    db.session.commit()
    presenter.post(f"/sessions/{session.id}/open")
    db.session.refresh(session)
    lena.post("/join", data={"code": session.join_code, "agency": "health"})
    for page in ("live", "register", "summary", "handouts"):
        assert shown_as_text(presenter.get(f"/sessions/{session.id}/{page}"), TITLE), page
    assert shown_as_text(lena.get(f"/sessions/{session.id}/room"), TITLE)
    for export in ("register", "summary"):
        text = pdf_text(presenter.get(f"/sessions/{session.id}/{export}.pdf"))
        assert _words(TITLE) in text and _words(VENUE) in text, export
    entry = f"Session attended: {TITLE}"
    assert shown_as_text(lena.get("/cpd/"), entry)
    assert entry in csv_cells(lena.get("/cpd/record.csv"))
    assert _words(entry) in pdf_text(lena.get("/cpd/record.pdf"))


def test_a_guest_name_and_their_feedback_come_out_as_typed_everywhere(app, org, host):
    session, presenter = open_room(app, host, org)
    phone = join_as_guest(app, session.join_code, GUEST, "police")
    assert shown_as_text(phone.get(f"/sessions/{session.id}/room"), GUEST)
    phone.post(f"/sessions/{session.id}/feedback", data={"rating": "4", "comment": COMMENT})
    assert db.session.scalars(db.select(SessionFeedback.comment)).all() == [COMMENT]
    assert shown_as_text(presenter.get(f"/sessions/{session.id}/register"), GUEST)
    assert shown_as_text(presenter.get(f"/sessions/{session.id}/summary"), COMMENT)
    assert "'" + GUEST in csv_cells(presenter.get(f"/sessions/{session.id}/register.csv"))
    assert _words(GUEST) in pdf_text(presenter.get(f"/sessions/{session.id}/register.pdf"))
    assert _words(COMMENT) in pdf_text(presenter.get(f"/sessions/{session.id}/summary.pdf"))


def _staff_file(*row: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "organisation", "team"])
    writer.writerow(row)
    return out.getvalue().encode()


def _upload(client, body: bytes):
    return client.post(
        "/admin/imports",
        data={"file": (io.BytesIO(body), "staff.csv")},
        content_type="multipart/form-data",
    )


def test_imported_names_emails_and_teams_come_out_as_typed_everywhere(app, org):
    make_user("admin", email="admin@example.org", org=org)
    make_user("lead", email="lead@example.org", org=org)
    admin, lead = person(app, "admin@example.org"), person(app, "lead@example.org")
    admin.post(f"/admin/organisations/{org.id}/teams", data={"name": TEAM})
    assert db.session.scalars(db.select(Team.name)).all() == [TEAM]
    preview = _upload(admin, _staff_file(NAME, EMAIL, org.name, TEAM))
    assert all(shown_as_text(preview, typed) for typed in (NAME, EMAIL, TEAM))
    batch = db.session.scalars(db.select(ImportBatch)).one()
    admin.post(f"/admin/imports/{batch.id}")
    ana = db.session.scalars(db.select(User).where(User.email == EMAIL)).one()
    assert (ana.name, ana.team.name) == (NAME, TEAM)
    for address in ("/admin/people", f"/admin/people/{ana.id}", f"/admin/organisations/{org.id}"):
        assert shown_as_text(admin.get(address), TEAM if "organisations" in address else NAME)
    (invitation,) = emails_to(app, EMAIL)
    assert f"Dear {NAME},\n" in invitation.get_content()

    assert all(shown_as_text(lead.get("/reports/"), typed) for typed in (NAME, EMAIL))
    cells = csv_cells(lead.get("/reports/completions.csv"))
    assert {"'" + NAME, "'" + EMAIL, "'" + TEAM} <= set(cells)
    workbook = xlsx_cells(lead.get("/reports/completions.xlsx"))
    assert {"'" + NAME, "'" + EMAIL, "'" + TEAM} <= set(workbook)
    assert not any(workbook.values()), "a cell of the workbook is a formula"
    assert _words(TEAM) in pdf_text(lead.get("/reports/completions.pdf"))


# Hidden characters: a one-line field refuses new lines too; a comment may run over lines.
ONE_LINE = ["\x00", "\n", "\u202a", "\u202e", "\u2066", "\u2069"]
MULTI_LINE = ["\x00", "\u202d", "\u2068"]


@pytest.mark.parametrize("character", ONE_LINE, ids=repr)
@pytest.mark.parametrize("field", ["title", "venue"])
def test_a_session_title_or_venue_with_hidden_characters_is_refused(
    app, org, host, field, character
):
    presenter = person(app, host.email)
    hostile = {field: f"Room{character}2"}
    refused = presenter.post("/sessions/new", data=new_session_form(org.id, **hostile))
    assert "Remove the hidden characters" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 0
    session = make_session(host, [org])
    before = (session.title, session.venue, session.sequence)
    form = new_session_form(org.id, **{"title": session.title, "venue": session.venue, **hostile})
    refused = presenter.post(f"/sessions/{session.id}/edit", data=form)
    assert "Remove the hidden characters" in refused.get_data(as_text=True)
    db.session.refresh(session)
    assert (session.title, session.venue, session.sequence) == before


@pytest.mark.parametrize("character", ONE_LINE, ids=repr)
def test_a_guest_name_with_hidden_characters_is_refused(app, org, host, character):
    session, _presenter = open_room(app, host, org)
    refused = person(app).post(
        "/join",
        data={"code": session.join_code, "display_name": f"Sa{character}m", "agency": "police"},
    )
    assert "Remove the hidden characters" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 0


@pytest.mark.parametrize("character", MULTI_LINE, ids=repr)
def test_feedback_with_hidden_characters_is_refused(app, org, host, character):
    session, _presenter = open_room(app, host, org)
    phone = join_as_guest(app, session.join_code, "Sam", "police")
    refused = phone.post(
        f"/sessions/{session.id}/feedback", data={"rating": "4", "comment": f"Good{character}"}
    )
    assert "Remove the hidden characters" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SessionFeedback)) == 0


@pytest.mark.parametrize("character", ONE_LINE, ids=repr)
def test_a_team_name_with_hidden_characters_is_refused(app, org, character):
    make_user("admin", email="admin@example.org", org=org)
    admin = person(app, "admin@example.org")
    admin.post(f"/admin/organisations/{org.id}/teams", data={"name": f"Early{character}help"})
    page = admin.get(f"/admin/organisations/{org.id}")
    assert "Remove the hidden characters" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Team)) == 0


@pytest.mark.parametrize("character", ONE_LINE, ids=repr)
@pytest.mark.parametrize("column", [0, 1, 3])
def test_an_import_row_with_hidden_characters_is_listed_and_not_imported(
    app, org, column, character
):
    make_user("admin", email="admin@example.org", org=org)
    db.session.add(Team(organisation=org, name="Early help"))
    db.session.commit()
    row = ["Ana Ortiz", "ana@example.org", org.name, "Early help"]
    row[column] = row[column][:3] + character + row[column][3:]
    admin = person(app, "admin@example.org")
    preview = BeautifulSoup(_upload(admin, _staff_file(*row)).get_data(as_text=True), "html.parser")
    errors = [tr.get_text(" ", strip=True) for tr in preview.select("#import-errors tbody tr")]
    assert len(errors) == 1 and "Remove the hidden characters" in errors[0]
    assert preview.select("#import-rows tbody tr") == []
    batch = db.session.scalars(db.select(ImportBatch)).one_or_none()
    if batch is not None:
        admin.post(f"/admin/imports/{batch.id}")
    assert db.session.scalar(db.select(User.id).where(User.email.like("ana%"))) is None


# A new line cannot travel in the name of an uploaded file: the upload arrives without one.
@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202a", "\u202e", "\u2066"], ids=repr)
def test_an_upload_whose_file_name_has_hidden_characters_is_refused(app, org, character):
    make_user("admin", email="admin@example.org", org=org)
    admin = person(app, "admin@example.org")
    body = _staff_file("Ana Ortiz", "ana@example.org", org.name, "")
    refused = admin.post(
        "/admin/imports",
        data={"file": (io.BytesIO(body), f"staff{character}vsc.exe.csv")},
        content_type="multipart/form-data",
    )
    assert "Remove the hidden characters" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(ImportBatch)) is None


@pytest.mark.parametrize("character", ["\x1b", "\u202e", "\x00"], ids=repr)
def test_headings_with_hidden_characters_are_refused_and_never_repeated(
    app, org, runner, tmp_path, character
):
    make_user("admin", email="admin@example.org", org=org)
    body = f"name,email,organi{character}sation\nAna,ana@example.org,{org.name}\n".encode()
    page = _upload(person(app, "admin@example.org"), body).get_data(as_text=True)
    assert "Remove the hidden characters" in page and character not in page
    staff = tmp_path / "staff.csv"
    staff.write_bytes(body)
    refused = runner.invoke(args=["import-users", str(staff), "--as", "admin@example.org"])
    assert refused.exit_code != 0 and "Remove the hidden characters" in refused.output
    assert character not in refused.output
    assert db.session.scalar(db.select(ImportBatch)) is None


@pytest.mark.parametrize(
    "link", ["javascript://meet.example.org/%0Aalert(document.cookie)", "data://example.org/x"]
)
def test_a_meeting_link_must_be_a_web_address(app, org, host, link):
    presenter = person(app, host.email)
    form = new_session_form(org.id, venue="", online_link=link)
    refused = presenter.post("/sessions/new", data=form)
    assert "Enter the meeting link in full, starting with https://" in refused.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(TrainingSession)) == 0
