"""A web worker loads only what serving pages needs: PDF, QR code, image, spreadsheet and
migration libraries, the email address checker and the SMTP client, and the SQL dialect of a
database it does not use, are imported by the requests and commands that use them."""

import gc
import json
import subprocess
import sys

import pytest

from tests.conftest import VALID_CONTENT, make_app

HEAVY = (
    "fpdf",
    "qrcode",
    "PIL",
    "xlsxwriter",
    "flask_migrate",
    "alembic",
    "email_validator",
    "smtplib",
    "sqlalchemy.dialects.postgresql",
)

SERVE_A_PAGE = """
import json, sys
from trainer import create_app
app = create_app({
    "INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "x" * 40, "CONTENT_DIR": sys.argv[2],
    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1] + "/t.db",
})
before = sorted(name for name in json.loads(sys.argv[3]) if name in sys.modules)
page = app.test_client().get("/")
print(json.dumps({"before": before, "status": page.status_code,
                  "after": sorted(name for name in json.loads(sys.argv[3]) if name in sys.modules)}))
"""


def test_a_worker_starts_and_serves_pages_without_the_heavy_libraries(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE_A_PAGE, str(tmp_path), str(VALID_CONTENT), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"before": [], "status": 200, "after": []}


PARSERS = ("yaml", "markdown", "nh3")


def test_a_restart_on_unchanged_content_loads_no_content_parsers(tmp_path):
    """The catalogue kept by the first start is read back: YAML, Markdown and the HTML
    sanitiser are imported only when content has to be validated again."""
    starts = [
        json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    SERVE_A_PAGE,
                    str(tmp_path),
                    str(VALID_CONTENT),
                    json.dumps(PARSERS),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[-1]
        )
        for _ in range(2)
    ]
    assert starts[0]["before"] == sorted(PARSERS)
    assert starts[1] == {"before": [], "status": 200, "after": []}


def test_the_command_line_still_has_the_migrations(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(VALID_CONTENT))
    result = subprocess.run(
        [sys.executable, "-m", "trainer.cli", "db", "heads"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "(head)" in result.stdout


CHECK_CONTENT = """
import json, sys
from trainer.cli import main
main(["check-content", "--content-dir", sys.argv[1]], standalone_mode=False)
print(json.dumps(sorted(name for name in json.loads(sys.argv[2]) if name in sys.modules)))
"""
WEB_STACK = ("sqlalchemy", "flask_sqlalchemy", "flask_limiter", "flask_login", "flask_wtf")


def test_check_content_loads_neither_the_database_nor_the_web_extensions(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path / "absent"))
    result = subprocess.run(
        [sys.executable, "-c", CHECK_CONTENT, str(VALID_CONTENT), json.dumps(WEB_STACK)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("Content OK")
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("collecting", [True, False])
def test_building_the_app_leaves_garbage_collection_as_it_was(tmp_path, collecting):
    """It is paused while the app is built, for speed, and never left off or turned on."""
    (gc.enable if collecting else gc.disable)()
    try:
        make_app(tmp_path)
        after = gc.isenabled()
    finally:
        gc.enable()
    assert after is collecting
