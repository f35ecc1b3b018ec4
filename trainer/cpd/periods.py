"""CPD periods: a regulator's registration year, or a span of years. Pure date arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from trainer.content.model import Framework
from trainer.formats import long_date


@dataclass(frozen=True)
class Period:
    start: date | None  # None: from the beginning of the record
    end: date | None  # None: up to today and beyond
    label: str

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def current_cycle(framework: Framework, today: date, personal_start: date | None) -> Period:
    """The period the framework counts now, for a learner whose own period began personal_start."""
    if framework.cycle_kind == "registration-year":
        month, day = (int(part) for part in framework.cycle_ends.split("-"))
        end = date(today.year, month, day)
        if end < today:
            end = date(today.year + 1, month, day)
        start = _years_later(end, -1) + timedelta(days=1)
        return Period(start, end, f"registration year ending {long_date(end)}")
    years = framework.cycle_years
    if personal_start and not framework.is_rolling and personal_start <= today:
        start = personal_start
        while _years_later(start, years) <= today:
            start = _years_later(start, years)
        end = _years_later(start, years) - timedelta(days=1)
        return Period(start, end, f"{years}-year period ending {long_date(end)}")
    start = _years_later(today, -years) + timedelta(days=1)
    return Period(start, today, f"last {years} year{'s' if years != 1 else ''}")
