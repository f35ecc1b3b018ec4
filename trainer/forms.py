"""Form fields shared by areas: a person's email address, password and details."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, ValidationError

from trainer.content import SECTORS
from trainer.web import strip_text

OTHER_ORGANISATION = "other"
MIN_PASSWORD = 12


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
    return StringField(
        "Full name",
        description="As it should appear on your certificates.",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )


def organisation_field() -> SelectField:
    return SelectField(
        "Organisation",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message="Select your organisation")],
    )


def organisation_other_field() -> StringField:
    return StringField(
        "If your organisation is not listed, enter its name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[Length(max=200, message="Organisation name must be 200 characters or fewer")],
    )


def sector_field() -> RadioField:
    return RadioField(
        "Which sector do you work in?",
        widget=GovRadioInput(),
        choices=list(SECTORS.items()),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the sector you work in"),
            AnyOf(list(SECTORS), message="Select the sector you work in"),
        ],
    )


def job_role_field() -> StringField:
    return StringField(
        "Job role",
        description="For example, health visitor, teaching assistant or youth worker.",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your job role"),
            Length(max=200, message="Job role must be 200 characters or fewer"),
        ],
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
