"""Template filters: formatting lives here, not in templates."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from .content import AGE_GROUPS, SECTORS
from .exports.pdf import hours
from .learn.queries import theme_label

LONDON = ZoneInfo("Europe/London")


def govuk_date(value: date | datetime | None) -> str:
    """26 November 2026, in UK time for datetimes."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return f"{value.day} {value:%B %Y}"


def minutes(value: int) -> str:
    """1 hour 30 minutes."""
    hours, mins = divmod(int(value), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def scrambled(items, seed: str) -> list:
    """A fixed, seed-dependent order that is never the authored one (for ordering questions)."""
    items = list(items)
    order = sorted(items, key=lambda item: hashlib.sha256(f"{seed}:{item.id}".encode()).digest())
    return order if order != items or len(items) < 2 else order[::-1]


def register(app: Flask) -> None:
    app.add_template_filter(scrambled)
    app.add_template_filter(hours)
    app.add_template_filter(govuk_date)
    app.add_template_filter(minutes)
    app.add_template_filter(lambda slug: SECTORS.get(slug, slug), "sector")
    app.add_template_filter(lambda slug: AGE_GROUPS.get(slug, slug), "age_group")
    app.add_template_filter(theme_label, "theme")
