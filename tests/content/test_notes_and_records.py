"""What trainers and learners read around the modules: facilitator notes and model records."""

import re

import pytest
from bs4 import BeautifulSoup

from trainer import PROJECT_ROOT
from trainer.content import load_catalogue
from trainer.content.model import RECORD_PARTS

CATALOGUE = load_catalogue(PROJECT_ROOT)
NOTES = {
    **{f"course {c.id}": c.facilitator_notes_html for c in CATALOGUE.courses.values()},
    **{f"module {m.id}": m.facilitator_notes_html for m in CATALOGUE.modules.values()},
    **{f"case {c.id}": c.facilitator_notes_html for c in CATALOGUE.cases.values()},
}
SCENARIOS = [q for q in CATALOGUE.quizzes.values() if q.kind == "scenario"]


@pytest.mark.parametrize("name", sorted(name for name, html in NOTES.items() if html))
def test_facilitator_notes_bullets_are_lists_not_paragraph_text(name):
    paragraphs = BeautifulSoup(NOTES[name], "html.parser").find_all("p")
    run_together = [p.get_text() for p in paragraphs if re.search(r"\n\s*[-*+] ", p.get_text())]
    assert run_together == []


def test_session_plans_name_modules_by_their_linked_titles():
    for course in CATALOGUE.courses.values():
        page = BeautifulSoup(course.facilitator_notes_html, "html.parser")
        cells = {cell.get_text(strip=True) for cell in page.select("td")}
        assert cells.isdisjoint(CATALOGUE.modules), course.id
        linked = {a.get_text() for a in page.select("td a.app-link--module")}
        assert linked, course.id
        assert linked <= {m.title for m in CATALOGUE.modules.values()}


@pytest.mark.parametrize("quiz", SCENARIOS, ids=lambda quiz: quiz.id)
def test_model_records_break_lines_only_between_paragraphs(quiz):
    for name, _label in RECORD_PARTS:
        text = getattr(quiz.model_record, name)
        assert "\n" not in text.replace("\n\n", ""), name
