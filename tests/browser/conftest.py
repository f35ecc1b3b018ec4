"""Browser tests: the site served on a free local port, driven by Debian's Chromium."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app
from trainer.demo import seed_demo
from trainer.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium reaches for Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("TRAINER_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: make chromium installs it")
    skip = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM}: make test-browser installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@contextmanager
def served(app) -> Iterator[str]:
    """The app served on a free local port while the block runs; its address."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app served on a free local port, with the demo accounts (password PASSWORD)."""
    folder = tmp_path_factory.mktemp("live")
    app = make_app(folder, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'live.db'}")
    with app.app_context():
        db.create_all()
        seed_demo(folder / "demo-accounts.txt", password=PASSWORD)
    with served(app) as address:
        app.config["BASE_URL"] = address
        yield app


@pytest.fixture(scope="session")
def live_server(live_app) -> str:
    return live_app.config["BASE_URL"]


@pytest.fixture(scope="session")
def outbox(live_app) -> Path:
    """Where the live server writes account emails."""
    return Path(live_app.instance_path) / "outbox"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)  # fail fast rather than hang on a missing element
    page = context.new_page()
    yield page
    context.close()


def sign_in_as(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def fill_in(page, answers: dict[str, str]) -> None:
    """Type each answer into the field with that label."""
    for label, answer in answers.items():
        page.get_by_label(label).fill(answer)


def serious_accessibility_problems(page) -> list[str]:
    """axe-core (shipped inside axe-playwright-python) on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pass_the_basics_check(page, base_url: str) -> None:
    """Start (or restart) the fixture knowledge check and answer every question right."""
    page.goto(base_url + "/quizzes/basics-check")
    page.get_by_role("button", name=re.compile("^(Start|Start again|Continue attempt)")).click()
    page.get_by_label("A clear purpose").check()
    page.get_by_label("Accuracy").check()
    page.get_by_label("Timeliness").check()
    page.locator("#q-consent-always-false").check()
    for option, position in (("Purpose", "1"), ("Share", "2"), ("Record", "3")):
        page.get_by_label(option, exact=True).select_option(position)
    page.get_by_role("button", name="Submit my answers").click()
