"""Benchmark: memory per worker at rest, start-up time, and `trainer check-content` time.

gunicorn serves the app on the seeded data with 2 workers, without and with --preload. Start-up
is the time from launching gunicorn to the first answered request, first with an empty
instance folder and then again with the one that start left behind (a restart). Memory is
each worker's RSS and PSS from /proc/PID/smaps_rollup after every measured page was requested
a few times, signed out and signed in.

Run with:  .venv/bin/python -m bench.footprint [--data DATA] [--json PATH]
Without --data it seeds its own data first (bench/seed.py), which takes a few minutes.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import subprocess
import time
from pathlib import Path

from bench import seed
from bench.document import Report, invocation
from bench.harness import (
    APP,
    BIN,
    ROOT,
    app_environment,
    clear_rate_limits,
    gunicorn,
    gunicorn_settings,
    memory_kib,
    rate_limit_prefix,
    request,
    sign_in,
    stop_on_signals,
)
from bench.pages import page_paths
from trainer.content import load_catalogue

WORKER_MB = 60
START_SECONDS = 1.0
WARM_REQUESTS = 6  # per page and per way in: both workers see each page


def megabytes(kib: float) -> str:
    return f"{kib * 1024 / 1e6:.1f} MB"


def warm(port: int, paths: list[str], cookie: str) -> None:
    for path in paths:
        for headers in ({}, {"Cookie": f"session={cookie}"}):
            for _ in range(WARM_REQUESTS):
                request(port, "GET", path, headers=headers)


def at_rest(server) -> list[tuple[int, int]]:
    time.sleep(1.0)
    return [memory_kib(pid) for pid in server.worker_pids()]


def measure(data: dict, folder: Path, report: Report) -> None:
    paths = [*page_paths(load_catalogue(data["content_dir"])).values(), "/healthz"]
    prefix = rate_limit_prefix()
    log = folder / "gunicorn.log"
    try:
        for preload in (False, True):
            how = "with --preload" if preload else "without --preload"
            instance = folder / f"instance-{'preload' if preload else 'plain'}"
            env = app_environment(data, "SQLite", instance, prefix)
            with gunicorn(APP, env, log, preload=preload) as server:
                first = server.started_seconds
                cookie = sign_in(server.port, seed.email(1), data["password"])
                warm(server.port, paths, cookie)
                workers = at_rest(server)
            with gunicorn(APP, env, log, preload=preload) as server:
                again = server.started_seconds
            report.add(
                f"start-up {how}, to the first answered request",
                f"{first:.2f} s with an empty instance folder; {again:.2f} s restarted",
                f"under {START_SECONDS:.0f} s",
                max(first, again) < START_SECONDS,
            )
            rss, pss = max(w[0] for w in workers), max(w[1] for w in workers)
            each = "; ".join(f"RSS {megabytes(r)}, PSS {megabytes(p)}" for r, p in workers)
            report.add(
                f"memory per worker at rest {how}",
                f"largest worker RSS {megabytes(rss)}, PSS {megabytes(pss)} ({each})",
                f"under {WORKER_MB} MB (PSS)",
                pss * 1024 / 1e6 < WORKER_MB,
            )
    finally:
        clear_rate_limits(prefix)
    report.note(
        f"gunicorn runs from the project folder with {gunicorn_settings()}, "
        "TRAINER_ENV=production, the seeded SQLite database and the content folder with the "
        "generated curriculum. Before memory was read, each measured page and /healthz was "
        f"requested {WARM_REQUESTS} times signed out and {WARM_REQUESTS} times signed in on new "
        "connections, so that both workers had rendered each one. RSS counts every page a "
        "worker maps, shared or not; PSS divides shared pages between the processes sharing "
        "them, so it is what each worker adds to the machine (MB here are 1,000,000 bytes)."
    )


def check_content(content_dir: str, folder: Path, report: Report) -> None:
    """`trainer check-content` on the content folder: with no instance folder, so everything is
    validated; then twice with one, the second time reading the catalogue the first one kept."""
    instance = folder / "check-instance"
    instance.mkdir()
    for how, instance_dir, runs in (
        ("with nothing kept", folder / "no-instance", 1),
        ("on unchanged content, with the catalogue an earlier check kept", instance, 2),
    ):
        for _ in range(runs):
            wall, cpu, output = run_check_content(content_dir, instance_dir)
        report.add(
            f"`trainer check-content --content-dir DATA/content`, {how}",
            f"{wall:.2f} s (CPU {cpu:.2f} s): {output}",
            f"under {START_SECONDS:.0f} s",
            wall < START_SECONDS,
        )


def run_check_content(content_dir: str, instance_dir: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of one `trainer check-content`, and what it printed."""
    env = {**os.environ, "TRAINER_INSTANCE_DIR": str(instance_dir)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 (our own command)
        [str(BIN / "trainer"), "check-content", "--content-dir", content_dir],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if finished.returncode:
        raise RuntimeError(f"check-content failed: {finished.stderr.strip()[-2000:]}")
    return wall, cpu, finished.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seed.add_data_options(parser)
    args = parser.parse_args()
    stop_on_signals()
    # A deployed service runs compiled bytecode; compile it, as bench/run.py does, so that
    # start-up is not measured compiling the app's own modules.
    compileall.compile_dir(ROOT / "trainer", quiet=1)
    report = Report("Memory and start-up", invocation("bench.footprint"))
    with seed.data_for(args, report, "footprint") as (data, folder):
        measure(data, folder, report)
        check_content(data["content_dir"], folder, report)
    report.write(args.json)


if __name__ == "__main__":
    main()
