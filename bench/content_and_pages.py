"""Benchmark: content catalogue build time and memory, and page render times in-process.

Run with:  .venv/bin/python -m bench.content_and_pages [--content-dir DIR] [--runs 5]
           [--requests 200] [--json PATH]
Reports medians over several runs; not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.document import Report, invocation
from trainer import PROJECT_ROOT, create_app
from trainer.content import load_catalogue
from trainer.extensions import db


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def pages(catalogue) -> list[str]:
    """The home page, a module, the case library filtered, a case and the glossary."""
    course = next(iter(catalogue.courses.values()))
    module = catalogue.modules_of(course)[0]
    case = next(iter(catalogue.cases.values()))
    agency = case.agencies[0] if case.agencies else "health"
    return [
        "/",
        f"/courses/{course.id}/{module.id}",
        f"/cases/?agency={agency}",
        f"/cases/{case.id}",
        "/glossary",
    ]


def measure(content: Path, runs: int, requests: int, report: Report) -> None:
    load_seconds = median_seconds(lambda: load_catalogue(content), runs)
    tracemalloc.start()
    catalogue = load_catalogue(content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report.add(
        f"building the content catalogue ({catalogue.summary()}): read, validate, render "
        "all Markdown",
        f"{load_seconds * 1000:.0f} ms median of {runs}; {peak / 2**20:.1f} MiB peak Python "
        "allocation",
    )
    with tempfile.TemporaryDirectory(prefix="bench-content-") as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "in-process-only",
                "CONTENT_DIR": str(content),
            }
        )
        with app.app_context():
            db.create_all()
        client = app.test_client()
        for path in pages(catalogue):
            status = client.get(path).status_code  # also warms up the templates
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}")
            seconds = median_seconds(lambda p=path: client.get(p), requests)
            report.add(f"`GET {path}`, signed out", f"{seconds * 1000:.1f} ms median of {requests}")
    report.note(
        "The catalogue is built once per process at start-up, so its cost is paid when a "
        "worker starts, not per request; this build reads every file afresh, without the "
        "validated copy the app may keep in its instance folder. Page times are in-process "
        "(Flask test client), on an empty SQLite database, without network or TLS. There are "
        "no timed assertions in the test suite: `make bench` measures after changes to the "
        "content loader or templates."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content-dir", type=Path, default=PROJECT_ROOT)
    parser.add_argument("--runs", type=int, default=5, help="catalogue builds")
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--json", type=Path, help="write the figures here (bench contract)")
    args = parser.parse_args()
    report = Report(
        "Content catalogue and pages, in-process", invocation("bench.content_and_pages")
    )
    measure(args.content_dir, args.runs, args.requests, report)
    report.write(args.json)


if __name__ == "__main__":
    main()
