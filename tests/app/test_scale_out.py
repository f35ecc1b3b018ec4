"""Two app processes share what must be shared: here, sign-in rate limits kept in Redis."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from tests.conftest import VALID_CONTENT
from trainer import PROJECT_ROOT


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str) -> None:
    # Generous: a process loads and validates the whole curriculum before it answers, and a
    # busy machine may take a while. This waits for readiness; it asserts nothing about speed.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def sign_in_status(url: str) -> int:
    """Open the sign-in form as a browser would (cookie and form token), then send it."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    form = browser.open(url + "/auth/login", timeout=5).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "email": "nobody@example.org", "password": "x"}
    ).encode()
    try:
        return browser.open(url + "/auth/login", data, timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis on 127.0.0.1:6379 (make ci has it)")
def test_sign_in_limit_is_shared_between_worker_processes(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "TRAINER_CONTENT_DIR": str(VALID_CONTENT),
        "TRAINER_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "TRAINER_RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "TRAINER_LOGIN_RATE_LIMIT": "3 per minute",
    }
    trainer = [sys.executable, "-m", "trainer.cli"]
    subprocess.run([*trainer, "init-db"], env=env, check=True, capture_output=True)
    ports = [free_port(), free_port()]
    workers = [
        subprocess.Popen(
            [*trainer, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_until_up(url)
        statuses = [sign_in_status(url) for url in (*urls, *urls)]
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
    assert statuses[:3] != [429, 429, 429]
    assert statuses[3] == 429, statuses


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis on 127.0.0.1:6379 (make ci has it)")
def test_workers_forked_from_a_preloaded_app_each_serve_with_their_own_connections(tmp_path):
    """gunicorn.conf.py loads the app once and forks the workers from it."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "TRAINER_CONTENT_DIR": str(VALID_CONTENT),
        "TRAINER_INSTANCE_DIR": str(tmp_path / "instance"),
        "TRAINER_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/0",
        "TRAINER_RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    subprocess.run(
        [sys.executable, "-m", "trainer.cli", "init-db"], env=env, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "trainer:create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(
                    lambda path: urllib.request.urlopen(url + path, timeout=10).status,
                    ["/healthz", "/auth/login", "/", "/courses/basics/why-share"] * 10,
                )
            )
    finally:
        server.terminate()
        _, log = server.communicate(timeout=20)
    assert statuses == [200] * 40
    assert "Booting worker" in log and "Error" not in log
