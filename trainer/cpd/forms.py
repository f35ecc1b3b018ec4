"""Forms for the CPD record."""

import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from trainer.models import ACTIVITY_TYPES
from trainer.web import DayField, Form, strip_text


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
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter the title of the activity"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    provider = StringField(
        "Provider",
        description="Who ran it, for example your local safeguarding partnership.",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[Length(max=200, message="Provider must be 200 characters or fewer")],
    )
    activity_type = RadioField(
        "Type of activity",
        widget=GovRadioInput(),
        choices=list(ACTIVITY_TYPES.items()),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the type of activity"),
            AnyOf(list(ACTIVITY_TYPES), message="Select the type of activity"),
        ],
    )
    done_on = DayField(
        "Date",
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date of the activity")],
    )
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
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        filters=[strip_text],
        validators=[Length(max=4000, message="Notes must be 4,000 characters or fewer")],
    )
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


class PeriodForm(Form):
    """The filter on the record page: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

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


class CheckCertificateForm(Form):
    """The public certificate check: a GET form anyone can bookmark, so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        "Certificate code",
        description="It is on the certificate, for example 7KQM-X3PR-W9DZ. Capital or small "
        "letters both work.",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter the certificate code"),
            Length(max=60, message="Certificate code must be 60 characters or fewer"),
        ],
    )
    submit = SubmitField("Check certificate", widget=GovSubmitInput())
