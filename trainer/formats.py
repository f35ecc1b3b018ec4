"""How dates, durations and certificate codes are written: pages, emails, PDFs, spreadsheets.

Pure functions (no Flask), so the export writers can use them as well as templates.
"""

from __future__ import annotations

import secrets
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


def time_and_date(moment: datetime) -> str:
    """3:45pm on 26 November 2026 (9am, midday, midnight), in UK time: the GOV.UK style."""
    local = moment.astimezone(LONDON)
    clock = {(12, 0): "midday", (0, 0): "midnight"}.get((local.hour, local.minute))
    if clock is None:
        minutes = f":{local.minute:02d}" if local.minute else ""
        clock = f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{clock} on {long_date(local.date())}"


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


# Certificate codes people can read out and type: no 0/O, 1/I/L or U/V pairs to confuse.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 12  # 29**12, about 58 bits: unguessable behind the rate-limited check


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_certificate_code(typed: str) -> str:
    """What someone typed, as stored: any case, spaces and hyphens ignored. Codes issued
    before short codes (long, mixed case) are returned as typed, so they keep working."""
    compact = "".join(typed.split()).replace("-", "").upper()
    if len(compact) == CODE_LENGTH and all(c in CODE_ALPHABET for c in compact):
        return compact
    return typed.strip()


def grouped_code(code: str) -> str:
    """ABCD-EFGH-JKMN: a short code in groups of four, for reading; older codes unchanged."""
    if len(code) != CODE_LENGTH:
        return code
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))
