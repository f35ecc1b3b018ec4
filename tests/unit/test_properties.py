"""Properties that hold for any scenario and any content file, found by generated examples."""

import shutil
from dataclasses import replace
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import VALID_CONTENT
from trainer.content import ContentError, load_catalogue
from trainer.content.model import END, Choice, Quiz, Step
from trainer.quiz import best_path, best_total, walk, worst_path

# Time is measured by the benchmarks, never by tests: a busy machine must not fail an example.
settings.register_profile("trainer", deadline=None)
settings.load_profile("trainer")


@st.composite
def scenarios(draw) -> Quiz:
    """A scenario whose steps only point forwards, so every path ends."""
    count = draw(st.integers(1, 5))
    steps = []
    for index in range(count):
        later = [f"s{n}" for n in range(index + 1, count)]
        choices = tuple(
            Choice(
                id=f"c{index}-{n}",
                text="a choice",
                feedback_html="",
                score=draw(st.integers(0, 10)),
                rests_on=(),
                next_step=draw(st.sampled_from([*later, END])),
                is_critical=draw(st.booleans()),
                critical_reason="unsafe",
            )
            for n in range(draw(st.integers(2, 4)))
        )
        steps.append(Step(id=f"s{index}", text_html="", choices=choices))
    return Quiz(
        id="generated",
        title="Generated",
        kind="scenario",
        pass_mark=draw(st.integers(1, 100)),
        last_reviewed=date(2026, 11, 27),
        version="v",
        steps=tuple(steps),
    )


def random_path(quiz: Quiz, picks: list[int]) -> list[str]:
    path, step, index = [], quiz.start, 0
    while step is not None:
        choice = step.choices[picks[index % len(picks)] % len(step.choices)]
        path.append(choice.id)
        step = None if choice.next_step == END else quiz.step(choice.next_step)
        index += 1
    return path


@given(scenarios(), st.lists(st.integers(0, 3), min_size=1, max_size=6))
def test_every_path_ends_with_a_score_between_nothing_and_the_best(quiz, picks):
    result = walk(quiz, random_path(quiz, picks)).result
    assert result is not None
    assert 0 <= result.score <= best_total(quiz)
    assert 0 <= result.percent <= 100


@given(scenarios(), st.lists(st.integers(0, 3), min_size=1, max_size=6))
def test_a_path_through_a_critical_choice_never_passes(quiz, picks):
    state = walk(quiz, random_path(quiz, picks))
    taken = {(t.step_id, t.choice_id) for t in state.path}
    is_critical = {(s.id, c.id) for s in quiz.steps for c in s.choices if c.is_critical}
    if taken & is_critical:
        assert not state.result.has_passed
        assert state.result.critical_choice_ids


@given(scenarios())
def test_the_best_path_reaches_the_best_total_and_the_worst_is_no_better(quiz):
    best = walk(quiz, best_path(quiz)).result
    assert best.score == best_total(quiz)
    assert walk(quiz, worst_path(quiz)).result.score <= best.score


@given(scenarios())
def test_walking_is_repeatable(quiz):
    path = best_path(quiz)
    assert walk(quiz, path) == walk(quiz, path)


@given(scenarios())
def test_a_quiz_without_critical_choices_passes_its_best_path(quiz):
    safe = replace(
        quiz,
        steps=tuple(
            replace(s, choices=tuple(replace(c, is_critical=False) for c in s.choices))
            for s in quiz.steps
        ),
        pass_mark=100,
    )
    assert walk(safe, best_path(safe)).result.has_passed is (best_total(safe) > 0)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2000) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["id", "title", "kind", "steps", "choices", "next", "score", "critical", "text"]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=yaml_values)
def test_any_quiz_file_is_either_loaded_or_reported_never_a_crash(tmp_path_factory, document):
    folder = tmp_path_factory.mktemp("content") / "c"
    shutil.copytree(VALID_CONTENT, folder)
    (folder / "quizzes" / "bruise-scenario.yaml").write_text(yaml.safe_dump(document))
    try:
        load_catalogue(folder)
    except ContentError as error:
        assert error.problems
        assert all(problem.file for problem in error.problems)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_in_a_module_file_are_reported_never_a_crash(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("content") / "c"
    shutil.copytree(VALID_CONTENT, folder)
    (folder / "modules" / "basics" / "01-why-share.md").write_bytes(raw)
    try:
        load_catalogue(folder)
    except ContentError as error:
        assert any("01-why-share.md" in p.file for p in error.problems)
