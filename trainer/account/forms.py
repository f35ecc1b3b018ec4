"""Forms for a person's own account."""

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput
from wtforms import PasswordField, RadioField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from trainer import forms
from trainer.web import DayField, Form


class FrameworkForm(Form):
    framework = RadioField(
        "Which professional framework do you keep CPD for?",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Select a professional framework")],
    )
    cycle_start = DayField(
        "When did your current CPD period start? (optional)",
        message="The start of your CPD period must be a real date, like 1 4 2025",
        description="Nurses and midwives: the start of your current 3-year revalidation period. For example, 1 4 2025",
        validators=[Optional()],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_framework(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Select a professional framework")

    def validate_cycle_start(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError("The start of your period must be today or in the past")


class DetailsForm(forms.ChoosesOrganisation, Form):
    name = forms.full_name_field()
    organisation = forms.organisation_field()
    organisation_other = forms.organisation_other_field()
    sector = forms.sector_field()
    job_role = forms.job_role_field()
    submit = SubmitField("Save your details", widget=GovSubmitInput())


def current_password_field() -> PasswordField:
    return PasswordField(
        "Your current password",
        description="To make sure it is you.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password")],
    )


class ChecksPassword:
    """For a form with a `password` field that must be the signed-in person's own."""

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:
        if not self.user.check_password(field.data):
            raise ValidationError("Enter your current password")


class EmailForm(ChecksPassword, Form):
    email = forms.email_field(
        "New email address", "We will send a link to it; the change is made when you open the link."
    )
    password = current_password_field()
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class PasswordForm(ChecksPassword, Form):
    password = current_password_field()
    new_password = forms.new_password_field("New password")
    confirm = forms.confirm_password_field("new_password")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class DeleteAccountForm(ChecksPassword, Form):
    password = current_password_field()
    submit = SubmitField("Delete my account", widget=GovSubmitInput())
