"""Run every benchmark and write docs/performance.md from what each one reports.

Seeds the data once (bench/seed.py: a SQLite file in a temporary folder and a PostgreSQL
database made for the run and dropped after it), runs each script in bench/ as a subprocess
with `--json PATH`, and builds the page from bench/performance.template.md and those reports.
A script that fails or cannot run yet gets its section all the same, saying why.

Run with:  make bench   (or .venv/bin/python -m bench.run [--quick] [--output PATH])
"""

from __future__ import annotations

import argparse
import ast
import compileall
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bench.document import PLACEHOLDERS, Section, render
from bench.harness import ROOT, postgres_database, stop_on_signals

PYTHON = ".venv/bin/python"
TEMPLATE = ROOT / "bench" / "performance.template.md"
OUTPUT = ROOT / "docs" / "performance.md"
REPORT_SIZES = (1_000, 10_000, 100_000)
QUICK_NOTE = (
    "\n**This was a quick run** (`--quick`): small sizes and short loads, for working on the "
    "benchmarks. Its figures say nothing about the service; `make bench` measures it.\n"
)


@dataclass
class Step:
    """One of our scripts: its arguments at full size and the ones a quick run adds."""

    title: str
    line: list[str]
    quick: list[str] = field(default_factory=list)
    timeout: float = 900
    needs: tuple[str, ...] = ("data",)  # "data": the seeded folder; "postgres": its database


SEED = Step(
    "The data every benchmark runs on",
    ["-m", "bench.seed"],
    ["--learners", "300", "--modules", "10", "--cases", "5", "--quizzes", "5"],
    1800,
    needs=(),
)
STEPS = [
    Step("Pages under load, against a bare Flask baseline", ["-m", "bench.pages"],
         ["--seconds", "2"]),
    Step("Submitting answers on SQLite", ["-m", "bench.submit", "--database", "SQLite"],
         ["--seconds", "2", "--clients", "8"], 600),
    Step("Submitting answers on PostgreSQL", ["-m", "bench.submit", "--database", "PostgreSQL"],
         ["--seconds", "2", "--clients", "8"], 600, needs=("data", "postgres")),
    Step("Memory and start-up", ["-m", "bench.footprint"], [], 600),
    Step("Growth with the curriculum", ["-m", "bench.growth"],
         ["--times", "1,2", "--requests", "20", "--budget", "60"], 1200, needs=()),
    Step("Content catalogue and pages, in-process", ["-m", "bench.content_and_pages"],
         ["--runs", "1", "--requests", "20"], 600, needs=()),
]  # fmt: skip
PEER = Step("A peer: Kolibri on the same machine", ["-m", "bench.peer"], ["--seconds", "2"], 2400)


def accepts(script: Path, *options: str, root: Path = ROOT) -> str:
    """'' when the script's source names every option, else why it cannot be run with them.

    The source is read, not run: a script that does not parse its options yet might take
    an option for a file name and start work with it."""
    try:
        tree = ast.parse(script.read_text(encoding="utf-8"))
    except (OSError, SyntaxError) as error:
        return f"not run: {script.relative_to(root)} cannot be read ({error})"
    named = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    missing = [option for option in options if option not in named]
    if missing:
        return f"not run: {script.relative_to(root)} does not accept {' and '.join(missing)} yet"
    return ""


def run_script(line: list[str], timeout: float) -> tuple[int, str]:
    """Run one script, showing its output as it comes; its exit code and last lines.

    Past its time it is asked to stop (SIGTERM, which it turns into its own clean-up) and
    killed if it has not stopped a minute later; the same when this run is interrupted."""
    print(f"\n$ {shown(line)}", flush=True)
    last: deque[str] = deque(maxlen=12)
    process = subprocess.Popen(  # noqa: S603 (our own scripts)
        line, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )

    def echo() -> None:
        for text in process.stdout:
            print(text, end="", flush=True)
            last.append(text.rstrip())

    reader = threading.Thread(target=echo, daemon=True)
    reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        last.append(f"(stopped after {timeout:.0f} s)")
        _stop(process)
    except KeyboardInterrupt:
        _stop(process)
        raise
    reader.join(timeout=10)
    return process.returncode, "\n".join(last)


def _stop(process: subprocess.Popen) -> None:
    """Ask the script to stop (it cleans up once, whether Ctrl-C reached it too or not)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def shown(line: list[str]) -> str:
    """A command as the page shows it: from the project folder, temporary paths as names."""
    parts = []
    for n, part in enumerate(line):
        if part == sys.executable:
            parts.append(PYTHON)
        elif n and line[n - 1] in PLACEHOLDERS:
            parts.append(PLACEHOLDERS[line[n - 1]])
        elif n and line[n - 1] == "--json":
            parts.append("PATH")
        else:
            parts.append(part)
    return " ".join(parts)


def _without_local_paths(text: str) -> str:
    """A traceback with this machine's folders left out: the project's files by their paths
    in it, Python's own under PYTHON."""
    return text.replace(f"{ROOT}/", "").replace(sys.base_prefix, "PYTHON")


def section_of(title: str, line: list[str], timeout: float, folder: Path) -> Section:
    report = folder / f"report-{time.monotonic_ns()}.json"
    code, last = run_script([*line, "--json", str(report)], timeout)
    if code == 0 and report.exists():
        try:
            section = Section.from_data(json.loads(report.read_text(encoding="utf-8")))
        except ValueError as error:
            return Section(
                title, [shown(line)], missing=f"failed: its report is unusable ({error})"
            )
        # Where the report went is this run's business, not part of the command to repeat.
        section.commands = [c.replace(f" --json {report}", "") for c in section.commands]
        return section
    return Section(
        title,
        [shown(line)],
        missing=f"failed with exit code {code}; its last lines:",
        notes=[f"```\n{_without_local_paths(last)}\n```"],
    )


def reports_section(quick: bool, folder: Path) -> Section:
    """bench/reports.py at each size, as one table; the first failure stands for them all."""
    title = "Workforce reports at scale"
    why = accepts(ROOT / "bench" / "reports.py", "--learners", "--json")
    if why:
        return Section(title, missing=why)
    parts = []
    for learners in REPORT_SIZES[:1] if quick else REPORT_SIZES:
        line = [sys.executable, "bench/reports.py", "--learners", str(learners)]
        part = section_of(title, line, 1800, folder)
        if part.missing:
            return part
        parts.append((f"{learners:,} learners", part))
    return Section.merged(parts[-1][1].title, parts)


def live_section(quick: bool, folder: Path) -> Section:
    title = "Live sessions: phones on one stage"
    script = ROOT / "bench" / "live_session.py"
    why = accepts(script, "--json")
    if why:
        return Section(title, missing=why)
    line = [sys.executable, "bench/live_session.py"]
    if quick and not accepts(script, "--phones"):
        line += ["--phones", "20"]
    return section_of(title, line, 900, folder)


def machine() -> dict[str, str]:
    cpu = "unknown processor"
    for text in Path("/proc/cpuinfo").read_text().splitlines():
        if text.startswith("model name"):
            cpu = text.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for text in Path("/proc/meminfo").read_text().splitlines():
        if text.startswith("MemTotal:"):
            memory = f"{int(text.split()[1]) / 2**20:.0f} GiB"
    system = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        for text in release.read_text().splitlines():
            if text.startswith("PRETTY_NAME="):
                system = text.split("=", 1)[1].strip('"')
    return {
        "date": f"{date.today():%-d %B %Y}",
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "system": system,
        "python": platform.python_version(),
    }


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"


def run_step(step: Step, quick: bool, ready: dict[str, list[str] | str], folder: Path) -> Section:
    """One of our scripts with what it needs (the options naming the seeded data), or why
    it could not run."""
    line = [sys.executable, *step.line, *(step.quick if quick else [])]
    for need in step.needs:
        if isinstance(ready[need], str):
            return Section(step.title, missing=ready[need])
        line += ready[need]
    return section_of(step.title, line, step.timeout, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and short loads")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the page to write")
    args = parser.parse_args()
    stop_on_signals()
    # Served code runs from compiled bytecode, which Python writes on first import unless
    # told not to; compile it once so that start-up is measured as it is when deployed.
    compileall.compile_dir(ROOT / "trainer", quiet=1)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    sections: list[Section] = []
    took: list[tuple[str, float]] = []

    def timed(title: str, make) -> Section:
        began = time.perf_counter()
        sections.append(make())
        took.append((title, time.perf_counter() - began))
        return sections[-1]

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-run-")))
        data = folder / "data"
        data.mkdir()
        # Each need is the options that pass it on, or (a string) why it is not there.
        ready: dict[str, list[str] | str] = {"data": ["--data", str(data)]}
        seeding = ["--folder", str(data)]
        try:
            postgres = stack.enter_context(postgres_database(f"bench_pages_{os.getpid()}"))
            seeding += ["--postgres-url", postgres]
            ready["postgres"] = []
        except SQLAlchemyError as error:
            ready["postgres"] = f"not run: no PostgreSQL database could be made ({error})"
        seed = Step(SEED.title, [*SEED.line, *seeding], SEED.quick, SEED.timeout, SEED.needs)
        if timed(seed.title, lambda: run_step(seed, args.quick, ready, folder)).missing:
            ready["data"] = "not run: seeding the data failed"
            if isinstance(ready["postgres"], list):
                ready["postgres"] = ready["data"]
        for step in STEPS:
            timed(step.title, lambda s=step: run_step(s, args.quick, ready, folder))
        timed("Workforce reports at scale", lambda: reports_section(args.quick, folder))
        timed("Live sessions", lambda: live_section(args.quick, folder))
        timed(PEER.title, lambda: run_step(PEER, args.quick, ready, folder))
    values = machine() | {
        "load_before": f"{load_before:.2f}",
        "load_after": f"{os.getloadavg()[0]:.2f}",
        "duration": minutes(time.perf_counter() - started),
        "mode": QUICK_NOTE if args.quick else "",
        "steps": "\n".join(f"| {title} | {minutes(seconds)} |" for title, seconds in took),
    }
    text = render(TEMPLATE.read_text(encoding="utf-8"), values, sections)
    args.output.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.output} in {minutes(time.perf_counter() - started)}")


if __name__ == "__main__":
    main()
