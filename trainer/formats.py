"""How dates and durations are written, everywhere: pages, emails, PDFs and spreadsheets.

Pure functions (no Flask), so the export writers can use them as well as templates.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_date(moment: datetime) -> date:
    """The calendar day a UTC moment falls on in the UK."""
    return moment.astimezone(LONDON).date()


def long_date(value: date | datetime | None) -> str:
    """26 November 2026; a datetime is first put into UK time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london_date(value)
    return f"{value.day} {value:%B %Y}"


def hours(minutes: int) -> str:
    """Minutes as hours to two places: 90 -> "1.50"."""
    return f"{minutes / 60:.2f}"


def duration(minutes: int) -> str:
    """1 hour 30 minutes."""
    whole_hours, mins = divmod(int(minutes), 60)
    parts = []
    if whole_hours:
        parts.append(f"{whole_hours} hour{'s' if whole_hours != 1 else ''}")
    if mins or not whole_hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def theme_label(slug: str) -> str:
    """A case example's theme for people: "multi-agency" -> "Multi agency"."""
    return slug.replace("-", " ").capitalize()
