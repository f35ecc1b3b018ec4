"""Error pages that work whatever has gone wrong, and the request id that ties a page to a log.

An error page never touches the database: the navigation and the "signed in as" bar are left
out (`plain_page`), and a failed transaction is rolled back first so the next request is clean.
"""

from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

logger = logging.getLogger(__name__)

PAGES = {
    403: "errors/403.html",
    404: "errors/404.html",
    413: "errors/413.html",
    429: "errors/429.html",
    500: "errors/500.html",
}
MESSAGES = {
    403: "You do not have permission to see this.",
    404: "Not found.",
    413: "What you sent is too large.",
    429: "Too many attempts. Wait a few minutes, then try again.",
    500: "Sorry, there is a problem with the service. Try again later.",
}
# A request id from the proxy is kept only when it is plain enough to log and echo safely.
PLAIN_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def register_error_handlers(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_send_request_id)
    for status in PAGES:
        app.register_error_handler(status, _error_answer)
    # A form left open past its token's life is common and harmless: say what to do, not "400".
    app.register_error_handler(CSRFError, lambda e: _page("errors/csrf.html", 400))


def _assign_request_id() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if PLAIN_ID.match(given) else secrets.token_hex(8)


def _send_request_id(response):
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def request_id() -> str:
    if "request_id" not in g:
        _assign_request_id()
    return g.request_id


def _error_answer(error: Exception):
    status = error.code if isinstance(error, HTTPException) else 500
    if status == 500:
        original = getattr(error, "original_exception", None) or error
        logger.error(
            "request %s failed: %s %s",
            request_id(),
            request.method,
            request.path,
            exc_info=original,
        )
        _roll_back()
    if request.path.endswith(".json"):
        return jsonify({"status": status, "error": MESSAGES[status]}), status
    return _page(PAGES[status], status)


def _roll_back() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone; the page must still render
        logger.warning("rollback failed after request %s", request_id(), exc_info=True)


def _page(template: str, status: int):
    return render_template(template, plain_page=True, request_id=request_id()), status
