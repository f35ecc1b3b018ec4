"""The curriculum itself: what the issue promises learners and trainers holds for every file."""

import re
from collections import Counter
from pathlib import Path

import pytest

from trainer import PROJECT_ROOT
from trainer.content import load_catalogue
from trainer.content.model import END, Quiz
from trainer.quiz import best_path, walk, worst_path

CATALOGUE = load_catalogue(PROJECT_ROOT)
SCENARIOS = sorted(q.id for q in CATALOGUE.quizzes.values() if q.kind == "scenario")
CHECKS = sorted(q.id for q in CATALOGUE.quizzes.values() if q.kind == "check")


def all_paths(quiz: Quiz, step_id: str | None = None) -> list[tuple[str, ...]]:
    """Every path from a step to the end, as choice ids: scenarios are small graphs with no loops."""
    step = quiz.step(step_id) if step_id else quiz.start
    paths = []
    for choice in step.choices:
        if choice.next_step == END:
            paths.append((choice.id,))
        else:
            paths.extend((choice.id, *rest) for rest in all_paths(quiz, choice.next_step))
    return paths


def content_text() -> str:
    files = [
        *PROJECT_ROOT.glob("modules/**/*.md"),
        *PROJECT_ROOT.glob("modules/**/*.yaml"),
        *PROJECT_ROOT.glob("case_examples/*.md"),
        *PROJECT_ROOT.glob("quizzes/*.yaml"),
    ]
    return "\n".join(Path(f).read_text() for f in files if f.name != "glossary.yaml")


def test_the_three_courses_have_the_promised_modules():
    sizes = {course.id: len(course.module_ids) for course in CATALOGUE.courses.values()}
    assert sizes["essentials"] >= 8
    assert sizes["legal"] >= 5
    assert sizes["leading"] >= 3


def test_there_are_at_least_15_case_examples_and_30_glossary_terms():
    assert len(CATALOGUE.cases) >= 15
    assert len(CATALOGUE.terms) >= 30


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_best_path_passes_and_worst_path_fails(scenario_id):
    quiz = CATALOGUE.quizzes[scenario_id]
    best = walk(quiz, best_path(quiz)).result
    worst = walk(quiz, worst_path(quiz)).result
    assert best.percent == 100 and best.has_passed
    assert not worst.has_passed


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_path_asks_at_least_two_decisions(scenario_id):
    quiz = CATALOGUE.quizzes[scenario_id]

    def shortest(step_id: str) -> int:
        step = quiz.step(step_id)
        return 1 + min(0 if c.next_step == "end" else shortest(c.next_step) for c in step.choices)

    assert shortest(quiz.start.id) >= 2


def test_every_case_example_has_a_scenario():
    with_scenario = {CATALOGUE.quizzes[q].case_example for q in SCENARIOS}
    assert set(CATALOGUE.cases) <= with_scenario


def test_every_case_example_is_told_in_stages():
    for case in CATALOGUE.cases.values():
        stages = [title for _, title in case.stages if title.startswith("Stage")]
        assert len(stages) >= 2, case.id


def test_every_glossary_term_is_used_somewhere():
    text = content_text()
    unused = [t for t in CATALOGUE.terms if not re.search(rf"\[\[term:{t}(\||\]\])", text)]
    assert unused == []


def test_every_module_is_reachable_from_a_course_and_has_a_knowledge_check():
    in_courses = {m for course in CATALOGUE.courses.values() for m in course.module_ids}
    assert in_courses == set(CATALOGUE.modules)
    for module in CATALOGUE.modules.values():
        assert any(CATALOGUE.quizzes[q].kind == "check" for q in module.quizzes), module.id


def test_every_module_states_sources_and_review_date_and_facilitator_notes():
    for module in CATALOGUE.modules.values():
        assert module.sources and module.last_reviewed.year >= 2024, module.id
        assert module.facilitator_notes_html, module.id
    for case in CATALOGUE.cases.values():
        assert case.facilitator_notes_html, case.id


def test_each_course_ends_with_a_final_assessment_using_every_question_type():
    for course in CATALOGUE.courses.values():
        assert course.completion_quizzes, course.id
        final = CATALOGUE.quizzes[course.completion_quizzes[-1]]
        assert {q.type for q in final.questions} == {"single", "multiple", "true_false", "ordering"}


def test_course_plans_cover_a_half_day_and_a_full_day_session():
    for course in CATALOGUE.courses.values():
        notes = course.facilitator_notes_html.lower()
        assert "half-day" in notes or "half day" in notes, course.id
        assert "full-day" in notes or "full day" in notes, course.id


def test_scenarios_teach_judgement_not_a_reflex_to_share():
    """Somewhere the best answer is to hold back: not share, share part, or ask first."""
    restraint = re.compile(r"do-not|dont|not-share|withhold|part|consent|decline|no-")
    best_choices = [
        choice
        for quiz_id in SCENARIOS
        for choice in best_path(CATALOGUE.quizzes[quiz_id])
        if restraint.search(choice)
    ]
    assert len(best_choices) >= 5, best_choices


def test_the_disclaimer_says_training_aid_and_local_procedures():
    text = CATALOGUE.disclaimer_html.lower()
    assert "not legal advice" in text
    assert "local safeguarding partnership" in text


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_path_through_a_critical_choice_fails_and_the_best_path_has_none(scenario_id):
    quiz = CATALOGUE.quizzes[scenario_id]
    for path in all_paths(quiz):
        state = walk(quiz, path)
        critical = [t.choice_id for t in state.path if t.is_critical]
        if critical:
            assert not state.result.has_passed, path
            assert state.result.critical_choice_ids == tuple(critical), path
    best = walk(quiz, best_path(quiz))
    assert not any(t.is_critical for t in best.path), best.step_ids
    assert best.result.percent == 100 and best.result.has_passed


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_critical_choice_says_why(scenario_id):
    quiz = CATALOGUE.quizzes[scenario_id]
    for step in quiz.steps:
        for choice in step.choices:
            if choice.is_critical:
                assert len(choice.critical_reason.split()) >= 8, (step.id, choice.id)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_best_choice_is_not_in_the_same_place_in_most_decisions(scenario_id):
    """Picking the same position every time must not pass: no position holds the best choice
    in more than half of a scenario's decisions, as authored."""
    quiz = CATALOGUE.quizzes[scenario_id]
    positions = Counter()
    for step in quiz.steps:
        scores = [choice.score for choice in step.choices]
        positions[scores.index(max(scores))] += 1
    position, count = positions.most_common(1)[0]
    assert count * 2 <= len(quiz.steps), (position, dict(positions))


def test_every_case_with_a_risk_of_harm_has_a_scenario_with_a_critical_choice():
    at_risk = {case.id for case in CATALOGUE.cases.values() if case.has_risk_of_harm}
    assert at_risk, "no case example is marked risk_of_harm"
    with_critical = {
        CATALOGUE.quizzes[q].case_example
        for q in SCENARIOS
        if any(c.is_critical for step in CATALOGUE.quizzes[q].steps for c in step.choices)
    }
    assert at_risk <= with_critical, sorted(at_risk - with_critical)


FINALS = sorted({q for course in CATALOGUE.courses.values() for q in course.completion_quizzes})


@pytest.mark.parametrize("quiz_id", FINALS)
def test_every_final_assessment_outcome_has_a_pool_of_at_least_three_questions(quiz_id):
    """Each attempt draws afresh for every module of the course; with at least three questions
    and twice the draw for each, a retake can ask entirely different ones."""
    quiz = CATALOGUE.quizzes[quiz_id]
    assert quiz.is_pool, f"{quiz_id} has no draw_per_outcome"
    modules = {
        m
        for c in CATALOGUE.courses.values()
        if quiz_id in c.completion_quizzes
        for m in c.module_ids
    }
    pool = Counter(question.outcome for question in quiz.questions)
    short = {m: pool[m] for m in modules if pool[m] < max(3, 2 * quiz.draw_per_outcome)}
    assert short == {}, f"questions per outcome, drawing {quiz.draw_per_outcome}: {short}"
