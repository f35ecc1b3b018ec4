"""The benchmark harness's own logic: reading wrk and /proc, the generated curriculum, and
docs/performance.md built from the scripts' reports. Nothing here is timed."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from bench.curriculum import Sizes, add_copies, add_generated, copy_real
from trainer import PROJECT_ROOT
from trainer.cli import main
from trainer.content import load_catalogue


@pytest.fixture(scope="module")
def real_counts():
    return load_catalogue(PROJECT_ROOT).counts()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    content = tmp_path_factory.mktemp("generated") / "content"
    copy_real(PROJECT_ROOT, content)
    add_generated(content, Sizes(modules=4, cases=3, quizzes=6, modules_per_course=2))
    return content


def check_content(folder, monkeypatch):
    # No instance folder: check-content then keeps no validated copy anywhere.
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(folder.parent / "no-instance"))
    return CliRunner().invoke(main, ["check-content", "--content-dir", str(folder)])


def test_generated_curriculum_passes_check_content(generated, real_counts, monkeypatch):
    result = check_content(generated, monkeypatch)
    assert result.exit_code == 0, result.output
    assert (
        f"Content OK: {real_counts['courses'] + 2} courses, {real_counts['modules'] + 4} "
        f"modules, {real_counts['case_examples'] + 3} case examples, "
        f"{real_counts['quizzes'] + 6} quizzes"
    ) in result.output


def test_generated_curriculum_has_a_final_for_each_course_and_both_kinds_of_quiz(generated):
    catalogue = load_catalogue(generated)
    courses = [c for c in catalogue.courses.values() if c.id.startswith("gen-")]
    assert [c.completion_quizzes for c in courses] == [("gen-final-01",), ("gen-final-02",)]
    assert catalogue.quizzes["gen-final-01"].draw_per_outcome == 1
    kinds = {q.kind for q in catalogue.quizzes.values() if q.id.startswith("gen-")}
    assert kinds == {"scenario", "check"}
    assert "Generated module 1" in catalogue.modules["gen-module-001"].title


def test_copy_of_the_curriculum_passes_check_content_and_links_within_itself(
    tmp_path, real_counts, monkeypatch
):
    content = tmp_path / "content"
    copy_real(PROJECT_ROOT, content)
    add_copies(PROJECT_ROOT, content, 1)
    result = check_content(content, monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"{2 * real_counts['modules']} modules" in result.output
    real_quiz = next(
        data
        for path in sorted((PROJECT_ROOT / "quizzes").glob("*.yaml"))
        if (data := yaml.safe_load(path.read_text())).get("case_example")
    )
    copy = yaml.safe_load((content / "quizzes" / f"{real_quiz['id']}-x2.yaml").read_text())
    assert copy["case_example"] == f"{real_quiz['case_example']}-x2"
    course = yaml.safe_load((PROJECT_ROOT / "modules/essentials/course.yaml").read_text())
    copied = yaml.safe_load((content / "modules/essentials-x2/course.yaml").read_text())
    assert copied["modules"] == [f"{m}-x2" for m in course["modules"]]
    assert copied["completion"]["quizzes"] == [f"{q}-x2" for q in course["completion"]["quizzes"]]
