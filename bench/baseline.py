"""The baseline: a bare Flask app, served by gunicorn exactly as the app is, answering with
the same bytes as the app's module page and its health check, and doing nothing else.

It reads the page from BENCH_PAGE_FILE (the module page as the app rendered it once) and
passes it through a plain Jinja template with one variable, compiled once and kept as Flask
keeps any template file, and answers /healthz with the JSON in BENCH_HEALTH_FILE.
bench/pages.py starts it:

    gunicorn --workers 2 --bind 127.0.0.1:PORT 'bench.baseline:create_app()'
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, jsonify, render_template
from jinja2 import DictLoader
from markupsafe import Markup

TEMPLATES = {"page.html": "{{ page }}"}


def create_app() -> Flask:
    page = Markup(Path(os.environ["BENCH_PAGE_FILE"]).read_text(encoding="utf-8"))  # noqa: S704 (our own page)
    health = json.loads(Path(os.environ["BENCH_HEALTH_FILE"]).read_text(encoding="utf-8"))
    app = Flask(__name__)
    app.jinja_loader = DictLoader(TEMPLATES)

    @app.get("/page")
    def module_page():
        return render_template("page.html", page=page)

    @app.get("/healthz")
    def healthz():
        return jsonify(health)

    return app
