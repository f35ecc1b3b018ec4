"""Benchmark data: a content folder and a database of learners with a history of progress.

Writes into FOLDER a copy of the real curriculum plus a generated one (bench/curriculum.py),
and seeds a SQLite database (and, given one, an empty PostgreSQL database) by bulk inserts:
10,000 learners in 20 organisations, each with module reads, course completions, quiz
attempts and every answer, about 100 rows a learner. FOLDER/bench.json says where it all is.

Run with:  .venv/bin/python -m bench.seed --folder FOLDER [--learners 10000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from werkzeug.security import generate_password_hash

from bench.curriculum import Sizes, add_generated, copy_real
from bench.document import Report, invocation
from bench.harness import stop_on_signals
from trainer import PROJECT_ROOT, create_app
from trainer.content import SECTORS, Catalogue, load_catalogue
from trainer.extensions import current_catalogue, db
from trainer.models import (
    Answer,
    Attempt,
    CourseCompletion,
    ModuleRead,
    Organisation,
    RoleGrant,
    Team,
    User,
)
from trainer.progress import add_months
from trainer.quiz.questions import right_answer
from trainer.quiz.review import best_choice

ORGANISATIONS = 20
TEAMS = 5
CHUNK_LEARNERS = 500
INSERT_ROWS = 20_000
NOW = datetime.now(UTC)
SECTOR_LIST = list(SECTORS)
PROGRESS = ("module reads", "completions", "attempts", "answers")


def email(n: int) -> str:
    """Learner n's address; learners are numbered from 1."""
    return f"learner{n}@bench.example"


class Plan:
    """What a learner can do in this catalogue: courses, scenarios and practice checks."""

    def __init__(self, catalogue: Catalogue) -> None:
        finals = {q for c in catalogue.courses.values() for q in c.completion_quizzes}
        self.catalogue = catalogue
        self.courses = list(catalogue.courses.values())
        self.scenarios = [q for q in catalogue.quizzes.values() if q.kind == "scenario"]
        self.checks = [
            q for q in catalogue.quizzes.values() if q.kind == "check" and q.id not in finals
        ]


class Rows:
    """Rows for a block of learners, with ids given here so answers can name their attempt."""

    def __init__(self, first_attempt_id: int) -> None:
        self.next_attempt_id = first_attempt_id
        self.tables = {
            "users": [],
            "roles": [],
            "module reads": [],
            "completions": [],
            "attempts": [],
            "answers": [],
        }

    def attempt(self, user_id, quiz, number, done, percent, finished=True) -> int:
        attempt_id = self.next_attempt_id
        self.next_attempt_id += 1
        self.tables["attempts"].append(
            {
                "id": attempt_id,
                "user_id": user_id,
                "quiz_id": quiz.id,
                "number": number,
                "content_version": quiz.version,
                "started_at": done - timedelta(minutes=20),
                "finished_at": done if finished else None,
                "score": percent if finished else None,
                "max_score": 100 if finished else None,
                "percent": percent if finished else None,
                "passed": percent >= quiz.pass_mark if finished else None,
                "presentation": None,
            }
        )
        return attempt_id

    def answers(self, attempt_id: int, items: list[tuple[str, object]], done) -> None:
        self.tables["answers"] += [
            {
                "attempt_id": attempt_id,
                "position": position,
                "item_id": item,
                "value": value,
                "answered_at": done,
            }
            for position, (item, value) in enumerate(items)
        ]


def _learner(rng: random.Random, n: int, password_hash: str, rows: Rows) -> None:
    org = n % ORGANISATIONS
    rows.tables["users"].append(
        {
            "id": n,
            "email": email(n),
            "name": f"Learner {n}",
            "password_hash": password_hash,
            "organisation_id": org + 1,
            "team_id": org * TEAMS + rng.randrange(TEAMS) + 1,
            "sector": SECTOR_LIST[org % len(SECTOR_LIST)],
            "job_role": rng.choice(["Social worker", "Health visitor", "Teacher", "Nurse"]),
            "organisation_other": "",
            "email_confirmed_at": NOW - timedelta(days=400),
            "cpd_framework": "other",
            "cpd_cycle_start": None,
            "is_active_account": True,
            "session_version": 1,
            "created_at": NOW - timedelta(days=400),
        }
    )
    rows.tables["roles"].append({"user_id": n, "role": "learner"})


def _courses(rng: random.Random, n: int, plan: Plan, rows: Rows) -> None:
    """Each course finished (30%), part-read (30%) or untouched."""
    for course in plan.courses:
        luck = rng.random()
        if luck < 0.3:
            done = NOW - timedelta(days=rng.randrange(1, 700))
            reads = course.module_ids
            for quiz_id in course.completion_quizzes:
                quiz = plan.catalogue.quizzes[quiz_id]
                number = 1
                if rng.random() < 0.2:
                    rows.attempt(n, quiz, number, done - timedelta(days=2), quiz.pass_mark - 10)
                    number += 1
                rows.attempt(n, quiz, number, done, min(100, quiz.pass_mark + rng.randrange(20)))
            rows.tables["completions"].append(
                {
                    "user_id": n,
                    "course_id": course.id,
                    "cycle": 0,
                    "completed_at": done,
                    "refresher_due": add_months(done.date(), course.validity_months),
                    "cpd_minutes": course.cpd_minutes,
                }
            )
        elif luck < 0.6:
            done = NOW - timedelta(days=rng.randrange(1, 200))
            reads = course.module_ids[: rng.randrange(1, len(course.module_ids) + 1)]
        else:
            continue
        rows.tables["module reads"] += [
            {"user_id": n, "course_id": course.id, "module_id": m, "cycle": 0, "read_at": done}
            for m in reads
        ]


def _route(rng: random.Random, quiz) -> list[tuple[str, object]]:
    """A path through a scenario: mostly the best choice, sometimes any."""
    route, step = [], quiz.start
    while step is not None:
        choice = best_choice(step) if rng.random() < 0.7 else rng.choice(step.choices)
        route.append((step.id, choice.id))
        step = quiz.step(choice.next_step) if choice.next_step != "end" else None
    return route


def _quizzes(rng: random.Random, n: int, plan: Plan, rows: Rows) -> None:
    """About five scenarios (one in ten left part-way) and three practice checks each."""
    for quiz in rng.sample(plan.scenarios, min(len(plan.scenarios), rng.randrange(11))):
        done = NOW - timedelta(days=rng.randrange(1, 400))
        route = _route(rng, quiz)
        finished = rng.random() < 0.9
        attempt_id = rows.attempt(n, quiz, 1, done, rng.randrange(40, 101), finished)
        rows.answers(attempt_id, route if finished else route[: max(1, len(route) - 1)], done)
    for quiz in rng.sample(plan.checks, min(len(plan.checks), rng.randrange(7))):
        done = NOW - timedelta(days=rng.randrange(1, 400))
        attempt_id = rows.attempt(n, quiz, 1, done, rng.randrange(40, 101))
        rows.answers(attempt_id, [(q.id, _json(right_answer(q))) for q in quiz.questions], done)


def _json(answer):
    return list(answer) if isinstance(answer, tuple) else answer


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), INSERT_ROWS):
        db.session.execute(model.__table__.insert(), rows[start : start + INSERT_ROWS])


TABLES = {
    "users": User,
    "roles": RoleGrant,
    "module reads": ModuleRead,
    "completions": CourseCompletion,
    "attempts": Attempt,
    "answers": Answer,
}


def seed_database(app, learners: int, password_hash: str) -> dict[str, int]:
    """Schema by the migrations, as `trainer init-db` makes it; then every row, in blocks."""
    from flask_migrate import upgrade

    from trainer.database import MIGRATIONS, bind_migrations

    counts = dict.fromkeys(TABLES, 0)
    with app.app_context():
        bind_migrations(app)
        upgrade(directory=str(MIGRATIONS))
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("PRAGMA synchronous=OFF"))
        _insert(
            Organisation,
            [
                {
                    "id": o + 1,
                    "name": f"Organisation {o + 1}",
                    "sector": SECTOR_LIST[o % len(SECTOR_LIST)],
                }
                for o in range(ORGANISATIONS)
            ],
        )
        _insert(
            Team,
            [
                {"id": o * TEAMS + t + 1, "organisation_id": o + 1, "name": f"Team {t + 1}"}
                for o in range(ORGANISATIONS)
                for t in range(TEAMS)
            ],
        )
        plan = Plan(current_catalogue())
        rng = random.Random(14)
        next_attempt_id = 1
        for first in range(1, learners + 1, CHUNK_LEARNERS):
            rows = Rows(next_attempt_id)
            for n in range(first, min(first + CHUNK_LEARNERS, learners + 1)):
                _learner(rng, n, password_hash, rows)
                _courses(rng, n, plan, rows)
                _quizzes(rng, n, plan, rows)
            for name, model in TABLES.items():
                _insert(model, rows.tables[name])
                counts[name] += len(rows.tables[name])
            next_attempt_id = rows.next_attempt_id
        db.session.commit()
        _after_bulk_insert(db.engine.dialect.name)
    return counts


def _after_bulk_insert(dialect: str) -> None:
    """PostgreSQL's id sequences did not see the ids given; both databases refresh statistics."""
    if dialect == "postgresql":
        for table in db.metadata.sorted_tables:
            if "id" in table.c and table.c.id.autoincrement:
                name = f'"{table.name}"'
                db.session.execute(
                    db.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"coalesce(max(id), 0) + 1, false) FROM {name}"
                    )
                )
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def prepare(
    folder: Path, learners: int, sizes: Sizes, postgres_url: str | None, report: Report
) -> dict:
    """Content and databases in folder, described in folder/bench.json (which it returns)."""
    content = folder / "content"
    copy_real(PROJECT_ROOT, content)
    generated = add_generated(content, sizes).summary()
    catalogue = load_catalogue(content)
    report.add("content", catalogue.summary())
    report.note(
        f"The content folder holds the real curriculum and a generated one of {generated} "
        "(one final assessment per course, then scenarios and knowledge checks in turn), written as content files that pass "
        "`trainer check-content` (bench/curriculum.py); the app reads it through "
        "TRAINER_CONTENT_DIR."
    )
    password = secrets.token_urlsafe(16)
    password_hash = generate_password_hash(password)
    databases = {"SQLite": f"sqlite:///{folder / 'bench.db'}"}
    if postgres_url:
        databases["PostgreSQL"] = postgres_url
    for name, url in databases.items():
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "INSTANCE_PATH": str(folder / "seed-instance"),
                "SECRET_KEY": "seeding-only",
                "CONTENT_DIR": str(content),
            }
        )
        started, cpu = time.perf_counter(), time.process_time()
        counts = seed_database(app, learners, password_hash)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        progress = sum(counts[k] for k in PROGRESS)
        details = ", ".join(f"{counts[k]:,} {k}" for k in PROGRESS)
        report.add(
            f"seeded on {name}",
            f"{counts['users']:,} learners, {progress:,} progress rows ({details}) "
            f"in {wall:.0f} s (seeding process CPU {cpu:.0f} s)",
        )
        with app.app_context():
            db.engine.dispose()
    report.note(
        f"Every learner ({learners:,}, in {ORGANISATIONS} organisations of {TEAMS} teams) has, "
        "for each course, a 30% chance of having finished it (every module read, the final "
        "assessment passed, sometimes at the second attempt, and the completion recorded) and "
        "a 30% chance of having read part of it; up to 10 scenarios (one in ten left part-way) "
        "and up to 6 practice knowledge checks, each answer stored as given. The schema comes "
        "from the migrations, as `trainer init-db` makes it; rows go in by bulk inserts, "
        "followed by ANALYZE."
    )
    data = {
        "content_dir": str(content),
        "databases": databases,
        "password": password,
        "learners": learners,
    }
    (folder / "bench.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return data


def load(folder: Path) -> dict:
    return json.loads((folder / "bench.json").read_text(encoding="utf-8"))


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """--data and --json, and the sizes to seed when no --data is given."""
    parser.add_argument("--data", type=Path, help="a folder bench/seed.py filled")
    parser.add_argument("--json", type=Path, help="write the figures here (bench contract)")
    add_options(parser)


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--modules", type=int, default=Sizes.modules, help="generated modules")
    parser.add_argument("--cases", type=int, default=Sizes.cases, help="generated case examples")
    parser.add_argument("--quizzes", type=int, default=Sizes.quizzes, help="generated quizzes")


def sizes_from(args: argparse.Namespace) -> Sizes:
    return Sizes(modules=args.modules, cases=args.cases, quizzes=args.quizzes)


@contextmanager
def data_for(args: argparse.Namespace, report: Report, name: str) -> Iterator[tuple[dict, Path]]:
    """The data --data names, or data seeded now (SQLite only), with a temporary folder."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as temporary:
        folder = Path(temporary)
        if args.data:
            yield load(args.data), folder
        else:
            yield prepare(folder, args.learners, sizes_from(args), None, report), folder


def run_under_load(
    doc: str,
    name: str,
    title: str,
    seconds_help: str,
    measure: Callable[[dict, Path, int, Report], None],
) -> None:
    """The command line of a benchmark that loads servers for --seconds on seeded data:
    `measure(data, folder, seconds, report)`, then the report written as --json asks."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help=seconds_help)
    add_data_options(parser)
    args = parser.parse_args()
    stop_on_signals()
    report = Report(title, invocation(f"bench.{name}"))
    with data_for(args, report, name) as (data, folder):
        measure(data, folder, args.seconds, report)
    report.write(args.json)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="an empty folder to fill")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database to seed as well")
    parser.add_argument("--json", type=Path, help="write the figures here (bench contract)")
    add_options(parser)
    args = parser.parse_args()
    report = Report("The data every benchmark runs on", invocation("bench.seed"))
    prepare(args.folder, args.learners, sizes_from(args), args.postgres_url, report)
    report.write(args.json)


if __name__ == "__main__":
    main()
