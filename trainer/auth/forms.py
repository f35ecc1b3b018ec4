"""Forms for registering, signing in and resetting a password."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, ValidationError

from trainer.content import SECTORS
from trainer.web import Form, strip_text

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


class SignInForm(Form):
    email = email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RegisterForm(Form):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = email_field("Work email address", "We will send you a link to confirm it.")
    organisation = SelectField(
        "Organisation",
        widget=GovSelect(),
        validate_choice=False,
        validators=[InputRequired(message="Select your organisation")],
    )
    organisation_other = StringField(
        "If your organisation is not listed, enter its name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[Length(max=200, message="Organisation name must be 200 characters or fewer")],
    )
    sector = RadioField(
        "Which sector do you work in?",
        widget=GovRadioInput(),
        choices=list(SECTORS.items()),
        validate_choice=False,
        validators=[
            InputRequired(message="Select the sector you work in"),
            AnyOf(list(SECTORS), message="Select the sector you work in"),
        ],
    )
    job_role = StringField(
        "Job role",
        description="For example, health visitor, teaching assistant or youth worker.",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your job role"),
            Length(max=200, message="Job role must be 200 characters or fewer"),
        ],
    )
    password = new_password_field("Create a password")
    submit = SubmitField("Create account", widget=GovSubmitInput())

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


class ResetRequestForm(Form):
    email = email_field()
    submit = SubmitField("Send me a reset link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = new_password_field("New password")
    confirm = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("password", message="Enter the same password in both boxes"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
