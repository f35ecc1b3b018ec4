"""Benchmark: submitting scenario answers and knowledge checks, 32 learners at once.

gunicorn serves the app (2 workers) on the seeded SQLite or PostgreSQL database. Each of 32
simulated clients signs in through the real form as its own learner and, for a fixed time,
starts a scenario and answers it step by step, starting again when it ends; then 32 others
start and submit a knowledge check over and over. Every fourth submission is sent twice at
the same moment on two connections, as a double press would. Afterwards the database must
hold, for every attempt made, exactly the answers its client had stored, in order.

Run with:  .venv/bin/python -m bench.submit [--database SQLite|PostgreSQL] [--clients 32]
           [--seconds 10] [--data DATA] [--json PATH]
Without --data it seeds its own data first (bench/seed.py), which takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import tempfile
import time
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy

from bench import seed
from bench.document import Report, invocation
from bench.harness import (
    APP,
    USER_AGENT,
    app_environment,
    children,
    clear_rate_limits,
    csrf_token,
    gunicorn,
    gunicorn_settings,
    percentile,
    postgres_database,
    rate_limit_prefix,
    request,
    sign_in,
    stop_on_signals,
)
from trainer.content import END, Catalogue, load_catalogue
from trainer.content.model import Quiz
from trainer.models import Answer, Attempt, User
from trainer.quiz import AnswerError, walk
from trainer.quiz.questions import field_name, right_answer
from trainer.quiz.review import best_route

P99_MS = 100.0
CORES = os.cpu_count() or 1
DOUBLE_PRESS_EVERY = 4
ATTEMPT = re.compile(r"/attempts/(\d+)")
SECOND_PRESS = (302, 200)  # stored and redirected; or the attempt it finished, shown


class Connection:
    """One keep-alive HTTP/1.1 connection with a session cookie; reconnects when closed."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, form: str) -> tuple[int, dict[str, str]]:
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        body = form.encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Cookie: session={self.cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        try:
            self.writer.write(head.encode() + body)
            await self.writer.drain()
            status_line = await self.reader.readline()
        except (ConnectionResetError, BrokenPipeError):
            status_line = b""
        if not status_line:
            await self.close()
            # The server closed a kept-alive connection before reading the request, as
            # HTTP/1.1 allows: send it again on a new one, as browsers do. Once only.
            if reused:
                return await self.post(path, form)
            raise ConnectionResetError("the server closed a new connection without answering")
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return int(status_line.split()[1]), headers

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


@dataclass
class Tally:
    """What the clients saw: timings, failures, and the answers each attempt should hold."""

    answers_ms: list[float] = field(default_factory=list)
    starts_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    double_presses: int = 0
    stored: dict[tuple[int, int], int] = field(default_factory=dict)  # (learner, attempt): rows


@dataclass
class Client:
    learner: int
    cookie: str
    token: str


async def _send(connections, path, form, tally: Tally, double: bool) -> bool:
    """POST once, or on both connections at once; whether every press was answered well.

    The press that arrives second finds the answer stored and is redirected, or finds the
    attempt finished and is shown its result: both are right, and the answer counts once."""
    sent = time.perf_counter()

    allowed = SECOND_PRESS if double else (302,)

    async def one(connection) -> bool:
        status, _headers = await connection.post(path, form)
        tally.answers_ms.append((time.perf_counter() - sent) * 1000)
        if status not in allowed:
            tally.errors.append(f"{path} answered {status}")
        return status in allowed

    if double:
        tally.double_presses += 1
        return all(await asyncio.gather(one(connections[0]), one(connections[1])))
    return await one(connections[0])


async def _start(connection, quiz: Quiz, client: Client, tally: Tally) -> int | None:
    sent = time.perf_counter()
    form = urllib.parse.urlencode({"csrf_token": client.token})
    status, headers = await connection.post(f"/quizzes/{quiz.id}/start", form)
    tally.starts_ms.append((time.perf_counter() - sent) * 1000)
    found = ATTEMPT.search(headers.get("location", ""))
    if status != 302 or not found:
        tally.errors.append(f"start answered {status}")
        return None
    return int(found[1])


async def scenario_client(port, quiz: Quiz, client: Client, until: float, tally: Tally) -> None:
    rng = random.Random(client.learner)
    connections = [Connection(port, client.cookie), Connection(port, client.cookie)]
    sent = client.learner  # clients press twice at different moments
    while time.monotonic() < until:
        number = await _start(connections[0], quiz, client, tally)
        if number is None:
            break
        step, key = quiz.start, (client.learner, number)
        tally.stored[key] = 0
        while step is not None and time.monotonic() < until:
            choice = rng.choice(step.choices)
            form = urllib.parse.urlencode(
                {"csrf_token": client.token, "step": step.id, "choice": choice.id}
            )
            sent += 1
            path = f"/quizzes/{quiz.id}/attempts/{number}"
            double = sent % DOUBLE_PRESS_EVERY == 0
            if not await _send(connections, path, form, tally, double):
                return
            tally.stored[key] += 1
            step = None if choice.next_step == END else quiz.step(choice.next_step)
    for connection in connections:
        await connection.close()


def check_form(quiz: Quiz, token: str) -> str:
    """Every question answered rightly, as the check page's form sends it."""
    fields: list[tuple[str, str]] = [("csrf_token", token)]
    for question in quiz.questions:
        name, answer = field_name(question), right_answer(question)
        if question.type == "ordering":
            fields += [(f"{name}-{option}", str(n)) for n, option in enumerate(answer, 1)]
        elif question.type == "multiple":
            fields += [(name, option) for option in answer]
        elif question.type == "true_false":
            fields.append((name, "true" if answer else "false"))
        else:
            fields.append((name, str(answer)))
    return urllib.parse.urlencode(fields)


async def check_client(port, quiz: Quiz, client: Client, until: float, tally: Tally) -> None:
    connections = [Connection(port, client.cookie), Connection(port, client.cookie)]
    form, sent = check_form(quiz, client.token), client.learner
    while time.monotonic() < until:
        number = await _start(connections[0], quiz, client, tally)
        if number is None:
            break
        sent += 1
        path = f"/quizzes/{quiz.id}/attempts/{number}"
        double = sent % DOUBLE_PRESS_EVERY == 0
        if not await _send(connections, path, form, tally, double):
            break
        tally.stored[(client.learner, number)] = len(quiz.questions)
    for connection in connections:
        await connection.close()


def server_cpu(pid: int) -> float:
    ticks = 0
    for one in [pid, *children(pid)]:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


async def _phase(kind, port, quiz, clients, seconds, tally) -> None:
    until = time.monotonic() + seconds
    run = scenario_client if kind == "scenario" else check_client
    await asyncio.gather(*(run(port, quiz, c, until, tally) for c in clients))


def double_counts(url: str, quiz: Quiz, tally: Tally, first_attempt_id: int) -> list[str]:
    """Every attempt the clients made holds exactly the answers they stored, in order, along
    a path the quiz allows, and is finished exactly when its answers end the quiz; no learner
    has two unfinished attempts."""
    attempt, answer = Attempt.__table__.c, Answer.__table__.c
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            attempts = connection.execute(
                sqlalchemy.select(
                    attempt.id, attempt.user_id, attempt.number, attempt.finished_at
                ).where(attempt.id >= first_attempt_id, attempt.quiz_id == quiz.id)
            ).all()
            answers: dict[int, list] = {}
            for attempt_id, position, item, value in connection.execute(
                sqlalchemy.select(answer.attempt_id, answer.position, answer.item_id, answer.value)
                .where(answer.attempt_id >= first_attempt_id)
                .order_by(answer.attempt_id, answer.position)
            ):
                answers.setdefault(attempt_id, []).append((position, item, value))
    finally:
        engine.dispose()
    made = {(user, number) for _id, user, number, _finished in attempts}
    problems = [
        f"learner {learner}'s attempt {number} is missing"
        for learner, number in tally.stored.keys() - made
    ]
    open_attempts: dict[int, int] = {}
    for attempt_id, user, number, finished in attempts:
        rows = answers.get(attempt_id, [])
        expected = tally.stored.get((user, number), 0)
        if [row[0] for row in rows] != list(range(len(rows))) or len(rows) != expected:
            problems.append(f"attempt {attempt_id} holds {len(rows)} answers, {expected} stored")
        if quiz.kind == "scenario":
            problems += _path_problems(quiz, attempt_id, rows, finished is not None)
        elif (len(rows) == len(quiz.questions)) != (finished is not None):
            problems.append(f"attempt {attempt_id}: {len(rows)} answers, finished {finished}")
        if finished is None:
            open_attempts[user] = open_attempts.get(user, 0) + 1
    problems += [f"learner {u} has {n} open attempts" for u, n in open_attempts.items() if n > 1]
    return problems


def _path_problems(quiz: Quiz, attempt_id: int, rows: list, is_finished: bool) -> list[str]:
    try:
        state = walk(quiz, [value for _position, _item, value in rows])
    except AnswerError as error:
        return [f"attempt {attempt_id}'s answers are no path: {error}"]
    if list(state.step_ids) != [item for _position, item, _value in rows]:
        return [f"attempt {attempt_id}'s answers name the wrong steps"]
    if state.is_finished != is_finished:
        return [
            f"attempt {attempt_id} is finished: {is_finished}, its path ended: {state.is_finished}"
        ]
    return []


def chosen_quizzes(catalogue: Catalogue) -> dict[str, Quiz]:
    """The scenario with the longest best path and the practice check with most questions."""
    finals = {q for c in catalogue.courses.values() for q in c.completion_quizzes}
    quizzes = catalogue.quizzes.values()
    return {
        "scenario": max(
            (q for q in quizzes if q.kind == "scenario"),
            key=lambda q: (len(best_route(q)), q.id),
        ),
        "check": max(
            (q for q in quizzes if q.kind == "check" and q.id not in finals),
            key=lambda q: (len(q.questions), q.id),
        ),
    }


def _client(port: int, learner: int, password: str, quiz: Quiz) -> Client:
    """A learner signed in through the form, with the form token of the quiz's page."""
    cookie = sign_in(port, seed.email(learner), password)
    _status, _headers, page = request(
        port, "GET", f"/quizzes/{quiz.id}", headers={"Cookie": f"session={cookie}"}
    )
    return Client(learner, cookie, csrf_token(page))


def _load(kind: str, server, url: str, quiz: Quiz, clients: list[Client], seconds: int):
    """The clients' load for a while; what they saw, the CPU it took, and any double count."""
    first_attempt_id = _next_attempt_id(url)
    tally = Tally()
    cpu, client_cpu = server_cpu(server.process.pid), time.process_time()
    started = time.perf_counter()
    asyncio.run(_phase(kind, server.port, quiz, clients, seconds, tally))
    elapsed = time.perf_counter() - started
    cpu = server_cpu(server.process.pid) - cpu
    client_cpu = time.process_time() - client_cpu
    problems = double_counts(url, quiz, tally, first_attempt_id)
    return quiz, tally, elapsed, cpu, client_cpu, problems


def measure(
    data: dict, database: str, clients: int, seconds: int, folder: Path, report: Report
) -> None:
    quizzes = chosen_quizzes(load_catalogue(data["content_dir"]))
    url = data["databases"][database]
    prefix = rate_limit_prefix()
    env = app_environment(data, database, folder / "instance", prefix)
    results = {}
    try:
        with gunicorn(APP, env, folder / "gunicorn.log") as server:
            taken: set[int] = set()
            for kind, quiz in quizzes.items():
                learners = free_learners(url, quiz, clients, taken)
                taken.update(learners)
                signed = [_client(server.port, n, data["password"], quiz) for n in learners]
                results[kind] = _load(kind, server, url, quiz, signed, seconds)
    finally:
        clear_rate_limits(prefix)
    for kind, (quiz, tally, elapsed, cpu, client_cpu, problems) in results.items():
        what = "scenario answer" if kind == "scenario" else "knowledge check (every answer)"
        report.add(
            f"{what}, {clients} clients, {database} ({quiz.id})",
            f"{len(tally.answers_ms):,} in {elapsed:.1f} s ({len(tally.answers_ms) / elapsed:,.0f}/s), "
            f"p50 {percentile(tally.answers_ms, 0.5):.1f} ms, p99 "
            f"{percentile(tally.answers_ms, 0.99):.1f} ms, {len(tally.errors)} errors"
            + (f" ({', '.join(sorted(set(tally.errors))[:3])})" if tally.errors else ""),
            f"p99 under {P99_MS:.0f} ms, no errors",
            percentile(tally.answers_ms, 0.99) < P99_MS and not tally.errors,
        )
        report.add(
            f"{kind} attempts started, {database}",
            f"{len(tally.starts_ms):,}, p50 {percentile(tally.starts_ms, 0.5):.1f} ms, "
            f"p99 {percentile(tally.starts_ms, 0.99):.1f} ms",
        )
        report.add(
            f"{kind}: double counts in the database after the load",
            f"none ({len(tally.stored):,} attempts checked, {tally.double_presses:,} double presses)"
            if not problems
            else f"{len(problems)}: " + "; ".join(problems[:3]),
            "none",
            not problems,
        )
        report.add(
            f"{kind}: CPU during the load",
            f"server {cpu:.1f} s, load generator {client_cpu:.1f} s, in {elapsed:.1f} s",
        )
        requests = len(tally.answers_ms) + len(tally.starts_ms)
        per_request_ms = cpu / max(requests, 1) * 1000
        report.add(
            f"{kind}: server CPU per request",
            f"{per_request_ms:.1f} ms ({requests:,} requests): with {clients} clients each "
            f"waiting for its answer, on {CORES} cores, a request takes on average at least "
            f"{per_request_ms * clients / CORES:.0f} ms",
        )
    report.note(
        f"gunicorn serves the app with {gunicorn_settings()} on {database} with the seeded "
        f"data. The load generator is a Python asyncio client in this process, on the same "
        f"machine: {clients} clients, each signed in through the form as its own learner, "
        "with two keep-alive connections each (reconnecting when the server closes one). "
        f"The scenario clients start {quizzes['scenario'].id} and answer it step by step with "
        f"random choices, starting a new attempt when it ends; the check clients start "
        f"{quizzes['check'].id} and submit every answer at once, over and over. Times run from "
        "sending a request to reading its whole answer, so they include any wait for a free "
        "worker and this client's own scheduling. Every "
        f"{DOUBLE_PRESS_EVERY}th submission is sent on both connections at once; both "
        "presses are timed, and each must be answered with a redirect or, when the other "
        "press finished the attempt, its result page; anything else is an error."
    )
    report.note(
        "Server CPU per request is the CPU time of gunicorn and its workers over the load, "
        "divided by the requests sent (starts and every press of each submission). Each client "
        "sends its next request only once its last is answered, so, when the server's CPU "
        "is the limit, every request waits its turn behind those of the other clients: on "
        "average at least clients times CPU per request divided by cores, before any other "
        "work on the machine (the load generator's, the database server's) takes its share."
    )
    report.note(
        "After each load, the database is read directly: each attempt the clients made must "
        "hold exactly the answers its client saw stored, numbered from 0 without gaps, "
        "following the scenario's steps in order (or every question of the check), and no "
        "learner may have two unfinished attempts."
    )


def free_learners(url: str, quiz: Quiz, count: int, taken: set[int]) -> list[int]:
    """Learners other than the first (whom the page benchmarks sign in as) and those taken,
    who have never started the quiz: starting it makes a new attempt, which the client
    answers from its first step, and a run on data used before takes new learners rather
    than those whose attempts earlier runs piled up."""
    user, attempt = User.__table__.c, Attempt.__table__.c
    started = sqlalchemy.select(attempt.user_id).where(attempt.quiz_id == quiz.id)
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            ids = connection.scalars(
                sqlalchemy.select(user.id)
                .where(user.id > 1, user.id.not_in(started), user.email.like("%@bench.example"))
                .order_by(user.id)
                .limit(count + len(taken))
            ).all()
    finally:
        engine.dispose()
    chosen = [n for n in ids if n not in taken][:count]
    if len(chosen) < count:
        raise RuntimeError(f"only {len(chosen)} learners are free to start {quiz.id}")
    return chosen


def _next_attempt_id(url: str) -> int:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return (connection.scalar(sqlalchemy.text("SELECT max(id) FROM attempt")) or 0) + 1
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("SQLite", "PostgreSQL"), default="SQLite")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10, help="load per kind of submission")
    seed.add_data_options(parser)
    args = parser.parse_args()
    stop_on_signals()
    report = Report(f"Submitting answers on {args.database}", invocation("bench.submit"))
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as temporary, ExitStack() as stack:
        folder = Path(temporary)
        if args.data:
            data = seed.load(args.data)
        else:
            postgres = None
            if args.database == "PostgreSQL":
                postgres = stack.enter_context(postgres_database(f"bench_submit_{os.getpid()}"))
            data = seed.prepare(folder, args.learners, seed.sizes_from(args), postgres, report)
        measure(data, args.database, args.clients, args.seconds, folder, report)
    report.write(args.json)


if __name__ == "__main__":
    main()
