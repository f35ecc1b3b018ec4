"""Forms for the CPD record."""

import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import DecimalField, HiddenField, SelectField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.forms import QueryForm, day_field, radio_field, text_field
from trainer.models import ACTIVITY_TYPES
from trainer.web import DayField, Form


class HoursField(DecimalField):
    """Hours as a decimal number, with a message that says what to enter."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, places=2, widget=GovTextInput(), **kwargs)

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            raise ValueError(f"{self.label.text} must be a number, like 1.5") from None


def new_submit_token() -> str:
    return secrets.token_urlsafe(16)


class ActivityForm(Form):
    # Made when the form is shown and kept with the activity it adds: the same form sent
    # twice (a double click, a retry, the back button) adds one activity.
    submit_token = HiddenField(
        default=new_submit_token,
        validators=[
            Optional(),
            Length(max=64, message="Add the activity again from a new form"),
        ],
    )
    title = text_field("Title", 200, "Enter the title of the activity")
    provider = text_field(
        "Provider", 200, description="Who ran it, for example your local safeguarding partnership."
    )
    activity_type = radio_field("Type of activity", ACTIVITY_TYPES, "Select the type of activity")
    done_on = day_field("Date", "27 3 2026", "Enter the date of the activity")
    hours = HoursField(
        "Time spent, in hours",
        description="For example, 1.5 for an hour and a half.",
        validators=[
            InputRequired(message="Enter the time spent, in hours"),
            NumberRange(
                Decimal("0.25"), 100, message="Time spent must be between 0.25 and 100 hours"
            ),
        ],
    )
    participatory_hours = HoursField(
        "Of which participatory, in hours",
        description="Time learning with other people: sessions, workshops, peer discussion. Enter 0 if none.",
        validators=[
            InputRequired(message="Enter the participatory time, in hours, or 0"),
            NumberRange(0, 100, message="Participatory time must be between 0 and 100 hours"),
        ],
    )
    notes = text_field("Notes", 4000, multiline=True)
    submit = SubmitField("Add to my record", widget=GovSubmitInput())

    def validate_done_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError("The date must be today or in the past")

    def validate_participatory_hours(self, field) -> None:
        if field.data is not None and self.hours.data and field.data > self.hours.data:
            raise ValidationError("Participatory time cannot be more than the time spent")

    @staticmethod
    def as_minutes(hours: Decimal) -> int:
        return int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))


class PeriodForm(QueryForm):
    """The filter on the record page."""

    period = SelectField(
        "Show",
        widget=GovSelect(),
        choices=[
            ("cycle", "My current CPD period"),
            ("all", "Everything"),
            ("dates", "Between dates"),
        ],
        default="cycle",
    )
    start = DayField("From", validators=[Optional()])
    end = DayField("To", validators=[Optional()])

    def validate_end(self, field) -> None:
        if (
            self.period.data == "dates"
            and self.start.data
            and field.data
            and field.data < self.start.data
        ):
            raise ValidationError("The end date must be the same as or after the start date")


class CheckCertificateForm(QueryForm):
    """The public certificate check."""

    code = text_field(
        "Certificate code",
        60,
        "Enter the certificate code",
        description="It is on the certificate, for example 7KQM-X3PR-W9DZ. Capital or small "
        "letters both work.",
    )
    submit = SubmitField("Check certificate", widget=GovSubmitInput())
