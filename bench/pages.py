"""Benchmark: pages under load, beside a bare Flask baseline served the same way.

gunicorn serves the app (2 workers, as gunicorn.conf.py and the README set it) on the seeded
SQLite database; wrk loads one address at a time over loopback (32 connections, 2 threads,
--latency). The module page, a case page and the home page are loaded signed out and signed
in (a cookie from the real sign-in form), and /healthz; bench/baseline.py answers with the
module page's bytes and the health check's JSON, and every figure is given as a ratio to it.

Run with:  .venv/bin/python -m bench.pages [--seconds 10] [--data DATA] [--json PATH]
(each address is loaded in rounds of a third of --seconds each: bench/wrk.py)
Without --data it seeds its own data first (bench/seed.py), which takes a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench import seed, wrk
from bench.document import Report
from bench.harness import (
    APP,
    BASELINE,
    USER_AGENT,
    app_environment,
    clear_rate_limits,
    gunicorn,
    gunicorn_settings,
    rate_limit_prefix,
    request,
    sign_in,
)
from trainer.content import Catalogue, load_catalogue

SHARE_OF_BASELINE = 0.70
P99_MS = 50.0
SIGNED_IN_LEARNER = 1  # the other benchmarks leave this learner's progress as seeded


@dataclass(frozen=True)
class Address:
    name: str
    path: str
    signed_in: bool = False


def page_paths(catalogue: Catalogue) -> dict[str, str]:
    """The pages measured: the longest module of the first course, the first case, home."""
    course = next(iter(catalogue.courses.values()))
    module = max(catalogue.modules_of(course), key=lambda m: len(m.html))
    case = next(iter(catalogue.cases.values()))
    return {
        "module page": f"/courses/{course.id}/{module.id}",
        "case page": f"/cases/{case.id}",
        "home page": "/",
    }


def addresses(catalogue: Catalogue) -> list[Address]:
    found = []
    for name, path in page_paths(catalogue).items():
        found += [Address(name, path), Address(name, path, signed_in=True)]
    return [*found, Address("health check", "/healthz")]


def describe(loads: wrk.Rounds) -> str:
    best = loads.best
    return (
        f"{best.requests_per_second:,.0f} req/s, p50 {best.p50_ms:.1f} ms, "
        f"p99 {best.p99_ms:.1f} ms, {loads.errors} errors (rounds: {loads.shown()} req/s)"
    )


def measure(data: dict, folder: Path, seconds: int, report: Report) -> None:
    round_seconds = max(1, seconds // 3)
    catalogue = load_catalogue(data["content_dir"])
    prefix = rate_limit_prefix()
    env = app_environment(data, "SQLite", folder / "instance", prefix)
    log = folder / "gunicorn.log"
    targets = addresses(catalogue)
    module_path = page_paths(catalogue)["module page"]
    try:
        with gunicorn(APP, env, log) as server:
            _status, _headers, page = request(server.port, "GET", module_path)
            _status, _headers, health = request(server.port, "GET", "/healthz")
        (folder / "page.html").write_bytes(page)
        (folder / "health.json").write_bytes(health)
        baseline_env = {
            **env,
            "BENCH_PAGE_FILE": str(folder / "page.html"),
            "BENCH_HEALTH_FILE": str(folder / "health.json"),
        }
        base = {}
        with gunicorn(BASELINE, baseline_env, log) as server:
            _status, _headers, same = request(server.port, "GET", "/page")
            if same != page:
                raise RuntimeError("the baseline's page differs from the module page")
            for name, path in (("module page", "/page"), ("health check", "/healthz")):
                base[name] = wrk.rounds(server.url(path), round_seconds)
                report.add(f"baseline, {name}'s bytes ({path})", describe(base[name]))
        with gunicorn(APP, env, log) as server:
            for address in targets:
                headers = {"User-Agent": USER_AGENT}
                if address.signed_in:
                    cookie = sign_in(server.port, seed.email(SIGNED_IN_LEARNER), data["password"])
                    headers["Cookie"] = f"session={cookie}"
                    _check_signed_in(server.port, address.path, headers)
                load = wrk.rounds(server.url(address.path), round_seconds, headers)
                baseline = base["health check" if address.path == "/healthz" else "module page"]
                _add(report, address, load, baseline)
    finally:
        clear_rate_limits(prefix)
    report.note(
        f"Each address was loaded in {wrk.ROUNDS} rounds of {round_seconds} s by "
        f"`{wrk.shown(wrk.command('URL', round_seconds))}` on the same machine as the server, "
        f"one address at a time, after a {wrk.WARM_UP_SECONDS} s load of it that is not counted; "
        "each round opens new connections, and the table gives the round with the most "
        "requests a second (every round's rate in brackets), for the baseline and the app "
        "alike, with the errors of all rounds. wrk opens its 32 connections at once and "
        "gunicorn's two workers take them unevenly: when one worker holds them all it serves "
        "them on one core, at about a third of the pace. A proxy in front, or many browsers "
        "coming and going, spread them; the best round is the server with its connections "
        "spread. The module page is "
        f"{module_path} ({len(page):,} bytes signed out); the baseline serves exactly those "
        "bytes through a one-variable Jinja template (compiled once, as Flask keeps any "
        "template file), and the health check's JSON through "
        "jsonify, from a bare Flask app run by the same gunicorn command (same "
        f"gunicorn.conf.py: {gunicorn_settings()}), so the ratio is what the app's own work "
        "costs. Signed-in pages carry the cookie of one learner who signed in through "
        "the form just before that address was loaded, so the cookie is under a minute old, as "
        "a browser's is (the service signs it again once a minute and the browser keeps the "
        "new one, which wrk does not); the app runs with TRAINER_ENV=production, Redis for the rate-limit counters "
        "and the seeded SQLite database."
    )
    report.note(
        "wrk and the server share the machine's cores, so both figures are lower than on "
        "separate machines; the ratio to the baseline is the figure to compare between runs."
    )


def _check_signed_in(port: int, path: str, headers: dict[str, str]) -> None:
    status, _headers, body = request(port, "GET", path, headers=headers)
    if status != 200 or b"Sign out" not in body:
        raise RuntimeError(f"{path} did not answer as a signed-in page ({status})")


def _add(report: Report, address: Address, loads: wrk.Rounds, baseline: wrk.Rounds) -> None:
    load = loads.best
    share = load.requests_per_second / baseline.best.requests_per_second
    who = "signed in" if address.signed_in else "signed out"
    if address.path == "/healthz":
        who = "against the baseline's JSON"
    met = share >= SHARE_OF_BASELINE and load.p99_ms < P99_MS and loads.errors == 0
    report.add(
        f"{address.name}, {who} ({address.path})",
        f"{share:.0%} of the baseline's req/s; {describe(loads)}",
        f"≥ {SHARE_OF_BASELINE:.0%} of the baseline's req/s, p99 under {P99_MS:.0f} ms, no errors",
        met,
    )


def main() -> None:
    seed.run_under_load(
        __doc__,
        "pages",
        "Pages under load, against a bare Flask baseline",
        "load per address",
        measure,
    )


if __name__ == "__main__":
    main()
