"""Benchmark: how page time, start-up and memory grow with the curriculum.

The real curriculum is copied 1, 10 and 100 times over under new ids (bench/curriculum.py).
At each size: the catalogue built in-process (create_app), the module page and the home page
through the Flask test client (median), and gunicorn's start-up to the first answered request
with an empty instance folder and again restarted, with each worker's memory after start-up.
A size that would not fit the time budget is left out and the report says so: its time is
estimated from the size before it, with the parts that grow with the content (writing it,
building the catalogue in-process and gunicorn's first start) scaled up and the rest as it
was.

Run with:  .venv/bin/python -m bench.growth [--times 1,10,100] [--requests 200]
           [--budget 240] [--json PATH]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import tempfile
import time
from pathlib import Path

from bench.curriculum import add_copies, copy_real
from bench.document import Report, invocation
from bench.footprint import megabytes
from bench.harness import (
    APP,
    ROOT,
    app_environment,
    clear_rate_limits,
    gunicorn,
    memory_kib,
    rate_limit_prefix,
    stop_on_signals,
)
from bench.pages import page_paths
from trainer import PROJECT_ROOT, create_app
from trainer.extensions import current_catalogue, db


def median_ms(client, path: str, requests: int) -> float:
    if client.get(path).status_code != 200:  # also renders the templates once
        raise RuntimeError(f"GET {path} did not answer 200")
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def one_size(times: int, folder: Path, requests: int) -> tuple[dict[str, str], float]:
    """The figures for one size, and the seconds spent on the parts that grow with it."""
    writing = time.perf_counter()
    content = folder / "content"
    copy_real(PROJECT_ROOT, content)
    add_copies(PROJECT_ROOT, content, times - 1)
    database = f"sqlite:///{folder / 'bench.db'}"
    started, cpu = time.perf_counter(), time.process_time()
    written = started - writing
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "INSTANCE_PATH": str(folder / "in-process"),
            "SECRET_KEY": "in-process-only",
            "CONTENT_DIR": str(content),
        }
    )
    build_seconds = time.perf_counter() - started
    built = f"{build_seconds:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
    with app.app_context():
        db.create_all()
        summary = current_catalogue().summary()
        paths = page_paths(current_catalogue())
        db.engine.dispose()
    client = app.test_client()
    found = {
        "content": summary,
        "catalogue built in-process (create_app)": built,
        "module page, in-process median": f"{median_ms(client, paths['module page'], requests):.1f} ms",
        "home page, in-process median": f"{median_ms(client, paths['home page'], requests):.1f} ms",
    }
    prefix = rate_limit_prefix()
    data = {"databases": {"SQLite": database}, "content_dir": str(content)}
    env = app_environment(data, "SQLite", folder / "instance", prefix)
    try:
        with gunicorn(APP, env, folder / "gunicorn.log") as server:
            first = server.started_seconds
            time.sleep(0.5)
            workers = [memory_kib(pid) for pid in server.worker_pids()]
        with gunicorn(APP, env, folder / "gunicorn.log") as server:
            again = server.started_seconds
    finally:
        clear_rate_limits(prefix)
    found["start-up to the first answered request"] = (
        f"{first:.2f} s with an empty instance folder, {again:.2f} s restarted"
    )
    found["largest worker after start-up"] = (
        f"RSS {megabytes(max(w[0] for w in workers))}, PSS {megabytes(max(w[1] for w in workers))}"
    )
    return found, written + build_seconds + first


def measure(sizes: list[int], requests: int, budget: float, report: Report) -> None:
    results: dict[int, dict[str, str]] = {}
    left_out = []
    started = time.perf_counter()
    last = None  # (size, seconds it took, seconds of those that grow with the content)
    for times in sizes:
        spent = time.perf_counter() - started
        if last is not None:
            size, took, growing = last
            estimate = took - growing + growing * times / size
            if spent + estimate > budget:
                left_out.append(
                    f"{times}x was not measured: from {size}x it would take about "
                    f"{estimate:.0f} s, past this script's budget of {budget:.0f} s "
                    f"({spent:.0f} s spent); run it alone with a larger --budget"
                )
                continue
        began = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"bench-growth-{times}-") as folder:
            results[times], growing = one_size(times, Path(folder), requests)
        last = (times, time.perf_counter() - began, growing)
        print(f"{times}x: {results[times]}", flush=True)
    if results:
        for what in next(iter(results.values())):
            report.add(what, "; ".join(f"{t}x: {found[what]}" for t, found in results.items()))
    report.note(
        "Nx is the real curriculum and N - 1 copies of it under new ids (every course, module, "
        "case example and quiz, with their links and references renamed), written as content "
        "files. In-process figures use the Flask test client on a new SQLite database, "
        f"signed out, median of {requests} requests after one to warm up; start-up is gunicorn "
        "with 2 workers, as the other benchmarks run it, from launch to the first answered "
        "/healthz, with an empty instance folder and then restarted on the instance folder "
        "that start left."
    )
    for text in left_out:
        print(text, flush=True)
        report.note(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", default="1,10,100", help="sizes, as copies of the curriculum")
    parser.add_argument("--requests", type=int, default=200, help="per page, in-process")
    parser.add_argument("--budget", type=float, default=240, help="seconds for all sizes")
    parser.add_argument("--json", type=Path, help="write the figures here (bench contract)")
    args = parser.parse_args()
    stop_on_signals()
    # As deployed and as bench/run.py measures: the app's modules run from compiled bytecode.
    compileall.compile_dir(ROOT / "trainer", quiet=1)
    report = Report("Growth with the curriculum", invocation("bench.growth"))
    sizes = sorted(int(t) for t in args.times.split(","))
    measure(sizes, args.requests, args.budget, report)
    report.write(args.json)


if __name__ == "__main__":
    main()
