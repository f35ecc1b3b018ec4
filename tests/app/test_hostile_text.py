"""Text nobody types on purpose is refused with a clear message, and nothing is stored."""

import inspect
from pathlib import Path

import pytest
from flask_wtf import FlaskForm

import trainer
from tests.conftest import make_user, sign_in
from trainer.extensions import db
from trainer.models import DecisionRecord, ExternalActivity, Reflection, User
from trainer.web import Form, has_hidden_characters

HIDDEN = ["\x00", "\n", "\r", "\u202e", "\u2066", "\x1b"]
REGISTER = {
    "name": "Mallory",
    "email": "mallory@example.org",
    "password": "a long enough passphrase",
    "confirm": "a long enough passphrase",
    "organisation": "other",
    "organisation_other": "Somewhere",
    "sector": "health",
    "job_role": "Nurse",
}


@pytest.mark.parametrize("character", HIDDEN, ids=repr)
def test_a_name_with_hidden_characters_is_refused_and_no_account_made(client, character):
    form = {**REGISTER, "name": f"Mallory{character}Visit http://evil.example"}
    text = client.post("/auth/register", data=form).get_data(as_text=True)
    assert "Remove the hidden characters" in text
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_right_to_left_override_cannot_spoof_a_name(client):
    form = {**REGISTER, "name": "Dr \u202eeciffO\u202c Smith"}
    text = client.post("/auth/register", data=form).get_data(as_text=True)
    assert "Remove the hidden characters" in text


def test_account_emails_never_repeat_what_a_stranger_typed(app, client):
    client.post("/auth/register", data={**REGISTER, "name": "Win a prize at evil.example"})
    outbox = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert outbox
    assert all("evil.example" not in path.read_text() for path in outbox)


@pytest.fixture
def learner(client):
    make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")


def test_multi_line_fields_keep_new_lines_but_refuse_control_characters(client, learner):
    base = {
        "title": "Workshop",
        "provider": "Council",
        "activity_type": "facilitated-session",
        "done_on": ["3", "11", "2026"],
        "hours": "2",
        "participatory_hours": "1",
    }
    client.post("/cpd/activities/new", data={**base, "notes": "line one\nline two"})
    assert db.session.scalars(db.select(ExternalActivity.notes)).all() == ["line one\nline two"]
    text = client.post("/cpd/activities/new", data={**base, "notes": "bad\x00"}).get_data(
        as_text=True
    )
    assert "Remove the hidden characters" in text
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
