"""Benchmark: a peer on the same machine, Kolibri, the offline-first Python learning platform.

Kolibri is installed from PyPI into its own virtual environment in bench/.peer/ (git-ignored)
when it is not there yet, given a new home folder with no content, set up through its own
command line (`kolibri manage provisiondevice`), and started with its defaults. Measured: its
start-up to the first answered page, the memory of its processes at rest, and wrk on its
sign-in page; our app is measured the same way beside it (start-up, memory, wrk on our
sign-in page), on the seeded data.

Run with:  .venv/bin/python -m bench.peer [--seconds 10] [--data DATA] [--json PATH]
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench import seed, wrk
from bench.document import Report
from bench.footprint import megabytes
from bench.harness import (
    APP,
    ROOT,
    app_environment,
    clear_rate_limits,
    free_port,
    gunicorn,
    memory_kib,
    rate_limit_prefix,
    request,
    stop_group,
    tail,
    wait_until_answered,
)

PEER = ROOT / "bench" / ".peer" / "kolibri"
KOLIBRI = "kolibri==0.19.5"
INSTALL_SECONDS = 1200
# Kolibri's defaults, less what would send packets off the machine: it listens on every
# interface, announces itself by multicast (zeroconf) and reports usage to its makers.
LOOPBACK_ONLY = {
    "KOLIBRI_LISTEN_ADDRESS": "127.0.0.1",
    "KOLIBRI_ZEROCONF_ENABLED": "false",
    "KOLIBRI_DISABLE_PING": "true",
    "KOLIBRI_RUN_MODE": "bench",
}


class NotRun(Exception):
    """Kolibri could not be installed, set up or started; the message says exactly why."""


def _run(line: list[str], env: dict[str, str], seconds: float, what: str) -> float:
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603 (commands we built)
            line, env=env, capture_output=True, text=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise NotRun(f"{what} took more than {seconds:.0f} s") from error
    if done.returncode:
        output = (done.stderr or done.stdout).strip().splitlines()[-12:]
        raise NotRun(f"{what} failed (exit code {done.returncode}): " + " / ".join(output))
    return time.perf_counter() - started


def install() -> str:
    """Kolibri in bench/.peer/kolibri, installed when missing; what was done."""
    if (PEER / "bin" / "kolibri").exists():
        return "already installed in bench/.peer/kolibri"
    env = dict(os.environ)
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", str(PEER)], env, 120, "making its virtual environment")
    seconds = _run(
        [str(PEER / "bin" / "pip"), "install", "--quiet", KOLIBRI],
        env,
        INSTALL_SECONDS,
        f"pip install {KOLIBRI}",
    )
    return f"installed from PyPI in {seconds:.0f} s"


def process_group(leader: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == leader:
                    pids.append(int(entry.name))
            except ProcessLookupError:
                continue
    return sorted(pids)


def start_kolibri(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int, float]:
    port, zip_port = free_port(), free_port()
    with log.open("ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (its own command)
            [
                str(PEER / "bin" / "kolibri"),
                "start",
                "--foreground",
                f"--port={port}",
                f"--zip-port={zip_port}",
            ],
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        seconds = wait_until_answered(port, "/", process, log, started)
    except (RuntimeError, OSError) as error:
        stop_group(process)
        raise NotRun(f"Kolibri did not start: {error}") from error
    return process, port, seconds


def kolibri(folder: Path, seconds: int) -> dict:
    done = install()
    env = {**os.environ, "KOLIBRI_HOME": str(folder / "kolibri-home"), **LOOPBACK_ONLY}
    version = subprocess.run(  # noqa: S603 (its own command)
        [str(PEER / "bin" / "kolibri"), "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    setup = _run(
        [
            str(PEER / "bin" / "kolibri"),
            "manage",
            "provisiondevice",
            "--",
            "--facility=Bench",
            "--superusername=admin",
            f"--superuserpassword={secrets.token_urlsafe(16)}",
            "--preset=formal",
            "--language_id=en",
            "--noinput",
        ],
        env,
        600,
        "kolibri manage provisiondevice",
    )
    log = folder / "kolibri.log"
    process, port, first = start_kolibri(env, log)
    try:
        _status, headers, _body = request(port, "GET", "/")
        sign_in_path = headers.get("location", "/").replace(f"http://127.0.0.1:{port}", "")
        status, _headers, page = request(port, "GET", sign_in_path)
        if status != 200:
            raise NotRun(f"its sign-in page {sign_in_path} answered {status}: {tail(log)}")
        for _ in range(10):
            request(port, "GET", sign_in_path)
        time.sleep(1.0)
        memory = [memory_kib(pid) for pid in process_group(process.pid)]
        load = wrk.rounds(f"http://127.0.0.1:{port}{sign_in_path}", round_seconds(seconds))
    finally:
        stop_group(process)
    process, _port, again = start_kolibri(env, log)
    stop_group(process)
    return {
        "name": f"Kolibri {version.split()[-1]}" if version else "Kolibri",
        "installed": done,
        "setup": setup,
        "first": first,
        "again": again,
        "memory": memory,
        "path": sign_in_path,
        "bytes": len(page),
        "load": load,
    }


def ours(data: dict, folder: Path, seconds: int) -> dict:
    prefix = rate_limit_prefix()
    env = app_environment(data, "SQLite", folder / "instance", prefix)
    log = folder / "gunicorn.log"
    try:
        with gunicorn(APP, env, log) as server:
            first = server.started_seconds
            _status, _headers, page = request(server.port, "GET", "/auth/login")
            for _ in range(10):
                request(server.port, "GET", "/auth/login")
            time.sleep(1.0)
            memory = [memory_kib(pid) for pid in [server.process.pid, *server.worker_pids()]]
            load = wrk.rounds(server.url("/auth/login"), round_seconds(seconds))
        with gunicorn(APP, env, log) as server:
            again = server.started_seconds
    finally:
        clear_rate_limits(prefix)
    return {
        "first": first,
        "again": again,
        "memory": memory,
        "path": "/auth/login",
        "bytes": len(page),
        "load": load,
    }


def _memory(found: dict) -> str:
    processes = found["memory"]
    each = ", ".join(f"RSS {megabytes(r)} / PSS {megabytes(p)}" for r, p in processes)
    total = sum(p for _r, p in processes)
    count = len(processes)
    return f"{count} process{'es' if count > 1 else ''} ({each}); PSS together {megabytes(total)}"


def round_seconds(seconds: int) -> int:
    return max(1, seconds // 3)


def _load(found: dict) -> str:
    loads = found["load"]
    load = loads.best
    return (
        f"{found['path']} ({found['bytes']:,} bytes): {load.requests_per_second:,.0f} req/s, "
        f"p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms, {loads.errors} errors "
        f"(rounds: {loads.shown()} req/s)"
    )


def measure(data: dict, folder: Path, seconds: int, report: Report) -> None:
    app = ours(data, folder, seconds)
    try:
        peer = kolibri(folder, seconds)
    except NotRun as error:
        report.add("Kolibri", f"not measured: {error}")
        report.note(f"Kolibri ({KOLIBRI}) could not be measured: {error}")
        peer = None
    measured = [("Information Sharing Training", app)]
    if peer:
        report.add(f"{peer['name']}: installation", peer["installed"])
        report.add(
            f"{peer['name']}: first-run set-up (kolibri manage provisiondevice)",
            f"{peer['setup']:.1f} s",
        )
        measured.insert(0, (peer["name"], peer))
    for label, found in measured:
        report.add(
            f"{label}: start-up to the first answered page",
            f"{found['first']:.2f} s; restarted {found['again']:.2f} s",
        )
        report.add(f"{label}: memory at rest", _memory(found))
        report.add(f"{label}: sign-in page under load", _load(found))
    report.note(
        f"Kolibri ({KOLIBRI}) runs from its own virtual environment in bench/.peer/ "
        "with a new KOLIBRI_HOME in a temporary folder and no content, set up by `kolibri "
        "manage provisiondevice` (one facility, one administrator, English), and `kolibri "
        "start --foreground` with its defaults except that it listens on 127.0.0.1 only, does "
        "not announce itself by zeroconf and does not report usage: nothing outside this "
        "machine can be reached, and nothing may be sent there. Its server is one process "
        "(cheroot, threaded); ours is gunicorn with 2 workers and its master, as the other "
        "benchmarks run it. Both sign-in pages were loaded in "
        f"{wrk.ROUNDS} rounds of {round_seconds(seconds)} s, each on new connections, with "
        f"`{wrk.shown(wrk.command('URL', round_seconds(seconds)))}` after ten requests and a "
        f"{wrk.WARM_UP_SECONDS} s load to warm them (the best round is given, as for the "
        "pages above), and memory was read from /proc/PID/smaps_rollup of "
        "every process after those ten requests. Start-up runs from launching the server to "
        "the first answer to /, or /healthz for ours."
    )


def main() -> None:
    seed.run_under_load(
        __doc__, "peer", "A peer: Kolibri on the same machine", "load on each sign-in page", measure
    )


if __name__ == "__main__":
    main()
