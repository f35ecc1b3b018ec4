"""Helpers every area shares: absolute links, form text, downloads, load-or-404 and the session cookie."""

from __future__ import annotations

import re
from typing import TypeVar

from flask import Flask, Response, abort, current_app, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, TextAreaField

LOCAL_BASE_URL = "http://127.0.0.1:5000"

T = TypeVar("T")


def external_url(endpoint: str, **values) -> str:
    """Absolute link for emails and PDFs: from TRAINER_BASE_URL, never a request's Host header.

    Without TRAINER_BASE_URL (development only: production refuses to start) the current
    request's address is used, or the local `trainer serve` address when there is no request.
    """
    base = current_app.config["BASE_URL"] or (
        request.host_url if has_request_context() else LOCAL_BASE_URL
    )
    return base.rstrip("/") + current_app.url_map.bind("localhost").build(endpoint, values)


# Control characters (a NUL breaks PostgreSQL; new lines forge email headers and CSV rows) and
# the bidirectional overrides and isolates that make text display other than it reads.
_HIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE_ONE_LINE = re.compile(f"[{_HIDDEN}\t\n\r]")
_UNSAFE_MULTI_LINE = re.compile(f"[{_HIDDEN}]")


def has_hidden_characters(value: str, multiline: bool = False) -> bool:
    """Whether text holds characters nobody types on purpose; tabs and new lines are allowed
    only where the text may run over several lines."""
    return bool((_UNSAFE_MULTI_LINE if multiline else _UNSAFE_ONE_LINE).search(value))


HIDDEN_CHARACTERS_MESSAGE = (
    "Remove the hidden characters (control characters or text-direction marks), then try again"
)


class Form(FlaskForm):
    """Every form of the service: no text field accepts hidden characters."""

    def validate(self, extra_validators=None) -> bool:
        is_valid = super().validate(extra_validators)
        for field in self:
            multiline = isinstance(field, TextAreaField)
            if isinstance(field.data, str) and has_hidden_characters(field.data, multiline):
                field.errors = [*field.errors, f"{field.label.text}: {HIDDEN_CHARACTERS_MESSAGE}"]
                is_valid = False
        return is_valid


def error_summary(errors: dict[str, str]) -> list[dict[str, str]]:
    """The GOV.UK error summary's list: each message linked to the field with that id."""
    return [{"text": message, "href": f"#{field_id}"} for field_id, message in errors.items()]


def strip_text(value):
    """A WTForms filter: surrounding spaces are never part of what people meant."""
    return value.strip() if isinstance(value, str) else value


def download(body, mimetype: str, filename: str) -> Response:
    """A file to save rather than show: bytes, text or an iterator of chunks."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def found_or_404(value: T | None) -> T:
    """What was looked up, or "Page not found": a record out of reach is simply not there."""
    if value is None:
        abort(404)
    return value


class DayField(DateField):
    """A GOV.UK day, month and year date, with a message that says what to do."""

    def __init__(self, label: str, message: str = "", **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.message = message or f"{label} must be a real date, like 27 3 2026"

    def process(self, formdata, *args, **kwargs) -> None:
        super().process(formdata, *args, **kwargs)
        # The GOV.UK widget redraws exactly three boxes from raw_data; anything else, none.
        if not self.raw_data or len(self.raw_data) != 3:
            self.raw_data = None

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not any(part.strip() for part in valuelist):
            self.data = None
            return
        if len(valuelist) != 3:
            raise ValueError(self.message)
        try:
            super().process_formdata([" ".join(part.strip() for part in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError(self.message) from None


class KeptSignerSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once for the app's keys instead
    of twice for every request; a change of key or of fallback keys builds it again."""

    _kept: tuple = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept_keys, signer = self._kept
        if kept_keys != keys:
            signer = super().get_signing_serializer(app)
            self._kept = (keys, signer)
        return signer
