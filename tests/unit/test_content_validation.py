"""Every kind of content mistake is reported with the file, the field and what was expected.

Each case overlays a small folder from tests/fixtures/content/broken/<name>/ on the valid
fixture content, so one mistake is tested at a time.
"""

import shutil

import pytest
import yaml

from tests.conftest import FIXTURES, VALID_CONTENT
from trainer.content import ContentError, load_catalogue

BROKEN = FIXTURES / "content" / "broken"


def content_with(tmp_path, overlay: str):
    folder = tmp_path / "content"
    shutil.copytree(VALID_CONTENT, folder)
    shutil.copytree(BROKEN / overlay, folder, dirs_exist_ok=True)
    return folder


def problems_for(tmp_path, overlay: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalogue(content_with(tmp_path, overlay))
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        (
            "unreachable_step",
            "quizzes/bruise-scenario.yaml: steps[3]: step 'orphan' cannot be reached from the first step",
        ),
        (
            "dangling_next",
            "quizzes/bruise-scenario.yaml: steps[0].choices[0].next: goes to unknown step 'phone-call'; expected a step id or 'end'",
        ),
        (
            "step_loop",
            "quizzes/bruise-scenario.yaml: steps: the steps loop: visit -> later -> visit; every path must reach the end",
        ),
        (
            "unknown_case_example",
            "quizzes/bruise-scenario.yaml: case_example: unknown case example 'scald-on-toddler'",
        ),
        (
            "unknown_term_link",
            "modules/basics/02-how-to-decide.md: body: link [[term:gillick]] does not resolve: expected a glossary term id",
        ),
        (
            "duplicate_id",
            "modules/extra/01-why-share.md: id: duplicate module id 'why-share', already used in modules/basics/01-why-share.md",
        ),
        (
            "duplicate_term",
            "modules/glossary.yaml: terms[2].id: duplicate glossary term id 'consent', already used in terms[0].id",
        ),
        (
            "disclaimer_not_utf8",
            "modules/disclaimer.md: cannot be read as UTF-8 text",
        ),
        (
            "framework_source_address",
            "modules/frameworks.yaml: frameworks[1].source.url: expected an address starting https://",
        ),
        (
            "unknown_key",
            "modules/basics/course.yaml: refresh_every: unknown key; allowed keys are: id, title, summary, audience, modules, completion, cpd_minutes, validity_months, last_reviewed, facilitator_notes, position",
        ),
        ("missing_field", "case_examples/bruise-on-baby.md: last_reviewed: is required"),
        (
            "wrong_type",
            "modules/basics/01-why-share.md: duration_minutes: expected a whole number, got 'fifteen'",
        ),
        (
            "invalid_yaml",
            "quizzes/basics-check.yaml: line 2: is not valid YAML: while scanning a quoted scalar",
        ),
        (
            "module_not_listed",
            "modules/basics/course.yaml: modules: does not list module 'extra', so no one can reach it",
        ),
        (
            "unknown_principle",
            "quizzes/bruise-scenario.yaml: steps[2].choices[0].rests_on: unknown principle or decision question 'q-gut-feeling'",
        ),
        (
            "single_two_correct",
            "quizzes/basics-check.yaml: questions[0].options: a single-choice question needs exactly one correct option, found 2",
        ),
        (
            "unknown_sector",
            "modules/basics/course.yaml: audience[1]: unknown value 'nursing'; expected one of: health,",
        ),
        (
            "no_front_matter",
            "case_examples/bruise-on-baby.md: expected YAML front matter between two '---' lines at the top",
        ),
        (
            "unknown_quiz_kind",
            "quizzes/basics-check.yaml: kind: expected 'scenario' or 'check', got 'poll'",
        ),
        (
            "no_critical_choice",
            "quizzes/bruise-scenario.yaml: steps: case 'bruise-on-baby' has a risk of harm, so at least one choice must be marked 'critical: true'",
        ),
        ("risk_of_harm_missing", "case_examples/bruise-on-baby.md: risk_of_harm: is required"),
        (
            "critical_without_reason",
            "quizzes/bruise-scenario.yaml: steps[1].choices[1].critical_reason: is required",
        ),
    ],
)
def test_mistake_is_reported_with_file_field_and_expectation(tmp_path, overlay, expected):
    problems = problems_for(tmp_path, overlay)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_is_reported_at_once_not_just_the_first(tmp_path):
    folder = content_with(tmp_path, "unknown_key")
    shutil.copytree(BROKEN / "wrong_type", folder, dirs_exist_ok=True)
    shutil.copytree(BROKEN / "dangling_next", folder, dirs_exist_ok=True)
    with pytest.raises(ContentError) as caught:
        load_catalogue(folder)
    files = {problem.file for problem in caught.value.problems}
    assert {
        "modules/basics/course.yaml",
        "modules/basics/01-why-share.md",
        "quizzes/bruise-scenario.yaml",
    } <= files


def test_a_missing_content_folder_is_named(tmp_path):
    (tmp_path / "modules").mkdir()
    with pytest.raises(ContentError) as caught:
        load_catalogue(tmp_path)
    assert [p.file for p in caught.value.problems] == ["case_examples", "quizzes"]


def test_a_step_with_no_way_to_the_end_is_reported(tmp_path):
    problems = problems_for(tmp_path, "step_loop")
    assert not any("'visit' reaches the end" in p for p in problems)
    assert any("steps: the steps loop" in p for p in problems)


def test_broken_fixture_folders_each_break_the_valid_content(tmp_path):
    """Guard for the fixtures themselves: every overlay really produces a problem."""
    for overlay in sorted(p.name for p in BROKEN.iterdir()):
        assert problems_for(tmp_path / overlay, overlay)


def pooled_check(tmp_path, draw: int, outcomes: list[str]):
    """The fixture's final check as a pool: one outcome per question, in order."""
    folder = tmp_path / "content"
    shutil.copytree(VALID_CONTENT, folder)
    path = folder / "quizzes" / "basics-check.yaml"
    data = yaml.safe_load(path.read_text())
    data["draw_per_outcome"] = draw
    for question, outcome in zip(data["questions"], outcomes, strict=False):
        question["outcome"] = outcome
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def test_a_final_assessment_pool_names_an_outcome_for_every_question(tmp_path):
    outcomes = ["why-share", "why-share", "how-to-decide", "how-to-decide"]
    quiz = load_catalogue(pooled_check(tmp_path, 2, outcomes)).quizzes["basics-check"]
    assert quiz.is_pool and quiz.draw_per_outcome == 2
    assert [q.outcome for q in quiz.questions] == outcomes


@pytest.mark.parametrize(
    ("draw", "outcomes", "expected"),
    [
        (
            1,
            ["why-share", "why-share", "how-to-decide"],
            "questions[3].outcome: every question of a pool",
        ),
        (
            1,
            ["why-share", "why-share", "how-to-decide", "nowhere"],
            "questions[3].outcome: expected a module of the course this assessment completes",
        ),
        (
            3,
            ["why-share", "why-share", "how-to-decide", "how-to-decide"],
            "questions: outcome 'how-to-decide' has 2 question(s); each draw needs 3",
        ),
    ],
)
def test_pool_mistakes_are_reported(tmp_path, draw, outcomes, expected):
    with pytest.raises(ContentError) as caught:
        load_catalogue(pooled_check(tmp_path, draw, outcomes))
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"quizzes/basics-check.yaml: {expected}") for p in problems), problems
