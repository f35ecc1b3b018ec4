"""Template filters: formatting lives here, not in templates."""

from __future__ import annotations

import hashlib

from flask import Flask

from .content import AGE_GROUPS, SECTORS
from .formats import duration, grouped_code, hours, long_date, theme_label


def scrambled(items, seed: str) -> list:
    """A fixed, seed-dependent order that is never the authored one (for ordering questions)."""
    items = list(items)
    order = sorted(items, key=lambda item: hashlib.sha256(f"{seed}:{item.id}".encode()).digest())
    return order if order != items or len(items) < 2 else order[::-1]


def register(app: Flask) -> None:
    app.add_template_filter(scrambled)
    app.add_template_filter(hours)
    app.add_template_filter(long_date, "govuk_date")
    app.add_template_filter(duration, "minutes")
    app.add_template_filter(lambda slug: SECTORS.get(slug, slug), "sector")
    app.add_template_filter(lambda slug: AGE_GROUPS.get(slug, slug), "age_group")
    app.add_template_filter(theme_label, "theme")
    app.add_template_filter(grouped_code, "certificate_code")
