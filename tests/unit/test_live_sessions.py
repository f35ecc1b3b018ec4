"""Pure parts of live sessions: stages cut from a case, join codes, calendar files."""

from datetime import UTC, datetime

from tests.conftest import VALID_CONTENT
from trainer.content import load_catalogue
from trainer.exports.ics import CalendarEvent, calendar
from trainer.facilitate.codes import ALPHABET, looks_like_a_code, new_code, normalise_code
from trainer.facilitate.live import live_stages, split_by_agency, split_stages

HTML = (
    '<h2 id="one">Stage 1: Visit</h2>\n<p>First.</p>\n'
    '<h2 id="two">Stage 2: Call</h2>\n<p>Second.</p><h3>Detail</h3><p>More.</p>'
)


def test_each_stage_holds_only_its_own_narrative():
    parts = split_stages(HTML, (("one", "Stage 1: Visit"), ("two", "Stage 2: Call")))
    assert parts == ["<p>First.</p>", "<p>Second.</p><h3>Detail</h3><p>More.</p>"]


def test_a_case_without_stages_is_one_stage():
    assert split_stages("<p>All.</p>", ()) == ["<p>All.</p>"]


def test_stages_ask_the_decisions_of_the_best_route_in_order():
    catalogue = load_catalogue(VALID_CONTENT)
    stages = live_stages(catalogue, "bruise-on-baby")
    assert [s.heading for s in stages] == ["Stage 1: The visit", "Stage 2: The call"]
    assert [s.step.id for s in stages] == ["visit", "call"]
    assert stages[0].best.id == "refer-today"
    assert "The mother asks" not in stages[0].html


def test_votes_are_split_by_agency_with_every_choice_listed():
    catalogue = load_catalogue(VALID_CONTENT)
    step = live_stages(catalogue, "bruise-on-baby")[0].step
    counts = split_by_agency([("wait", "police", 2), ("refer-today", "health", 3)], step)
    assert counts["total"] == 5
    assert counts["agencies"] == ["health", "police"]
    assert counts["choices"]["wait"] == {"total": 2, "by_agency": {"health": 0, "police": 2}}


def test_join_codes_avoid_look_alike_characters_and_accept_typing_slips():
    assert not set("01OIL") & set(ALPHABET)
    code = new_code()
    assert looks_like_a_code(code)
    assert normalise_code(f" {code[:3].lower()}-{code[3:]} ") == code


def test_calendar_event_keeps_its_uid_and_carries_its_sequence():
    event = CalendarEvent(
        uid="session-7@example.org",
        sequence=2,
        starts_at=datetime(2027, 3, 4, 9, 30, tzinfo=UTC),
        ends_at=datetime(2027, 3, 4, 12, 30, tzinfo=UTC),
        summary="Sharing; safely, together",
        location="Room 2, Civic Centre",
        description="x" * 200,
        is_cancelled=True,
    )
    text = calendar(event, "Training", datetime(2027, 1, 1, tzinfo=UTC))
    assert "UID:session-7@example.org\r\n" in text
    assert "SEQUENCE:2\r\n" in text and "STATUS:CANCELLED\r\n" in text
    assert "DTSTART:20270304T093000Z\r\n" in text
    assert "SUMMARY:Sharing\\; safely\\, together\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
