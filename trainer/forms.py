"""Form fields shared by areas: text boxes, choices, and a person's email address, password
and details."""

from collections.abc import Mapping

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, ValidationError

from trainer.content import SECTORS
from trainer.web import DayField, Form, strip_text

OTHER_ORGANISATION = "other"
MIN_PASSWORD = 12


class QueryForm(Form):
    """A search or filter sent by GET: a link anyone can bookmark, so no CSRF token."""

    class Meta:
        csrf = False


def text_field(
    label: str,
    max_length: int,
    required: str = "",
    description: str = "",
    called: str = "",
    multiline: bool = False,
) -> StringField:
    """A text box, trimmed: one line, or several when `multiline`. `required` is the message
    when it is left empty (without one it is optional); `called` is what the length message
    calls it (the label by default)."""
    field, widget = (TextAreaField, GovTextArea()) if multiline else (StringField, GovTextInput())
    rules = [InputRequired(message=required)] if required else []
    too_long = f"{called or label} must be {max_length:,} characters or fewer"
    return field(
        label,
        description=description,
        widget=widget,
        filters=[strip_text],
        validators=[*rules, Length(max=max_length, message=too_long)],
    )


def select_field(label: str, message: str, **kwargs) -> SelectField:
    """A select that must be chosen; its choices are usually set when the form is made."""
    return SelectField(
        label,
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message=message)],
        **kwargs,
    )


def radio_field(label: str, choices: Mapping[str, str], message: str) -> RadioField:
    """Radios of fixed choices: the same message for none chosen and for anything else sent."""
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=list(choices.items()),
        validate_choice=False,
        validators=[InputRequired(message=message), AnyOf(list(choices), message=message)],
    )


def day_field(label: str, example: str, required: str) -> DayField:
    """A date that must be given, in three boxes; `example` shows the order, like 27 3 2026."""
    return DayField(
        label,
        description=f"For example, {example}",
        validators=[InputRequired(message=required)],
    )


class Checkboxes(SelectMultipleField):
    """Boxes to tick; none ticked, or a form sent with nothing in it, is an empty list."""

    def __init__(self, label: str, **kwargs) -> None:
        kwargs.setdefault("default", list)
        super().__init__(label, widget=GovCheckboxesInput(), validate_choice=False, **kwargs)


def email_field(label: str = "Email address", description: str = "") -> StringField:
    return StringField(
        label,
        description=description,
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )


def new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=f"Use at least {MIN_PASSWORD} characters. A few random words work well.",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(
                min=MIN_PASSWORD,
                max=128,
                message=f"Password must be between {MIN_PASSWORD} and 128 characters",
            ),
        ],
    )


def confirm_password_field(new_password_field_name: str) -> PasswordField:
    """The new password typed again, which must match the field named."""
    return PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo(new_password_field_name, message="Enter the same new password in both boxes"),
        ],
    )


def full_name_field() -> StringField:
    return text_field(
        "Full name",
        200,
        "Enter your full name",
        description="As it should appear on your certificates.",
    )


def organisation_field() -> SelectField:
    return select_field("Organisation", "Select your organisation")


def organisation_other_field() -> StringField:
    return text_field(
        "If your organisation is not listed, enter its name", 200, called="Organisation name"
    )


def sector_field() -> RadioField:
    return radio_field("Which sector do you work in?", SECTORS, "Select the sector you work in")


def job_role_field() -> StringField:
    return text_field(
        "Job role",
        200,
        "Enter your job role",
        description="For example, health visitor, teaching assistant or youth worker.",
    )


class ChoosesOrganisation:
    """For a form with `organisation` and `organisation_other` fields: a listed organisation,
    or the name of one that is not listed."""

    def set_organisations(self, organisations: list[tuple[str, str]]) -> None:
        self.organisation.choices = [
            ("", "Select your organisation"),
            *organisations,
            (OTHER_ORGANISATION, "My organisation is not listed"),
        ]

    def validate_organisation(self, field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError("Select your organisation")

    def validate_organisation_other(self, field) -> None:
        if self.organisation.data == OTHER_ORGANISATION and not field.data:
            raise ValidationError("Enter the name of your organisation")
