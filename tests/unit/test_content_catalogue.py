"""Loading a valid content folder: what learners will see comes out as authored."""

from datetime import date

from tests.conftest import VALID_CONTENT
from trainer.content import load_catalogue


def test_valid_folder_loads_every_kind_of_content():
    catalogue = load_catalogue(VALID_CONTENT)
    assert catalogue.counts() == {
        "courses": 1,
        "modules": 2,
        "case_examples": 1,
        "quizzes": 3,
        "glossary_terms": 2,
    }
    assert catalogue.summary() == (
        "1 course, 2 modules, 1 case example, 3 quizzes, 2 glossary terms"
    )


def test_course_keeps_module_order_and_completion_rule():
    course = load_catalogue(VALID_CONTENT).courses["basics"]
    assert course.module_ids == ("why-share", "how-to-decide")
    assert course.completion_quizzes == ("basics-check",)
    assert course.validity_months == 24
    assert course.last_reviewed == date(2026, 11, 20)
    assert "<strong>half a day</strong>" in course.facilitator_notes_html


def test_module_markdown_renders_tables_admonitions_and_contents():
    module = load_catalogue(VALID_CONTENT).modules["why-share"]
    assert "<table>" in module.html
    assert '<div class="admonition note">' in module.html
    assert module.toc == (("why-it-matters", "Why it matters"),)
    assert module.sources[0].publisher == "Test publisher"


def test_internal_links_point_at_the_glossary_case_and_module():
    catalogue = load_catalogue(VALID_CONTENT)
    why = catalogue.modules["why-share"].html
    assert 'href="/glossary#term-dsl"' in why
    assert ">Designated safeguarding lead</a>" in why
    assert 'href="/cases/bruise-on-baby"' in why
    how = catalogue.modules["how-to-decide"].html
    assert 'href="/courses/basics/why-share"' in how
    assert ">agreement</a>" in how


def test_glossary_link_carries_the_definition_for_readers_in_place():
    why = load_catalogue(VALID_CONTENT).modules["why-share"].html
    assert 'title="The person in a setting who leads on safeguarding."' in why


def test_case_example_stages_come_from_its_headings():
    case = load_catalogue(VALID_CONTENT).cases["bruise-on-baby"]
    assert [title for _, title in case.stages] == ["Stage 1: The visit", "Stage 2: The call"]


def test_quiz_records_the_content_version_it_was_loaded_from():
    quiz = load_catalogue(VALID_CONTENT).quizzes["bruise-scenario"]
    assert len(quiz.version) == 12
    assert quiz.start.id == "visit"
    assert quiz.model_record.shared_with == "Children's social care."


def test_disclaimer_is_loaded_for_every_page():
    assert "not legal advice" in load_catalogue(VALID_CONTENT).disclaimer_html
