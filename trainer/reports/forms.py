"""The report filters (a GET form, so a filtered page can be bookmarked) and the reminder form."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from trainer.content import SECTORS
from trainer.forms import QueryForm
from trainer.web import DayField, Form

from .queries import SORTS, STATUSES, Choices, Filters


class ReportDayField(DayField):
    """A date in three boxes, or one ISO value (2026-04-01) from an export or bookmark link."""

    def process(self, formdata, *args, **kwargs) -> None:
        single = formdata.getlist(self.name) if formdata is not None else []
        super().process(formdata, *args, **kwargs)
        if len(single) == 1 and self.data:
            # Shown again in the three boxes, and seen as given by Optional().
            self.raw_data = [str(self.data.day), str(self.data.month), str(self.data.year)]

    def process_formdata(self, valuelist) -> None:
        if len(valuelist) == 1 and valuelist[0].strip():
            try:
                self.data = date.fromisoformat(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(self.message) from None
            return
        super().process_formdata(valuelist)


def _all(label: str, options) -> list[tuple[str, str]]:
    return [("", label), *options]


def _filter(label: str, **kwargs) -> SelectField:
    """A filter to narrow the report by; a value not in the list is ignored, not an error."""
    return SelectField(label, widget=GovSelect(), validate_choice=False, **kwargs)


def _completed_day(label: str, name: str, example: str) -> ReportDayField:
    return ReportDayField(
        label,
        name=name,
        message=f"{label} must be a real date, like {example}",
        description=f"For example, {example}",
        validators=[Optional()],
    )


class FilterForm(QueryForm):
    course = _filter("Course")
    org = _filter("Organisation")
    agency = _filter("Agency")
    team = _filter("Team")
    job_role = _filter("Job role")
    status = _filter("Status", choices=_all("Any status", STATUSES.items()))
    date_from = _completed_day("Completed from", "from", "1 4 2026")
    date_to = _completed_day("Completed to", "to", "31 3 2027")
    sort = _filter("Sort by", choices=list(SORTS.items()), default="name")

    def fill(self, courses: list[tuple[str, str]], choices: Choices) -> FilterForm:
        self.course.choices = _all("All courses", courses)
        self.org.choices = _all("All organisations", choices.organisations)
        self.agency.choices = _all(
            "All agencies", [(a, SECTORS.get(a, a)) for a in choices.agencies]
        )
        self.team.choices = _all("All teams", choices.teams)
        self.job_role.choices = _all("All job roles", [(r, r) for r in choices.job_roles])
        return self

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("Completed to must be the same as or after completed from")

    def validate_sort(self, field) -> None:
        if field.data not in SORTS:
            field.data = "name"

    def filters(self, page: int = 1) -> Filters:
        """The chosen filters; a part that failed validation is left out, never guessed."""
        ok = not self.errors
        return Filters(
            course=self.course.data or "",
            org=_number(self.org.data),
            agency=self.agency.data or "",
            team=_number(self.team.data),
            job_role=self.job_role.data or "",
            date_from=self.date_from.data if ok else None,
            date_to=self.date_to.data if ok else None,
            status=self.status.data if self.status.data in STATUSES else "",
            sort=self.sort.data if self.sort.data in SORTS else "name",
            page=max(page, 1),
        )


def _number(value) -> int | None:
    """An id from the query string; anything else means "not found", not a crash."""
    if not value:
        return None
    return int(value) if str(value).isdigit() else -1


class ReminderForm(Form):
    submit = SubmitField("Send reminders", widget=GovSubmitInput())
