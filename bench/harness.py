"""What the benchmarks share: gunicorn started and always stopped, plain HTTP, signing in,
memory read from /proc, and the temporary PostgreSQL database and Redis counters they use."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
APP = "trainer:create_app()"
BASELINE = "bench.baseline:create_app()"
WORKERS = 2
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"
# Every client sends the same User-Agent: a session is tied to it (strong session protection),
# so wrk must present the one the cookie was signed in with.
USER_AGENT = "bench"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START_TIMEOUT = 180.0


def stop_on_signals() -> None:
    """Ctrl-C or a SIGTERM (from make, or bench/run.py being stopped) unwinds the script, so
    every `finally` that stops a server or drops a database runs; further signals are then
    ignored, so that clean-up is not cut short."""

    def interrupt(_signum, _frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection: status, headers (lower-case names) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        if method == "POST":
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode() if body else None, headers=sent)
        response = connection.getresponse()
        return (
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read(),
        )
    finally:
        connection.close()


def session_cookie(headers: dict[str, str]) -> str | None:
    found = re.search(r"(?:^|[\s,])session=([^;]+)", headers.get("set-cookie", ""))
    return found[1] if found else None


def csrf_token(page: bytes) -> str:
    found = TOKEN.search(page.decode())
    if not found:
        raise RuntimeError("the page has no form token")
    return found[1]


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real form; the session cookie's value."""
    _status, headers, page = request(port, "GET", "/auth/login")
    cookie = session_cookie(headers) or ""
    form = urllib.parse.urlencode(
        {"csrf_token": csrf_token(page), "email": email, "password": password}
    )
    status, headers, _body = request(
        port, "POST", "/auth/login", form, {"Cookie": f"session={cookie}"}
    )
    signed_in = session_cookie(headers)
    if status != 302 or not signed_in:
        raise RuntimeError(f"signing in as {email} answered {status}")
    return signed_in


@dataclass
class Server:
    """A gunicorn master (in its own process group) and how long it took to answer."""

    process: subprocess.Popen
    port: int
    log: Path
    started_seconds: float = 0.0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def stop_group(process: subprocess.Popen, grace: float = 20.0) -> None:
    """Stop a process and everything it started (its process group), however it is doing."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    with suppress(ProcessLookupError):  # workers that outlived their master
        os.killpg(process.pid, signal.SIGKILL)


def wait_until_answered(
    port: int, path: str, process: subprocess.Popen, log: Path, started: float
) -> float:
    """Seconds from `started` to the first answer to path (any status below 500)."""
    while time.perf_counter() - started < START_TIMEOUT:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with code {process.returncode}: {tail(log)}")
        try:
            status, _headers, _body = request(port, "GET", path)
        except OSError:
            time.sleep(0.005)
            continue
        if status < 500:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {path} in {START_TIMEOUT:.0f} s: {tail(log)}")


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


WITHOUT_PRELOAD = Path(__file__).resolve().parent / "gunicorn_without_preload.py"


@contextmanager
def gunicorn(
    application: str,
    env: dict[str, str],
    log: Path,
    preload: bool = True,
    ready_path: str = "/healthz",
) -> Iterator[Server]:
    """gunicorn as the README's operations part runs it, from the project folder (so it reads
    gunicorn.conf.py), with 2 workers on a free loopback port; stopped whatever happens.

    gunicorn.conf.py preloads the app; preload=False runs the same settings without it, for
    the memory benchmark's comparison."""
    port = free_port()
    line = [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    if not preload:
        line += ["--config", str(WITHOUT_PRELOAD)]
    with log.open("ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own gunicorn, arguments we built)
            [*line, application],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        server = Server(process, port, log)
        server.started_seconds = wait_until_answered(port, ready_path, process, log, started)
        yield server
    finally:
        stop_group(process)


def gunicorn_settings() -> str:
    """The worker settings gunicorn resolves from gunicorn.conf.py and our command line."""
    from gunicorn.config import Config

    config = Config()
    path = ROOT / "gunicorn.conf.py"
    namespace = {"__file__": str(path), "__name__": "__config__"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 (gunicorn does the same)
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    config.set("workers", WORKERS)
    worker_class = config.settings["worker_class"].get()
    if worker_class == "sync" and config.threads > 1:
        worker_class = "gthread"  # as gunicorn itself chooses
    if worker_class == "sync":
        return f"{config.workers} sync workers, which close each connection after one answer"
    return (
        f"{config.workers} workers of class {worker_class}, {config.threads} "
        f"thread{'s' if config.threads > 1 else ''} each, keep-alive {config.keepalive} s"
    )


def app_environment(data: dict, database: str, instance: Path, prefix: str) -> dict[str, str]:
    """The settings the app runs with in production (README), on the bench's data."""
    return {
        "TRAINER_ENV": "production",
        "TRAINER_SECRET_KEY": secrets.token_urlsafe(48),
        "TRAINER_BASE_URL": "http://127.0.0.1",
        "DATABASE_URL": data["databases"][database],
        "TRAINER_CONTENT_DIR": data["content_dir"],
        "TRAINER_INSTANCE_DIR": str(instance),
        "TRAINER_RATELIMIT_STORAGE_URL": REDIS_URL,
        "TRAINER_RATELIMIT_KEY_PREFIX": prefix,
        # Many simulated people sign in from one address within seconds.
        "TRAINER_LOGIN_RATE_LIMIT": "100000 per minute",
        "TRAINER_ACCOUNT_LOGIN_RATE_LIMIT": "100000 per minute",
    }


def rate_limit_prefix() -> str:
    return f"bench-{os.getpid()}-{time.time_ns()}"


def clear_rate_limits(prefix: str) -> None:
    """Remove the counters a run left in the shared Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def memory_kib(pid: int) -> tuple[int, int]:
    """A process's resident and proportional set sizes (RSS, PSS), in KiB."""
    return parse_smaps_rollup(Path(f"/proc/{pid}/smaps_rollup").read_text())


def parse_smaps_rollup(text: str) -> tuple[int, int]:
    values = dict(re.findall(r"^(Rss|Pss):\s+(\d+) kB", text, re.MULTILINE))
    if "Rss" not in values or "Pss" not in values:
        raise ValueError("smaps_rollup without Rss and Pss")
    return int(values["Rss"]), int(values["Pss"])


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


@contextmanager
def postgres_database(name: str, server: str = POSTGRES_SERVER) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server; dropped afterwards, even when
    something still holds a connection to it."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
