"""Benchmark: workforce reports at scale.

Seeds 100,000 learners in 50 organisations (one of 10,000) with about 1,000,000 rows of
progress (module reads, attempts, answers, completions) into a SQLite file in a temporary
folder, then times the dashboard for the organisation of 10,000, the per-case view, and
each export of 100,000 rows (one course, every organisation), with the peak memory each
takes (tracemalloc, in a second run so tracing does not slow the timed one).

Run with:  .venv/bin/python bench/reports.py [FILE.db]
Not part of the test suite; takes a few minutes on 2 cores. With FILE.db, the seeded
database is kept there and reused by the next run.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer import create_app
from trainer.auth.services import create_user
from trainer.content import SECTORS
from trainer.extensions import current_catalogue, db
from trainer.models import (
    Answer,
    Attempt,
    CourseCompletion,
    ModuleRead,
    Organisation,
    Team,
    User,
)
from trainer.progress import add_months
from trainer.quiz.review import best_choice

LEARNERS = 100_000
ORGANISATIONS = 50
BIGGEST = 10_000
PASSWORD = secrets.token_urlsafe(16)
CHUNK = 20_000
NOW = datetime.now(UTC)


def insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(model.__table__.insert(), rows[start : start + CHUNK])


def seed_people(rng: random.Random) -> list[tuple[int, int]]:
    """The organisations, five teams each, and the learners: (user id, organisation index)."""
    sectors = list(SECTORS)
    insert(
        Organisation,
        [
            {"id": i + 1, "name": f"Organisation {i + 1}", "sector": sectors[i % len(sectors)]}
            for i in range(ORGANISATIONS)
        ],
    )
    insert(
        Team,
        [
            {"id": i * 5 + t + 1, "organisation_id": i + 1, "name": f"Team {t + 1}"}
            for i in range(ORGANISATIONS)
            for t in range(5)
        ],
    )
    people, rows = [], []
    for n in range(LEARNERS):
        org = 0 if n < BIGGEST else 1 + (n - BIGGEST) % (ORGANISATIONS - 1)
        people.append((n + 1, org))
        rows.append(
            {
                "id": n + 1,
                "email": f"learner{n}@example.org",
                "name": f"Learner {n}",
                "password_hash": "!",
                "organisation_id": org + 1,
                "team_id": org * 5 + rng.randrange(5) + 1,
                "sector": "other",
                "job_role": rng.choice(["Social worker", "Health visitor", "Teacher", ""]),
                "organisation_other": "",
                "cpd_framework": "other",
                "is_active_account": True,
                "session_version": 1,
                "created_at": NOW,
            }
        )
    insert(User, rows)
    return people


def course_rows(rng: random.Random, user_id: int, course, share_done: float, rows: dict):
    """A learner's facts for one course: finished, part-way or untouched."""
    luck = rng.random()
    if luck < share_done:
        done = NOW - timedelta(days=rng.randrange(1, 1100))
        reads = course.module_ids
        for quiz_id in course.completion_quizzes:
            rows["attempts"].append(attempt(user_id, quiz_id, done, 70 + rng.randrange(31)))
        rows["completions"].append(
            {
                "user_id": user_id,
                "course_id": course.id,
                "cycle": 0,
                "completed_at": done,
                "refresher_due": add_months(done.date(), course.validity_months),
                "cpd_minutes": course.cpd_minutes,
            }
        )
    elif luck < share_done + 0.2:
        done = NOW - timedelta(days=rng.randrange(1, 200))
        reads = course.module_ids[: rng.randrange(1, len(course.module_ids))]
    else:
        return
    rows["reads"] += [
        {"user_id": user_id, "course_id": course.id, "module_id": m, "cycle": 0, "read_at": done}
        for m in reads
    ]


def attempt(user_id: int, quiz_id: str, done: datetime, percent: int) -> dict:
    return {
        "user_id": user_id,
        "quiz_id": quiz_id,
        "number": 1,
        "content_version": "bench",
        "started_at": done - timedelta(minutes=20),
        "finished_at": done,
        "score": percent,
        "max_score": 100,
        "percent": percent,
        "passed": percent >= 80,
    }


def scenario_route(rng: random.Random, quiz) -> list[tuple[str, str]]:
    route, step = [], quiz.start
    while step is not None:
        choice = best_choice(step) if rng.random() < 0.7 else rng.choice(step.choices)
        route.append((step.id, choice.id))
        step = quiz.step(choice.next_step) if choice.next_step != "end" else None
    return route


def seed_progress(rng: random.Random, people: list[tuple[int, int]]) -> dict[str, int]:
    catalogue = current_catalogue()
    courses = list(catalogue.courses.values())
    scenario = next(q for q in catalogue.quizzes.values() if q.kind == "scenario")
    rows: dict[str, list] = {"reads": [], "attempts": [], "completions": []}
    scenario_attempts = []
    for user_id, _org in people:
        for course, share in zip(courses, (0.6, 0.25, 0.1), strict=False):
            course_rows(rng, user_id, course, share, rows)
        if rng.random() < 0.3:
            done = NOW - timedelta(days=rng.randrange(1, 400))
            scenario_attempts.append((attempt(user_id, scenario.id, done, 60), done))
    insert(ModuleRead, rows["reads"])
    insert(CourseCompletion, rows["completions"])
    insert(Attempt, rows["attempts"] + [a for a, _done in scenario_attempts])
    answers = seed_answers(rng, scenario, [a["user_id"] for a, _done in scenario_attempts])
    return {
        "module reads": len(rows["reads"]),
        "completions": len(rows["completions"]),
        "attempts": len(rows["attempts"]) + len(scenario_attempts),
        "answers": answers,
    }


def seed_answers(rng: random.Random, scenario, user_ids: list[int]) -> int:
    ids = dict(
        db.session.execute(
            db.select(Attempt.user_id, Attempt.id).where(Attempt.quiz_id == scenario.id)
        ).all()
    )
    rows = [
        {"attempt_id": ids[u], "position": i, "item_id": s, "value": c, "answered_at": NOW}
        for u in user_ids
        for i, (s, c) in enumerate(scenario_route(rng, scenario))
    ]
    insert(Answer, rows)
    return len(rows)


def timed(action) -> tuple[float, float]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time says what the work costs."""
    started, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - started, time.process_time() - cpu


def ms(seconds: tuple[float, float]) -> str:
    return f"{seconds[0] * 1000:.0f} ms (CPU {seconds[1] * 1000:.0f} ms)"


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
    assert response.status_code == 200, (path, response.status_code)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return size


def signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def seed(app) -> None:
    rng = random.Random(14)
    with app.app_context():
        db.create_all()
        db.session.execute(db.text("PRAGMA synchronous=OFF"))
        started = time.perf_counter()
        people = seed_people(rng)
        counts = seed_progress(rng, people)
        big = db.session.get(Organisation, 1)
        create_user("lead@bench.example", "Bench Lead", PASSWORD, ["lead"], big, "health")
        create_user("admin@bench.example", "Bench Admin", PASSWORD, ["admin"], big, "other")
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        total = sum(counts.values())
        details = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        print(f"seeded {LEARNERS:,} learners and {total:,} progress rows ({details})")
        print(f"  in {time.perf_counter() - started:.0f} s")


def measure(app) -> None:
    lead = signed_in(app, "lead@bench.example")
    admin = signed_in(app, "admin@bench.example")
    with app.app_context():
        case = next(q.case_example for q in current_catalogue().quizzes.values() if q.case_example)
    fetch(lead, "/reports/")  # warm up templates and the catalogue
    runs = sorted(timed(lambda: fetch(lead, "/reports/")) for _ in range(5))
    print(f"dashboard, organisation of {BIGGEST:,}: {ms(runs[2])}, median of 5")
    print(f"  filtered to overdue: {ms(timed(lambda: fetch(lead, '/reports/?status=overdue')))}")
    print(f"  peak memory {traced_peak(lambda: fetch(lead, '/reports/')):.1f} MiB")
    print(f"per-case view: {ms(timed(lambda: fetch(lead, f'/reports/cases/{case}')))}")
    for file_format in ("csv", "xlsx", "pdf"):
        path = f"/reports/completions.{file_format}?course=essentials"
        sizes = []
        wall, cpu = timed(lambda path=path, sizes=sizes: sizes.append(fetch(admin, path)))
        peak = traced_peak(lambda path=path: fetch(admin, path))
        print(
            f"{file_format.upper()} export, {LEARNERS:,} rows (one course, every organisation): "
            f"{wall:.1f} s (CPU {cpu:.1f} s), {sizes[0] / 2**20:.1f} MiB, "
            f"peak memory {peak:.1f} MiB"
        )


def main() -> None:
    """Seed a fresh database in a temporary folder; or, given a file, reuse it (seeding it
    first when it does not exist yet), to measure again after a change without reseeding."""
    print(f"{os.cpu_count()} cores, {date.today():%d %B %Y}")
    with tempfile.TemporaryDirectory() as folder:
        database = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(folder) / "bench.db"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        if not database.exists():
            seed(app)
        with app.app_context():  # the password is new each run
            for user in db.session.scalars(
                db.select(User).where(User.email.like("%@bench.example"))
            ):
                user.set_password(PASSWORD)
            db.session.commit()
        measure(app)


if __name__ == "__main__":
    main()
