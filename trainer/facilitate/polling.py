"""The phones' poll of a live session, answered before Flask's per-request work.

Every phone in the room asks for the session's state every 2 seconds: 500 phones are 250
requests a second. Through Flask each one would open and re-sign the session cookie, load
the signed-in person (or find there is none) and set a page's headers, which costs several
times the one read it needs. So a phone gets a pass when its room page is rendered: a
signature of the session's id with the app's secret key, which it sends with each poll in
the X-Live-Pass header. A poll carrying a good pass for its session is answered here, from
one read of the session's row by its key; anything else (no pass, a pass for another
session, a session that is gone, a failed read) goes on to the app, whose view checks the
cookie and answers as before.
"""

from __future__ import annotations

import hashlib
import json
import re

from flask import Flask
from itsdangerous import Signer
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_etags

from trainer.extensions import db

from .live import state_payload
from .queries import STATE_READ

STATE_PATH = re.compile(r"/sessions/([0-9]{1,18})/state\.json")
SALT = "live room pass"

# A JSON answer needs no page policy: nothing in it runs, loads or may be framed.
HEADERS = [
    ("Cache-Control", "no-cache, private"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=SALT, digest_method=hashlib.sha256)


def room_pass(secret_key: str, session_id: int) -> str:
    """What a phone that joined the session sends with its polls."""
    return _signer(secret_key).get_signature(str(session_id)).decode()


def is_room_pass(secret_key: str, session_id: int, given: str) -> bool:
    return _signer(secret_key).verify_signature(str(session_id).encode(), given.encode())


def etag_matches(environ: dict, version: str) -> bool:
    """Whether the phone already has this version (If-None-Match), so a 304 will do."""
    return parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(version)


class StatePoll:
    """WSGI middleware in front of the app: answers the phones' state polls that carry a pass."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.engine = None

    def __call__(self, environ, start_response):
        answer = self._answer(environ) if environ.get("REQUEST_METHOD") == "GET" else None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def _answer(self, environ) -> tuple[str, list, bytes] | None:
        match = STATE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        given = environ.get("HTTP_X_LIVE_PASS")
        if match is None or not given:
            return None
        session_id = int(match[1])
        if not is_room_pass(self.app.secret_key, session_id, given):
            return None
        row = self._read(session_id)
        if row is None:
            return None
        version = str(row.state_version)
        headers = [("ETag", f'"{version}"'), *HEADERS]
        if self.app.config["ENV_NAME"] == "production":
            headers.append(HSTS)
        if etag_matches(environ, version):
            return "304 Not Modified", headers, b""
        body = json.dumps(state_payload(row)).encode()
        headers += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        return "200 OK", headers, body

    def _read(self, session_id: int):
        """The session's state row, or None to let the app answer (and log any failure)."""
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
        try:
            with self.engine.connect() as connection:
                return connection.execute(STATE_READ, {"session_id": session_id}).first()
        except SQLAlchemyError:
            return None
