"""Benchmark: content catalogue build time and memory, and page render times.

Run with:  .venv/bin/python bench/content_and_pages.py
Reports medians over several runs; not part of the test suite.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc

from trainer import PROJECT_ROOT, create_app
from trainer.content import load_catalogue
from trainer.extensions import db

RUNS = 5
REQUESTS = 200


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    load_seconds = median_seconds(lambda: load_catalogue(PROJECT_ROOT), RUNS)
    tracemalloc.start()
    catalogue = load_catalogue(PROJECT_ROOT)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"catalogue: {catalogue.summary()}")
    print(
        f"catalogue build: {load_seconds * 1000:.0f} ms (median of {RUNS}), peak {peak / 2**20:.1f} MiB"
    )

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            db.create_all()
        client = app.test_client()
        for path in (
            "/",
            "/courses/essentials/consent",
            "/cases/?agency=health",
            "/cases/school-jade",
            "/glossary",
        ):
            status = client.get(path).status_code  # also warms up the templates
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}")
            seconds = median_seconds(lambda p=path: client.get(p), REQUESTS)
            print(f"GET {path}: {seconds * 1000:.1f} ms median of {REQUESTS}")


if __name__ == "__main__":
    main()
