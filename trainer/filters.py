"""Template filters: formatting lives here, not in templates."""

from __future__ import annotations

from flask import Flask

from .content import AGE_GROUPS, SECTORS
from .formats import duration, grouped_code, hours, long_date, theme_label, time_and_date


def register(app: Flask) -> None:
    app.add_template_filter(hours)
    app.add_template_filter(long_date, "govuk_date")
    app.add_template_filter(time_and_date, "govuk_time")
    app.add_template_filter(duration, "minutes")
    app.add_template_filter(lambda slug: SECTORS.get(slug, slug), "sector")
    app.add_template_filter(lambda slug: AGE_GROUPS.get(slug, slug), "age_group")
    app.add_template_filter(theme_label, "theme")
    app.add_template_filter(grouped_code, "certificate_code")
