"""Benchmark: workforce reports at scale.

Seeds N learners (default 100,000) in 50 organisations, one of them a tenth of N, with about
12 rows of progress each (module reads, attempts, scenario answers, completions), into a
SQLite file. Then times the dashboard and the per-case view for the lead of the large
organisation, and each export of N rows (one course, every organisation) for an
administrator, with the peak memory each takes.

Run with:  .venv/bin/python bench/reports.py [--learners N] [--json PATH] [--database FILE.db]
Not part of the test suite. With --database, the seeded file is kept and reused by the next
run with the same N.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer import PROJECT_ROOT, create_app
from trainer.auth.services import create_user
from trainer.content import SECTORS
from trainer.extensions import current_catalogue, db
from trainer.models import Organisation, User
from trainer.progress import add_months
from trainer.quiz.review import best_choice
from trainer.reports.queries import PAGE_SIZE

ORGANISATIONS = 50
TEAMS = 5
DASHBOARD_RUNS = 9
PASSWORD = secrets.token_urlsafe(16)
NOW = datetime.now(UTC)
DASHBOARD_TARGET = 0.3
CSV_TARGET = 10.0
XLSX_AIM = 60.0
# A streamed export holding more than this would be keeping rows, not passing them on.
STREAMED_MEMORY = 50.0


def stored(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy stores it in SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class Seeder:
    """Plain rows for each table, made in memory and inserted in one transaction."""

    def __init__(self, learners: int, catalogue) -> None:
        self.learners = learners
        self.biggest = learners // 10
        self.rng = random.Random(14)
        self.courses = list(catalogue.courses.values())
        self.scenario = next(q for q in catalogue.quizzes.values() if q.kind == "scenario")
        self.rows: dict[str, list[tuple]] = {
            "organisation": [],
            "team": [],
            "user": [],
            "module_read": [],
            "course_completion": [],
            "attempt": [],
            "answer": [],
        }

    def organisation_of(self, n: int) -> int:
        """Index of the n-th learner's organisation: the first tenth in the first one."""
        return 0 if n < self.biggest else 1 + (n - self.biggest) % (ORGANISATIONS - 1)

    def make(self) -> None:
        sectors = list(SECTORS)
        now = stored(NOW)
        for i in range(ORGANISATIONS):
            self.rows["organisation"].append(
                (i + 1, f"Organisation {i + 1}", sectors[i % len(sectors)], now)
            )
            for t in range(TEAMS):
                self.rows["team"].append((i * TEAMS + t + 1, i + 1, f"Team {t + 1}"))
        job_roles = ["Social worker", "Health visitor", "Teacher", ""]
        shares = (0.6, 0.25, 0.1)
        for n in range(self.learners):
            user_id, org = n + 1, self.organisation_of(n)
            team = org * TEAMS + self.rng.randrange(TEAMS) + 1
            self.rows["user"].append(
                (
                    *(user_id, f"learner{n}@example.org", f"Learner {n}", "!", org + 1, team),
                    *("other", self.rng.choice(job_roles), "", "other", 1, 1, now),
                )
            )
            for course, share in zip(self.courses, shares, strict=False):
                self.course_facts(user_id, course, share)
            if self.rng.random() < 0.3:
                done = NOW - timedelta(days=self.rng.randrange(1, 400))
                attempt_id = self.attempt(user_id, self.scenario.id, done, 60)
                self.answers(attempt_id)

    def course_facts(self, user_id: int, course, share_done: float) -> None:
        """A learner's facts for one course: finished, part-way or untouched."""
        luck = self.rng.random()
        if luck < share_done:
            done = NOW - timedelta(days=self.rng.randrange(1, 1100))
            reads = course.module_ids
            for quiz_id in course.completion_quizzes:
                self.attempt(user_id, quiz_id, done, 70 + self.rng.randrange(31))
            refresher = add_months(done.date(), course.validity_months)
            self.rows["course_completion"].append(
                (user_id, course.id, 0, stored(done), refresher.isoformat(), course.cpd_minutes)
            )
        elif luck < share_done + 0.2:
            done = NOW - timedelta(days=self.rng.randrange(1, 200))
            reads = course.module_ids[: self.rng.randrange(1, len(course.module_ids))]
        else:
            return
        when = stored(done)
        self.rows["module_read"] += [(user_id, course.id, m, 0, when) for m in reads]

    def attempt(self, user_id: int, quiz_id: str, done: datetime, percent: int) -> int:
        attempt_id = len(self.rows["attempt"]) + 1
        started, finished = stored(done - timedelta(minutes=20)), stored(done)
        passed = percent >= 80
        self.rows["attempt"].append(
            (
                *(attempt_id, user_id, quiz_id, 1, "bench", started, finished),
                *(percent, 100, percent, passed),
            )
        )
        return attempt_id

    def answers(self, attempt_id: int) -> None:
        step, position, now = self.scenario.start, 0, stored(NOW)
        while step is not None:
            choice = best_choice(step) if self.rng.random() < 0.7 else self.rng.choice(step.choices)
            self.rows["answer"].append((attempt_id, position, step.id, json.dumps(choice.id), now))
            position += 1
            step = self.scenario.step(choice.next_step) if choice.next_step != "end" else None

    def insert(self, database: Path) -> None:
        columns = {
            "organisation": "id, name, sector, created_at",
            "team": "id, organisation_id, name",
            "user": "id, email, name, password_hash, organisation_id, team_id, sector, job_role,"
            " organisation_other, cpd_framework, is_active_account, session_version, created_at",
            "module_read": "user_id, course_id, module_id, cycle, read_at",
            "course_completion": "user_id, course_id, cycle, completed_at, refresher_due,"
            " cpd_minutes",
            "attempt": "id, user_id, quiz_id, number, content_version, started_at, finished_at,"
            " score, max_score, percent, passed",
            "answer": "attempt_id, position, item_id, value, answered_at",
        }
        connection = sqlite3.connect(database, isolation_level=None)
        # For this connection only: the app's own connections keep their safe settings.
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.execute("BEGIN")
        for table, names in columns.items():
            marks = ", ".join("?" * len(names.split(",")))
            connection.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608 (our names)
                self.rows[table],
            )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.close()

    def counts(self) -> dict[str, int]:
        return {
            "module reads": len(self.rows["module_read"]),
            "completions": len(self.rows["course_completion"]),
            "attempts": len(self.rows["attempt"]),
            "scenario answers": len(self.rows["answer"]),
        }


def seed(app, database: Path, learners: int) -> tuple[dict[str, int], float, float]:
    """Seed the database; the counts of progress rows, and wall-clock and CPU seconds taken."""
    started, cpu = time.perf_counter(), time.process_time()
    with app.app_context():
        db.create_all()
        seeder = Seeder(learners, current_catalogue())
        db.session.remove()
        db.engine.dispose()
    seeder.make()
    seeder.insert(database)
    with app.app_context():
        big = db.session.get(Organisation, 1)
        create_user("lead@bench.example", "Bench Lead", PASSWORD, ["lead"], big, "health")
        create_user("admin@bench.example", "Bench Admin", PASSWORD, ["admin"], big, "other")
        db.session.commit()
    return seeder.counts(), time.perf_counter() - started, time.process_time() - cpu


def timed(action) -> tuple[float, float]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time says what the work costs."""
    started, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - started, time.process_time() - cpu


def traced_peak(action) -> float:
    """Peak memory allocated while the action runs, over what was held before, in MiB."""
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - before) / 2**20


def fetch(client, path: str) -> int:
    """Request a page or file, reading a streamed body chunk by chunk; its size in bytes."""
    response = client.get(path, buffered=False)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"signing in as {email} failed")
    return client


def ms(wall: float, cpu: float) -> str:
    return f"{wall * 1000:,.0f} ms (CPU {cpu * 1000:,.0f} ms)"


def seconds(wall: float, cpu: float) -> str:
    return f"{wall:.1f} s (CPU {cpu:.1f} s)"


class Results:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, what: str, result: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append({"what": what, "result": result, "target": target, "met": met})
        mark = {True: " [met]", False: " [missed]", None: ""}[met]
        print(f"{what}: {result}{mark}")


def measure_pages(app, results: Results, learners: int) -> None:
    biggest = learners // 10
    lead = signed_in(app, "lead@bench.example")
    with app.app_context():
        case = next(q.case_example for q in current_catalogue().quizzes.values() if q.case_example)
        courses = len(current_catalogue().courses)
    fetch(lead, "/reports/")  # warm up templates and the catalogue
    runs = [timed(lambda: fetch(lead, "/reports/")) for _ in range(DASHBOARD_RUNS)]
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    peak = traced_peak(lambda: fetch(lead, "/reports/"))
    results.add(
        f"dashboard, organisation of {biggest:,} ({biggest * courses:,} person-course rows)",
        f"{ms(wall, cpu)} median of {DASHBOARD_RUNS}; peak memory {peak:.1f} MiB",
        f"under {DASHBOARD_TARGET * 1000:.0f} ms",
        cpu < DASHBOARD_TARGET,
    )
    last = -(-biggest * courses // PAGE_SIZE)
    for label, query in (
        ("filtered to overdue", "?status=overdue"),
        ("sorted by refresher date", "?sort=refresher"),
        (f"last page (page {last:,})", f"?page={last}"),
    ):
        results.add(f"dashboard, {label}", ms(*timed(lambda q=query: fetch(lead, f"/reports/{q}"))))
    results.add(
        f"per-case view, organisation of {biggest:,}",
        ms(*timed(lambda: fetch(lead, f"/reports/cases/{case}"))),
    )


def measure_exports(app, results: Results, learners: int, trace: bool) -> None:
    admin = signed_in(app, "admin@bench.example")
    what = {
        "csv": f"CSV export, {learners:,} rows, streamed",
        "xlsx": f"XLSX export, {learners:,} rows and the summary sheet",
        "pdf": "PDF board summary (figures only)",
    }
    for file_format in ("csv", "xlsx", "pdf"):
        path = f"/reports/completions.{file_format}?course=essentials"
        sizes: list[int] = []
        wall, cpu = timed(lambda path=path, sizes=sizes: sizes.append(fetch(admin, path)))
        peak = traced_peak(lambda path=path: fetch(admin, path)) if trace else None
        memory = f", peak memory {peak:.1f} MiB" if peak is not None else ""
        result = f"{seconds(wall, cpu)}, {sizes[0] / 2**20:.1f} MiB{memory}"
        if file_format == "csv":
            met = cpu < CSV_TARGET and (peak is None or peak < STREAMED_MEMORY)
            target = f"under {CSV_TARGET:.0f} s, memory not growing with rows"
            results.add(what[file_format], result, target, met)
        elif file_format == "xlsx":
            results.add(what[file_format], result, f"under {XLSX_AIM:.0f} s", cpu < XLSX_AIM)
        else:
            results.add(what[file_format], result)


def load_average() -> str:
    return ", ".join(f"{n:.1f}" for n in os.getloadavg())


def command_line() -> str:
    """This run's command, with paths inside the project written relative to it."""

    def relative(part: str) -> str:
        path = Path(part)
        if path.is_absolute() and path.is_relative_to(PROJECT_ROOT):
            return str(path.relative_to(PROJECT_ROOT))
        return part

    return shlex.join([relative(sys.executable), "bench/reports.py", *map(relative, sys.argv[1:])])


def notes(learners: int, seeded: str, loads: tuple[str, str], trace: bool) -> list[str]:
    biggest = learners // 10
    return [
        f"Seeded {learners:,} learners in {ORGANISATIONS} organisations (one of {biggest:,},"
        f" the rest about {(learners - biggest) // (ORGANISATIONS - 1):,} each, five teams"
        f" each) with {seeded}. Each learner has, per course, a chance of having completed it"
        " (60%, 25% and 10% for the three courses) or read part of it (20%), and a 30% chance"
        " of one finished scenario. Rows go in as plain tuples over one SQLite connection, in"
        " one transaction, with synchronous writes off for that connection only; then ANALYZE.",
        "Every page and file is requested through the app's test client in this process (no"
        " HTTP server): the dashboard and the per-case view as a signed-in lead of the large"
        f" organisation (a page of {PAGE_SIZE} rows, sorted by name unless said otherwise; the"
        f" dashboard median of {DASHBOARD_RUNS} runs, the others once), the exports as an"
        " administrator with one course chosen, so one row per learner. Wall-clock and CPU"
        " seconds of this process are both given: CPU is what the work costs, wall-clock what"
        " a person waits. They part when other work shares the machine, so a target is judged"
        " on CPU time; each request runs on one thread, so on an idle machine the two agree.",
        (
            "Peak memory is what Python allocated during the request over what it held before"
            " (tracemalloc), in a second run so tracing does not slow the timed one. The CSV"
            " and XLSX are written as their rows are read, in batches of 2,000, so their memory"
            " stays the same whatever the number of rows."
            if trace
            else "Peak memory of the exports was not traced in this run (--no-trace)."
        ),
        "The dashboard works out each person's status once for its figures, in one grouped"
        " query over every person and course in view, and builds rows only for the people on"
        " the page shown, placed by counting people in name order: that grouped query is most"
        " of its time, and grows with the organisation. A filter on status, or a sort by"
        " status or by a date, needs every person's status to place the page, so it takes a"
        " second pass; a late page reads the names of everyone before it.",
        "In the exports, about a third of the time is the query (every person's status and"
        " best score, sorted by name) and the rest is writing each row; in the XLSX most of"
        " that is xlsxwriter's own work for each of the eleven cells of a row. The PDF holds"
        " figures only: its time is the grouped query for them, drawing the tables (a row per"
        " team, 250 for an administrator here) and loading the fonts into fpdf2, which it"
        " does for every PDF.",
        f"Load average (1, 5, 15 minutes) {loads[0]} before and {loads[1]} after measuring,"
        f" on {os.cpu_count()} cores: above the core count, other work shared the machine and"
        " wall-clock times are inflated by it.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000, help="default 100000")
    parser.add_argument("--json", type=Path, help="write the results here as one JSON object")
    parser.add_argument(
        "--database", type=Path, help="keep the seeded SQLite file here; reuse it if it exists"
    )
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the second, traced run of each export"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or Path(folder) / "bench.db"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database.resolve()}",
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        print(f"{os.cpu_count()} cores, {date.today():%d %B %Y}, load average {load_average()}")
        if database.exists():
            with app.app_context():
                found = db.session.scalar(db.select(db.func.count(User.id))) - 2
            if found != args.learners:
                raise SystemExit(f"{database} holds {found:,} learners, not {args.learners:,}")
            seeded = "the progress rows of an earlier run (reused)"
        else:
            counts, wall, cpu = seed(app, database, args.learners)
            seeded = (
                f"{sum(counts.values()):,} progress rows ("
                + ", ".join(f"{n:,} {what}" for what, n in counts.items())
                + f") in {seconds(wall, cpu)}"
            )
            print(f"seeded {seeded}")
        with app.app_context():  # the password is new each run
            for user in db.session.scalars(
                db.select(User).where(User.email.like("%@bench.example"))
            ):
                user.set_password(PASSWORD)
            db.session.commit()
        results = Results()
        before = load_average()
        measure_pages(app, results, args.learners)
        measure_exports(app, results, args.learners, not args.no_trace)
        after = load_average()
    report = {
        "title": "Workforce reports at scale",
        "command": command_line(),
        "rows": results.rows,
        "notes": notes(args.learners, seeded, (before, after), not args.no_trace),
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
