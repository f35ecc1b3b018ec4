"""The benchmark harness's own logic: reading wrk and /proc, the generated curriculum, and
docs/performance.md built from the scripts' reports. Nothing here is timed."""

from __future__ import annotations

import json
import sys

import pytest
import yaml
from click.testing import CliRunner

from bench import wrk
from bench.curriculum import Sizes, add_copies, add_generated, copy_real
from bench.document import Report, Row, Section, invocation, render
from bench.harness import parse_smaps_rollup
from bench.run import accepts, section_of
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


WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:8000/courses/essentials/consent
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.97ms    7.54ms  57.74ms   93.60%
    Req/Sec     2.40k   180.25     2.80k    65.00%
  Latency Distribution
     50%  812.00us
     75%    8.00ms
     90%   12.34ms
     99%    1.20s
  47910 requests in 10.01s, 1.10GB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   4786.21
Transfer/sec:    112.70MB
"""


def test_wrk_report_gives_rate_percentiles_and_errors_in_milliseconds():
    load = wrk.parse(WRK_REPORT)
    assert load.requests == 47910
    assert load.seconds == pytest.approx(10.01)
    assert load.requests_per_second == pytest.approx(4786.21)
    assert load.p50_ms == pytest.approx(0.812)
    assert load.p99_ms == pytest.approx(1200.0)
    assert (load.socket_errors, load.bad_statuses, load.errors) == (5, 7, 12)


def test_wrk_report_without_errors_counts_none():
    clean = "\n".join(
        line
        for line in WRK_REPORT.splitlines()
        if "Socket errors" not in line and "Non-2xx" not in line
    )
    assert wrk.parse(clean).errors == 0


def test_wrk_output_without_figures_is_refused_with_what_it_said():
    with pytest.raises(ValueError, match="unable to connect"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_wrk_command_shown_without_the_session_cookie():
    line = wrk.command("http://127.0.0.1:1/", 10, {"Cookie": "session=secret-value"})
    assert "--latency" in line
    assert "--connections=32" in line
    assert "secret-value" not in wrk.shown(line)
    assert wrk.shown(line).startswith("wrk --threads=2")


def test_smaps_rollup_gives_resident_and_proportional_sizes():
    text = "55d0-7ffd ---p 00000000 00:00 0  [rollup]\nRss:  81234 kB\nPss:  60001 kB\n"
    assert parse_smaps_rollup(text) == (81234, 60001)
    with pytest.raises(ValueError):
        parse_smaps_rollup("Size: 4 kB\n")


def report_data(**changes) -> dict:
    data = {
        "title": "Pages under load",
        "command": ".venv/bin/python -m bench.pages",
        "rows": [
            {"what": "module page", "result": "1,200 req/s", "target": "≥ 70%", "met": True},
            {"what": "home | signed in", "result": "12 req/s", "target": "≥ 70%", "met": False},
            {"what": "baseline", "result": "1,500 req/s", "target": "", "met": None},
        ],
        "notes": ["Loaded by wrk."],
    }
    return data | changes


def test_report_written_as_json_reads_back_as_a_section(tmp_path, capsys):
    report = Report("Memory", ".venv/bin/python -m bench.footprint")
    report.add("worker", "45 MB", "under 60 MB", True)
    report.note("Read from\n   smaps_rollup.")
    report.write(tmp_path / "r.json")
    assert "worker: 45 MB  (target: under 60 MB)  [met]" in capsys.readouterr().out
    section = Section.from_data(json.loads((tmp_path / "r.json").read_text()))
    assert section.rows == [Row("worker", "45 MB", "under 60 MB", True)]
    assert section.notes == ["Read from smaps_rollup."]
    assert section.commands == [".venv/bin/python -m bench.footprint"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rows": "none"}, "'rows'"),
        ({"title": None}, "'title'"),
        ({"rows": [{"what": "x"}]}, "needs 'what' and 'result'"),
        ({"rows": [{"what": "x", "result": "y", "met": "yes"}]}, "'met'"),
    ],
)
def test_report_that_breaks_the_contract_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        Section.from_data(report_data(**changes))


def test_document_shows_each_command_table_verdict_and_note():
    page = render(
        "# Performance\n\nOn $date.\n\n$sections",
        {"date": "1 December 2026"},
        [Section.from_data(report_data()), Section("Live sessions", missing="not run: no --json")],
    )
    assert page.startswith("# Performance\n\nOn 1 December 2026.\n\n## Pages under load\n")
    assert "```sh\n.venv/bin/python -m bench.pages\n```" in page
    assert "| module page | 1,200 req/s | ≥ 70% | yes |" in page
    assert "| home \\| signed in | 12 req/s | ≥ 70% | **no** |" in page
    assert "| baseline | 1,500 req/s |   | — |" in page
    assert "Loaded by wrk." in page
    assert "## Live sessions\n\n**not run: no --json**" in page
    assert page.endswith("\n") and not page.endswith("\n\n")


def test_runs_of_one_script_at_several_sizes_make_one_table():
    small = Section.from_data(report_data(notes=["small"], command="reports --learners 1000"))
    large = Section.from_data(report_data(notes=["large"], command="reports --learners 10000"))
    merged = Section.merged("Reports", [("1,000 learners", small), ("10,000 learners", large)])
    assert merged.commands == ["reports --learners 1000", "reports --learners 10000"]
    assert [r.what for r in merged.rows][:2] == [
        "1,000 learners: module page",
        "1,000 learners: home | signed in",
    ]
    assert len(merged.rows) == 6
    assert merged.notes == ["large"]


def test_command_shown_without_the_report_path_and_with_data_named(tmp_path):
    line = invocation(
        "bench.pages",
        ["--seconds", "2", "--data", str(tmp_path / "data"), "--json", str(tmp_path / "r.json")],
    )
    assert line == ".venv/bin/python -m bench.pages --seconds 2 --data DATA"


def test_script_not_yet_taking_the_options_is_not_run(tmp_path):
    script = tmp_path / "bench" / "old.py"
    script.parent.mkdir()
    script.write_text("import sys\npath = sys.argv[1]\n")
    newer = tmp_path / "bench" / "new.py"
    newer.write_text("parser.add_argument('--learners')\nparser.add_argument('--json')\n")
    assert accepts(newer, "--learners", "--json", root=tmp_path) == ""
    assert accepts(script, "--learners", "--json", root=tmp_path) == (
        "not run: bench/old.py does not accept --learners and --json yet"
    )


REPORTING_SCRIPT = """\
import json, sys
path = sys.argv[sys.argv.index("--json") + 1]
command = "bench/x.py --learners 5 --json " + path
json.dump({"title": "X", "command": command, "rows": [], "notes": ["n"]}, open(path, "w"))
"""


def test_script_report_becomes_its_section_without_the_report_path(tmp_path):
    script = tmp_path / "x.py"
    script.write_text(REPORTING_SCRIPT)
    section = section_of("X", [sys.executable, str(script)], 60, tmp_path)
    assert section.missing == ""
    assert section.commands == ["bench/x.py --learners 5"]
    assert section.notes == ["n"]


def test_failing_script_gets_a_section_with_its_last_lines(tmp_path, capsys):
    script = tmp_path / "x.py"
    script.write_text("print('seeding'); raise SystemExit('no database')")
    section = section_of("X", [sys.executable, str(script), "--data", str(tmp_path)], 60, tmp_path)
    assert section.missing == "failed with exit code 1; its last lines:"
    assert "no database" in section.notes[0]
    assert section.commands == [f".venv/bin/python {script} --data DATA"]
    assert "seeding" in capsys.readouterr().out


def test_a_failure_shown_on_the_page_names_no_folder_of_this_machine():
    from bench.harness import ROOT
    from bench.run import _without_local_paths

    trace = f'File "{ROOT}/bench/submit.py", line 1\nFile "{sys.base_prefix}/lib/asyncio/x.py"'
    assert (
        _without_local_paths(trace)
        == 'File "bench/submit.py", line 1\nFile "PYTHON/lib/asyncio/x.py"'
    )


def test_rounds_of_load_give_the_fastest_round_and_every_error():
    def load(rate: float, errors: int) -> wrk.Load:
        return wrk.Load(1000, 1.0, rate, 5.0, 20.0, errors, 0)

    loads = wrk.Rounds((load(1105.4, 0), load(443.0, 2), load(1154.0, 1)))
    assert loads.best.requests_per_second == 1154.0
    assert loads.errors == 3
    assert loads.shown() == "1,105 / 443 / 1,154"
