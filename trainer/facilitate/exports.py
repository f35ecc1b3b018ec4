"""A session's files: its calendar event, the join QR code, the register and the summary."""

from __future__ import annotations

import io

from flask import current_app

from trainer.content import SECTORS, Catalogue
from trainer.exports.csv import write_csv
from trainer.exports.ics import CalendarEvent, calendar
from trainer.exports.tables import Table, tables_pdf
from trainer.formats import LONDON, long_date
from trainer.models import TrainingSession
from trainer.web import external_url

from . import queries

REGISTER_HEADER = ("Name", "Agency", "Organisation", "Booking", "Joined", "Attendance")
SUMMARY_HEADER = ("Case", "Stage", "Choice", "Best choice", "Votes", "Agency", "Agency votes")


def calendar_file(session: TrainingSession) -> str:
    host = (current_app.config["BASE_URL"] or "localhost").split("//")[-1].split("/")[0]
    event = CalendarEvent(
        uid=f"session-{session.id}@{host}",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=f"Joining link: {session.online_link}" if session.online_link else "",
        location=session.venue or session.online_link,
        url=external_url("facilitate.session", session_id=session.id),
        is_cancelled=session.is_cancelled,
    )
    return calendar(event, "Information Sharing Training", queries.now())


def join_qr_svg(session: TrainingSession) -> bytes:
    """The join link as a QR code for phones in the room."""
    import qrcode
    import qrcode.image.svg

    link = external_url("facilitate.join", code=session.join_code or "")
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def when(session: TrainingSession) -> str:
    """Friday 4 December 2026, 09:30 to 12:30 (UK time)."""
    starts, ends = session.starts_at.astimezone(LONDON), session.ends_at.astimezone(LONDON)
    return f"{starts:%A} {long_date(starts)}, {starts:%H:%M} to {ends:%H:%M}"


def _attendance(present: bool | None) -> str:
    return {True: "Present", False: "Absent", None: "Not marked"}[present]


def register_rows(session: TrainingSession) -> list[tuple]:
    return [
        (
            row.name,
            SECTORS.get(row.agency, row.agency),
            row.organisation,
            row.booking.capitalize() or "Walked in",
            "Yes" if row.joined else "No",
            _attendance(row.present),
        )
        for row in queries.register_rows(session)
    ]


def summary_rows(catalogue: Catalogue, session: TrainingSession) -> list[tuple]:
    """One row per choice and agency, so a spreadsheet can pivot the split either way."""
    rows = []
    for stage in queries.summary_of(catalogue, session).stages:
        for result in stage.results:
            for agency in stage.agencies or [""]:
                rows.append(
                    (
                        stage.case_title,
                        stage.heading,
                        result.text,
                        "Yes" if result.is_best else "No",
                        result.total,
                        SECTORS.get(agency, agency),
                        result.by_agency.get(agency, 0),
                    )
                )
    return rows


def export(catalogue: Catalogue, session: TrainingSession, what: str, file_format: str):
    """The register or the summary as CSV or PDF, and its media type."""
    if what == "register":
        header, rows = REGISTER_HEADER, register_rows(session)
    else:
        header, rows = SUMMARY_HEADER, summary_rows(catalogue, session)
    if file_format == "csv":
        return write_csv(header, rows), "text/csv"
    tables = [Table(what.capitalize(), header, rows)]
    if what == "summary":
        feedback = queries.feedback_for(session)
        tables.append(
            Table(
                "Feedback",
                ("Agency", "Rating (1 to 5)", "Comment"),
                [(SECTORS.get(f.agency, f.agency), f.rating, f.comment) for f in feedback],
            )
        )
    lines = [when(session), session.venue or session.online_link]
    return tables_pdf(f"{what.capitalize()}: {session.title}", lines, tables), "application/pdf"
