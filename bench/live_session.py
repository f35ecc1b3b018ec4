"""Benchmark: a room of phones following one live session, served the way production serves it.

500 phones (guests in five agencies) follow one session by polling its state every 2 seconds,
as trainer/static/live.js does: each carries its room's pass and the ETag it was given, and on
a new state fetches the stage part of its room page at a random moment within the next poll
interval. The presenter starts a case, opens voting, closes it and shows the results; every
phone votes once within a few seconds of seeing the question, and the presenter's screen polls
the counts each second. The app runs under gunicorn with 2 worker processes on loopback.

Run with:  .venv/bin/python bench/live_session.py [--phones 500] [--database-url URL]
           [--json PATH]
Reports the time from a vote being stored to the presenter's count including it (p50, p99),
the polls, the stage fetches and the votes, the CPU the server and this load generator used,
and the CPU one poll costs in-process. Not part of the test suite; about a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ("health", "police", "education", "childrens-social-care", "housing")
# A throwaway key and password for a throwaway database.
SECRET = "bench-secret-key-that-is-long-enough-for-production-use"  # noqa: S105
PRESENTER_POLL_SECONDS = 1.0
# Seconds from the start of the measured run: what the presenter does, and when phones stop.
START_CASE_AT, OPEN_VOTING_AT, CLOSE_VOTING_AT, REVEAL_AT, STOP_AT = 6.0, 12.0, 26.0, 30.0, 38.0
THINK_SECONDS = 6.0  # phones vote up to this long after their screen shows the question
TARGET_SECONDS = 2.0  # vote to the presenter's count, 99th percentile
POLL_BUDGET_MS = 4.0  # CPU per poll: 250 polls a second must leave most of 2 cores free
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STAGE = re.compile(r'name="stage"[^>]*value="([^"]*)"')
CHOICE = re.compile(r'name="choice" type="radio" value="([^"]+)"')
VERSION = re.compile(r'data-version="(\d+)"')
PASS = re.compile(r'data-live-pass="([^"]+)"')


@dataclass
class Results:
    arrivals: list[float] = field(default_factory=list)  # seconds per room page on arrival
    polls: list[float] = field(default_factory=list)  # seconds per state poll
    not_modified: int = 0
    fetches: list[float] = field(default_factory=list)  # seconds per stage part fetched
    shown: list[float] = field(default_factory=list)  # presenter's press to a phone showing it
    votes: list[tuple[float, float]] = field(default_factory=list)  # (sent, stored) times
    refused: int = 0  # votes that arrived after voting closed
    counts: list[tuple[float, int]] = field(default_factory=list)  # presenter: (seen, total)
    changes: dict[int, float] = field(default_factory=dict)  # state version -> pressed at
    errors: list[str] = field(default_factory=list)
    pending: set = field(default_factory=set)  # stage fetches and votes under way

    def start(self, work) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)


class Connection:
    """One keep-alive HTTP/1.1 connection of a phone's browser, with its session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: str = "", headers=None):
        """Send one request and read its answer; a kept connection the server has just
        closed is opened again and the request sent once more, as browsers do."""
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await self._exchange(method, path, body, headers)
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError):
            self.writer = None
            if not reused:
                raise
            return await self.request(method, path, body, headers)

    async def _exchange(self, method: str, path: str, body: str, headers):
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "User-Agent: bench"]
        if self.cookie:
            lines.append(f"Cookie: session={self.cookie}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if method == "POST":
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        self.writer.write("\r\n".join(lines).encode())
        await self.writer.drain()
        status, head = await self._head()
        if status is None:
            raise ConnectionResetError("closed before answering")
        length = int(head.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        found = re.search(r"(?:^|[\s,])session=([^;]+)", head.get("set-cookie", ""))
        if found:
            self.cookie = found[1]
        if head.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, head, data

    async def _head(self):
        status_line = await self.reader.readline()
        if not status_line:
            return None, {}
        status = int(status_line.split()[1])
        head: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            name = name.strip().lower()
            head[name] = f"{head[name]}, {value.strip()}" if name in head else value.strip()
        return status, head

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict, phones: int):
    """Schema, a trainer, a session under way with a join code, and guests who joined it."""
    os.environ.update(env)
    from sqlalchemy.exc import IntegrityError

    from trainer import create_app
    from trainer.auth.services import create_user
    from trainer.extensions import current_catalogue, db
    from trainer.facilitate.services import open_session
    from trainer.models import Participant, TrainingSession

    app = create_app()
    with app.app_context():
        db.create_all()
        try:
            trainer = create_user(
                "trainer@bench.example", "Bench Trainer", SECRET, ["trainer"], None, "other"
            )
            db.session.flush()  # the trainer needs an id before the session names it
        except (IntegrityError, ValueError):
            raise SystemExit("--database-url must name a new, empty database") from None
        case_id = next(
            q.case_example
            for q in current_catalogue().quizzes.values()
            if q.kind == "scenario" and q.case_example
        )
        now = datetime.now(UTC)
        session = TrainingSession(
            trainer_id=trainer.id,
            title="Bench",
            course_id=next(iter(current_catalogue().courses)),
            case_ids=[case_id],
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=2),
            venue="Hall",
            capacity=phones,
        )
        db.session.add(session)
        db.session.commit()
        open_session(session)
        people = [
            Participant(session_id=session.id, display_name=f"P{n}", agency=AGENCIES[n % 5])
            for n in range(phones)
        ]
        db.session.add_all(people)
        db.session.commit()
        signer = app.session_interface.get_signing_serializer(app)
        cookies = [signer.dumps({"joined": {str(session.id): p.id}}) for p in people]
        return app, session.id, case_id, cookies, trainer.email


def serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn from the project folder (so it reads gunicorn.conf.py), threaded workers."""
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "trainer:create_app()",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with code {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time used by the gunicorn master and its workers so far."""
    pids = [pid] + [
        int(c)
        for t in Path(f"/proc/{pid}/task").iterdir()
        for c in (t / "children").read_text().split()
    ]
    ticks = 0
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


async def sign_in(port: int, email: str) -> Connection:
    presenter = Connection(port, "")
    _status, _head, page = await presenter.request("GET", "/auth/login")
    token = TOKEN.search(page.decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": SECRET})
    status, _head, _body = await presenter.request("POST", "/auth/login", form)
    if status != 302:
        raise RuntimeError(f"signing in answered {status}")
    return presenter


async def press(presenter: Connection, session_id: int, action: str, results: Results) -> None:
    """Press a presenter's button as its page shows it; note when the new state was stored."""
    _s, _h, page = await presenter.request("GET", f"/sessions/{session_id}/live")
    text = page.decode()
    version = re.search(r'name="version" value="(\d+)"', text).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": TOKEN.search(text).group(1), "action": action, "version": version}
    )
    status, _h, _b = await presenter.request("POST", f"/sessions/{session_id}/live", form)
    if status != 302:
        raise RuntimeError(f"{action} answered {status}")
    results.changes[int(version) + 1] = time.monotonic()


@dataclass
class Phone:
    """One participant's browser with its room page open."""

    port: int
    session_id: int
    cookie: str
    live_pass: str = ""
    version: int = 0
    voted: bool = False
    fetching: bool = False

    def __post_init__(self) -> None:
        self.polls = Connection(self.port, self.cookie)
        self.actions = Connection(self.port, self.cookie)  # a browser's second connection

    async def arrive(self, results: Results) -> None:
        sent = time.monotonic()
        status, _h, page = await self.actions.request("GET", f"/sessions/{self.session_id}/room")
        results.arrivals.append(time.monotonic() - sent)
        text = page.decode()
        if status != 200 or not PASS.search(text):
            raise RuntimeError(f"the room page answered {status} without a pass")
        self.live_pass = PASS.search(text).group(1)
        self.version = int(VERSION.search(text).group(1))

    async def follow(self, started: float, poll_seconds: float, results: Results) -> None:
        """Poll like live.js; on a new state fetch the stage part within the next interval."""
        etag = ""
        await asyncio.sleep(random.uniform(0, poll_seconds))  # phones' ticks are spread out
        while time.monotonic() - started < STOP_AT:
            sent = time.monotonic()
            headers = {"X-Live-Pass": self.live_pass}
            if etag:
                headers["If-None-Match"] = etag
            try:
                status, head, body = await self.polls.request(
                    "GET", f"/sessions/{self.session_id}/state.json", headers=headers
                )
            except (OSError, asyncio.IncompleteReadError) as error:
                results.errors.append(f"poll {type(error).__name__}")
                self.polls = Connection(self.port, self.cookie)
                status = head = body = None
            results.polls.append(time.monotonic() - sent)
            if status == 304:
                results.not_modified += 1
            elif status == 200:
                etag = head.get("etag", "")
                if json.loads(body)["version"] > self.version and not self.fetching:
                    self.fetching = True
                    results.start(self.fetch(poll_seconds, results))
            elif status is not None:
                results.errors.append(f"poll {status}")
            pause = poll_seconds * random.uniform(0.9, 1.1)
            await asyncio.sleep(max(0.0, pause - (time.monotonic() - sent)))

    async def fetch(self, poll_seconds: float, results: Results) -> None:
        await asyncio.sleep(random.uniform(0, poll_seconds))
        sent = time.monotonic()
        try:
            status, _h, part = await self.actions.request(
                "GET", f"/sessions/{self.session_id}/room?part=stage"
            )
        except (OSError, asyncio.IncompleteReadError) as error:
            results.errors.append(f"stage {type(error).__name__}")
            self.actions = Connection(self.port, self.cookie)
            self.fetching = False
            return
        now = time.monotonic()
        results.fetches.append(now - sent)
        self.fetching = False
        if status != 200:
            results.errors.append(f"stage {status}")
            return
        text = part.decode()
        self.version = int(VERSION.search(text).group(1))
        if self.version in results.changes:
            results.shown.append(now - results.changes[self.version])
        if CHOICE.search(text) and not self.voted:
            self.voted = True
            results.start(self.vote(text, results))

    async def vote(self, part: str, results: Results) -> None:
        await asyncio.sleep(random.uniform(0, THINK_SECONDS))
        form = urllib.parse.urlencode(
            {
                "csrf_token": TOKEN.search(part).group(1),
                "stage": html.unescape(STAGE.search(part).group(1)),
                "choice": html.unescape(random.choice(CHOICE.findall(part))),
            }
        )
        sent = time.monotonic()
        connection = Connection(self.port, self.actions.cookie)  # alongside any stage fetch
        try:
            status, _h, answer = await connection.request(
                "POST", f"/sessions/{self.session_id}/room?part=stage", form
            )
        except (OSError, asyncio.IncompleteReadError) as error:
            results.errors.append(f"vote {type(error).__name__}")
            return
        finally:
            connection.close()
        if status != 200:
            results.errors.append(f"vote {status}")
        elif b"Your answer has been sent" in answer:
            results.votes.append((sent, time.monotonic()))
        else:
            results.refused += 1


async def presenter_screen(
    screen: Connection, session_id: int, started: float, results: Results
) -> None:
    """The presenter's screen: counts each second (ETag kept), its page again on a new state."""
    etag, total, version = "", 0, None
    while time.monotonic() - started < STOP_AT:
        sent = time.monotonic()
        headers = {"If-None-Match": etag} if etag else None
        status, head, body = await screen.request(
            "GET", f"/sessions/{session_id}/live.json", headers=headers
        )
        if status == 200:
            state = json.loads(body)
            etag, total = head.get("etag", ""), state["counts"]["total"]
            if version is not None and state["version"] != version:
                await screen.request("GET", f"/sessions/{session_id}/live")
            version = state["version"]
        elif status != 304:
            results.errors.append(f"presenter poll {status}")
        results.counts.append((time.monotonic(), total))
        await asyncio.sleep(max(0.0, PRESENTER_POLL_SECONDS - (time.monotonic() - sent)))


async def run(args, port: int, session_id: int, case_id: str, cookies, email: str, pid: int):
    results = Results()
    presenter = await sign_in(port, email)
    screen = await sign_in(port, email)
    phones = [Phone(port, session_id, cookie) for cookie in cookies]
    arriving = asyncio.Semaphore(50)

    async def arrive(phone: Phone) -> None:
        async with arriving:
            await phone.arrive(results)

    await asyncio.gather(*(arrive(p) for p in phones))  # before the measured run
    loads = [load_average()]
    started = time.monotonic()
    cpu_before, client_before = cpu_seconds(pid), time.process_time()
    tasks = [asyncio.create_task(p.follow(started, args.poll_seconds, results)) for p in phones]
    tasks.append(asyncio.create_task(presenter_screen(screen, session_id, started, results)))
    for at, action in (
        (START_CASE_AT, f"start:{case_id}"),
        (OPEN_VOTING_AT, "open"),
        (CLOSE_VOTING_AT, "close"),
        (REVEAL_AT, "reveal"),
    ):
        await asyncio.sleep(max(0.0, at - (time.monotonic() - started)))
        loads.append(load_average())
        await press(presenter, session_id, action, results)
    await asyncio.gather(*tasks)
    if results.pending:  # stage fetches and votes still under way: their answers count too
        _done, late = await asyncio.wait(set(results.pending), timeout=60)
        results.errors += ["no answer within a minute"] * len(late)
        for task in late:
            task.cancel()
    loads.append(load_average())
    elapsed = time.monotonic() - started
    server_cpu = cpu_seconds(pid) - cpu_before
    client_cpu = time.process_time() - client_before
    for phone in phones:
        phone.polls.close()
        phone.actions.close()
    return results, server_cpu, client_cpu, elapsed, loads


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def vote_to_count(results: Results) -> list[float]:
    """For the n-th vote stored, the wait until the presenter's screen showed n or more."""
    waits = []
    for number, (_sent, stored) in enumerate(sorted(results.votes, key=lambda v: v[1]), start=1):
        seen = next((t for t, total in results.counts if total >= number and t >= stored), None)
        if seen is not None:
            waits.append(seen - stored)
    return waits


def cpu_per_poll(app, session_id: int, cookie: str, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per state poll in this process (Flask's test client), answered 200
    and 304, with the phone's pass and, for comparison, through the app without it."""
    from trainer.facilitate.polling import room_pass

    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    url = f"/sessions/{session_id}/state.json"
    with_pass = {"X-Live-Pass": room_pass(app.secret_key, session_id)}
    figures = {}
    for name, headers in (("pass", with_pass), ("app", {})):
        etag = client.get(url, headers=headers).headers["ETag"]
        for status, sent in ((200, headers), (304, {**headers, "If-None-Match": etag})):
            if client.get(url, headers=sent).status_code != status:
                raise RuntimeError(f"the poll did not answer {status}")
            before = time.process_time()
            for _ in range(requests):
                client.get(url, headers=sent)
            figures[f"{name} {status}"] = (time.process_time() - before) / requests * 1000
    return figures


def command_line(argv: list[str]) -> str:
    """How this run was started, from the project folder, without where its JSON went."""
    shown, skip = [], False
    for part in argv:
        if skip:
            skip = False
        elif part == "--json":
            skip = True
        elif not part.startswith("--json="):
            shown.append(part)
    return shlex.join([".venv/bin/python", "bench/live_session.py", *shown])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(args, results: Results, figures: dict, server: float, client: float, elapsed, loads):
    """The rows and notes of the bench contract; each row printed as it is added."""
    rows = []

    def row(what: str, result: str, target: str = "", met: bool | None = None) -> None:
        rows.append({"what": what, "result": result, "target": target, "met": met})
        verdict = {True: "  [met]", False: "  [NOT MET]", None: ""}[met]
        print(f"{what}: {result}{f'  (target: {target})' if target else ''}{verdict}")

    waits = vote_to_count(results)
    p99 = percentile(waits, 0.99)
    row(
        "Vote to the presenter's count, p50 / p99",
        f"{ms(percentile(waits, 0.5))} / {ms(p99)} ({len(waits)} votes seen)",
        f"p99 under {TARGET_SECONDS:.0f} s",
        bool(waits) and p99 < TARGET_SECONDS,
    )
    polls = len(results.polls)
    row(
        "State polls",
        f"{polls:,} in {elapsed:.0f} s ({polls / elapsed:.0f}/s), "
        f"{results.not_modified / max(polls, 1):.0%} answered 304",
    )
    row(
        "State poll time, p50 / p99",
        f"{ms(percentile(results.polls, 0.5))} / {ms(percentile(results.polls, 0.99))}",
    )
    row(
        "Stage part fetched after a change, p50 / p99",
        f"{ms(percentile(results.fetches, 0.5))} / {ms(percentile(results.fetches, 0.99))} "
        f"({len(results.fetches):,} fetches)",
    )
    row(
        "Presenter's press to the new stage on a phone, p50 / p99",
        f"{ms(percentile(results.shown, 0.5))} / {ms(percentile(results.shown, 0.99))}",
    )
    posts = [stored - sent for sent, stored in results.votes]
    row(
        "Votes stored (sending one, p50 / p99)",
        f"{len(results.votes)} of {args.phones}, {results.refused} after voting closed "
        f"({ms(percentile(posts, 0.5))} / {ms(percentile(posts, 0.99))})",
    )
    cores = os.cpu_count() or 1
    row(
        "Server CPU (gunicorn master and workers)",
        f"{server:.1f} s in {elapsed:.0f} s: {server / elapsed:.2f} of {cores} cores",
    )
    row("Load generator CPU (this script, same machine)", f"{client:.1f} s in {elapsed:.0f} s")
    row(
        "CPU per state poll in-process with the pass, answered 200 / 304",
        f"{figures['pass 200']:.2f} ms / {figures['pass 304']:.2f} ms",
        f"well under {POLL_BUDGET_MS:.0f} ms",
        figures["pass 200"] < POLL_BUDGET_MS and figures["pass 304"] < POLL_BUDGET_MS,
    )
    row(
        "CPU per state poll in-process through the app (no pass), 200 / 304",
        f"{figures['app 200']:.2f} ms / {figures['app 304']:.2f} ms",
    )
    row(
        "Errors",
        f"{len(results.errors)} {sorted(set(results.errors))[:5] if results.errors else ''}",
        "none",
        not results.errors,
    )
    notes = [
        f"Seeded: one trainer and one session under way, running the first case example that "
        f"has a scenario, with {args.phones:,} guests who joined it, in five agencies. gunicorn "
        f"served the app on loopback from the project folder (gunicorn.conf.py: the app "
        f"preloaded), {args.workers} workers of class gthread with {args.threads} threads and "
        f"keep-alive 5 s, on {'the given database' if args.database_url else 'a new SQLite file'}"
        f", with Redis holding the rate-limit counters.",
        f"Each phone first opens its room page (not measured), then polls the state every "
        f"{args.poll_seconds:g} s (10% early or late) with its pass and ETag, as live.js does; "
        f"on a new state it fetches the stage part at a random moment within the next poll "
        f"interval, and once the question is shown it votes within {THINK_SECONDS:g} s, sent "
        f"for the part as live.js sends it. The presenter starts the case at "
        f"{START_CASE_AT:g} s, opens voting at {OPEN_VOTING_AT:g} s, closes it at "
        f"{CLOSE_VOTING_AT:g} s and shows the results at {REVEAL_AT:g} s; the presenter's "
        f"screen polls the counts each second. 'Vote to the presenter's count' is the time "
        f"from a vote's answer (the vote is stored) to the first presenter poll whose total "
        f"includes it, so it includes up to a second of waiting for that poll.",
        f"CPU is read from /proc for the server and with time.process_time for this script, "
        f"over the measured {elapsed:.0f} s. The in-process figures are Flask's test client "
        f"asking {args.in_process_polls:,} times for each answer, so they include the test "
        f"client's own work; 'through the app' is how every poll was answered before the "
        f"pass, and how a poll without one still is.",
        f"Load average (1 minute) during the run: "
        f"{', '.join(f'{value:.2f}' for value in loads)} (at the start, at each press, at the "
        f"end). The load generator shares the machine's {cores} cores with the server, so on a "
        f"busy machine requests queue and the wall-clock figures grow; the CPU figures hold.",
    ]
    for note in notes:
        print(note)
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--database-url", help="a new, empty database; default: a new SQLite file")
    parser.add_argument("--poll-seconds", type=float, default=2.0, help="how often phones poll")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--in-process-polls", type=int, default=2000)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/0",
        help="shared rate-limit counters, which gunicorn needs for 2 workers",
    )
    parser.add_argument("--json", type=Path, help="write the figures here (bench contract)")
    args = parser.parse_args()
    random.seed(13)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "TRAINER_ENV": "production",
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.db",
            "TRAINER_INSTANCE_DIR": folder,
            "TRAINER_SECRET_KEY": SECRET,
            "TRAINER_BASE_URL": "http://127.0.0.1",
            "TRAINER_RATELIMIT_STORAGE_URL": args.redis_url,
            "TRAINER_RATELIMIT_KEY_PREFIX": f"bench-{os.getpid()}-{time.time_ns()}",
        }
        app, session_id, case_id, cookies, email = prepare(env, args.phones)
        port = free_port()
        server = serve(env, port, args.workers, args.threads)
        try:
            measured = asyncio.run(run(args, port, session_id, case_id, cookies, email, server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        figures = cpu_per_poll(app, session_id, cookies[0], args.in_process_polls)
        results, server_cpu, client_cpu, elapsed, loads = measured
        rows, notes = report(args, results, figures, server_cpu, client_cpu, elapsed, loads)
    if args.json:
        document = {
            "title": "Live sessions: phones on one stage",
            "command": command_line(sys.argv[1:]),
            "rows": rows,
            "notes": notes,
        }
        args.json.write_text(json.dumps(document, indent=1), encoding="utf-8")
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
