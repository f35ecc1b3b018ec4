"""Benchmark: a live session's thundering herd, served the way production serves it.

500 phones poll the session's state every 2 seconds; the presenter starts a case and opens
voting, every phone reloads its page and votes within a few seconds, and the presenter's screen
polls the counts each second. The app runs under gunicorn with 2 worker processes on loopback.

Run with:  .venv/bin/python bench/live_session.py [--phones 500] [--database-url URL]
Reports the time from a vote being stored to the presenter's count including it (p50, p99),
poll times, and the CPU the server used. Not part of the test suite; about 45 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
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
POLL_SECONDS = 2.0
PRESENTER_POLL_SECONDS = 1.0
START_CASE_AT, OPEN_VOTING_AT, STOP_AT = 6.0, 12.0, 40.0
THINK_SECONDS = 6.0  # phones vote up to this long after their page shows the question
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Results:
    polls: list[float] = field(default_factory=list)  # seconds per state poll
    not_modified: int = 0
    pages: list[float] = field(default_factory=list)
    votes: list[tuple[float, float]] = field(default_factory=list)  # (sent, stored) times
    counts: list[tuple[float, int]] = field(default_factory=list)  # presenter: (seen, total)
    errors: list[str] = field(default_factory=list)


class Connection:
    """One phone's keep-alive HTTP/1.1 connection, with its session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: str = "", headers=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Cookie: session={self.cookie}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded"]
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        self.writer.write("\r\n".join(lines).encode())
        await self.writer.drain()
        status, head = await self._head()
        if status is None:  # the server closed an idle keep-alive connection: reconnect once
            self.writer = None
            return await self.request(method, path, body, headers)
        length = int(head.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        if "session=" in head.get("set-cookie", ""):
            self.cookie = head["set-cookie"].split("session=", 1)[1].split(";", 1)[0]
        if head.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, head, data

    async def _head(self):
        status_line = await self.reader.readline()
        if not status_line:
            return None, {}
        status = int(status_line.split()[1])
        head = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            head[name.strip().lower()] = value.strip()
        return status, head


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict, phones: int) -> tuple[int, str, list[str], str]:
    """Schema, a trainer, a session under way with a join code, and phones that joined it."""
    os.environ.update(env)
    from trainer import create_app
    from trainer.auth.services import create_user
    from trainer.extensions import current_catalogue, db
    from trainer.facilitate.services import open_session
    from trainer.models import Participant, TrainingSession

    app = create_app()
    with app.app_context():
        db.create_all()
        trainer = create_user(
            "trainer@bench.example", "Bench Trainer", SECRET, ["trainer"], None, "other"
        )
        db.session.flush()  # the trainer needs an id before the session names it
        case_id = next(
            q.case_example for q in current_catalogue().quizzes.values() if q.case_example
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
        return session.id, case_id, cookies, trainer.email


def serve(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
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
    for _ in range(200):
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


async def sign_in(port: int, email: str) -> Connection:
    presenter = Connection(port, "")
    _status, _head, page = await presenter.request("GET", "/auth/login")
    token = TOKEN.search(page.decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": SECRET})
    status, _head, _body = await presenter.request("POST", "/auth/login", form)
    assert status == 302, f"sign-in answered {status}"
    return presenter


async def press(presenter: Connection, session_id: int, action: str) -> None:
    _s, _h, page = await presenter.request("GET", f"/sessions/{session_id}/live")
    text = page.decode()
    version = re.search(r'name="version" value="(\d+)"', text).group(1)
    form = urllib.parse.urlencode(
        {"csrf_token": TOKEN.search(text).group(1), "action": action, "version": version}
    )
    status, _h, _b = await presenter.request("POST", f"/sessions/{session_id}/live", form)
    assert status == 302, f"{action} answered {status}"


async def phone(
    port: int, cookie: str, session_id: int, case_id: str, started: float, results: Results
) -> None:
    """Poll like live.js; on each change reload the page; once voting opens, vote."""
    conn, etag, version, voted = Connection(port, cookie), "", None, False
    await asyncio.sleep(random.uniform(0, POLL_SECONDS))  # phones arrive spread out
    while time.monotonic() - started < STOP_AT:
        sent = time.monotonic()
        status, head, body = await conn.request(
            "GET",
            f"/sessions/{session_id}/state.json",
            headers={"If-None-Match": etag} if etag else None,
        )
        results.polls.append(time.monotonic() - sent)
        if status == 304:
            results.not_modified += 1
        elif status == 200:
            etag = head.get("etag", "")
            state = json.loads(body)
            if version is not None and state["version"] != version:
                page_sent = time.monotonic()
                _s, _h, page = await conn.request("GET", f"/sessions/{session_id}/room")
                results.pages.append(time.monotonic() - page_sent)
                if state["phase"] == "voting" and not voted:
                    voted = True
                    asyncio.get_running_loop().create_task(
                        vote(
                            Connection(port, conn.cookie), page, session_id, case_id, state, results
                        )
                    )
            version = state["version"]
        else:
            results.errors.append(f"poll {status}")
        await asyncio.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - sent)))


async def vote(
    conn: Connection, page: bytes, session_id: int, case_id: str, state: dict, results: Results
) -> None:
    await asyncio.sleep(random.uniform(0, THINK_SECONDS))
    text = page.decode()
    choices = [
        html.unescape(c) for c in re.findall(r'name="choice" type="radio" value="([^"]+)"', text)
    ]
    form = urllib.parse.urlencode(
        {
            "csrf_token": TOKEN.search(text).group(1),
            "stage": f"{case_id}:{state['stage']}",
            "choice": random.choice(choices),
        }
    )
    sent = time.monotonic()
    status, _h, _b = await conn.request("POST", f"/sessions/{session_id}/room", form)
    if status == 302:
        results.votes.append((sent, time.monotonic()))
    else:
        results.errors.append(f"vote {status}")


async def presenter_screen(
    presenter: Connection, session_id: int, started: float, results: Results
) -> None:
    while time.monotonic() - started < STOP_AT:
        sent = time.monotonic()
        _s, _h, body = await presenter.request("GET", f"/sessions/{session_id}/live.json")
        state = json.loads(body)
        if "counts" not in state:
            results.errors.append(f"presenter poll {state}")
        results.counts.append((time.monotonic(), state.get("counts", {}).get("total", 0)))
        await asyncio.sleep(max(0.0, PRESENTER_POLL_SECONDS - (time.monotonic() - sent)))


async def run(
    port: int, session_id: int, case_id: str, cookies: list[str], email: str, server_pid: int
):
    results = Results()
    presenter = await sign_in(port, email)
    screen = await sign_in(port, email)
    started = time.monotonic()
    cpu_before, client_before = cpu_seconds(server_pid), time.process_time()
    tasks = [
        asyncio.create_task(phone(port, c, session_id, case_id, started, results)) for c in cookies
    ]
    tasks.append(asyncio.create_task(presenter_screen(screen, session_id, started, results)))
    await asyncio.sleep(START_CASE_AT)
    await press(presenter, session_id, f"start:{case_id}")
    await asyncio.sleep(OPEN_VOTING_AT - START_CASE_AT)
    await press(presenter, session_id, "open")
    await asyncio.gather(*tasks)
    await asyncio.sleep(THINK_SECONDS + 1)  # votes still being sent
    elapsed = time.monotonic() - started
    print(f"load generator CPU: {time.process_time() - client_before:.1f} s (same machine)")
    return results, cpu_seconds(server_pid) - cpu_before, elapsed


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


def report(results: Results, cpu: float, elapsed: float, phones: int) -> None:
    waits = vote_to_count(results)
    print(
        f"phones: {phones}, run: {elapsed:.0f} s, errors: {len(results.errors)} {sorted(set(results.errors))[:5]}"
    )
    print(
        f"state polls: {len(results.polls)} ({len(results.polls) / elapsed:.0f}/s), {results.not_modified / max(len(results.polls), 1):.0%} answered 304; p50 {percentile(results.polls, 0.5) * 1000:.1f} ms, p99 {percentile(results.polls, 0.99) * 1000:.1f} ms"
    )
    print(
        f"page reloads after a change: {len(results.pages)}; p50 {percentile(results.pages, 0.5) * 1000:.0f} ms, p99 {percentile(results.pages, 0.99) * 1000:.0f} ms"
    )
    posts = [stored - sent for sent, stored in results.votes]
    print(
        f"votes stored: {len(results.votes)}; POST p50 {percentile(posts, 0.5) * 1000:.0f} ms, p99 {percentile(posts, 0.99) * 1000:.0f} ms"
    )
    print(
        f"vote to presenter's count: p50 {percentile(waits, 0.5):.2f} s, p99 {percentile(waits, 0.99):.2f} s, max {max(waits, default=float('nan')):.2f} s (target p99 < 2 s)"
    )
    print(
        f"final count on the presenter's screen: {results.counts[-1][1] if results.counts else 0}"
    )
    print(
        f"server CPU: {cpu:.1f} s over {elapsed:.0f} s = {cpu / elapsed:.2f} cores of {os.cpu_count()} ({100 * cpu / elapsed / os.cpu_count():.0f}% of the machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/0",
        help="shared rate-limit counters, which gunicorn needs for 2 workers",
    )
    args = parser.parse_args()
    random.seed(13)
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.db",
            "TRAINER_INSTANCE_DIR": folder,
            "TRAINER_SECRET_KEY": SECRET,
            "TRAINER_BASE_URL": "http://127.0.0.1",
            "TRAINER_RATELIMIT_STORAGE_URL": args.redis_url,
            "TRAINER_RATELIMIT_KEY_PREFIX": f"bench-{os.getpid()}-{time.time_ns()}",
        }
        session_id, case_id, cookies, email = prepare(env, args.phones)
        port = free_port()
        server = serve(env, port)
        try:
            results, cpu, elapsed = asyncio.run(
                run(port, session_id, case_id, cookies, email, server.pid)
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        report(results, cpu, elapsed, args.phones)
    sys.exit(1 if results.errors else 0)


if __name__ == "__main__":
    main()
