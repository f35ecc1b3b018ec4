"""Forms for registering, signing in and resetting a password."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSubmitInput,
)
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired

from trainer.forms import (
    ChoosesOrganisation,
    confirm_password_field,
    email_field,
    full_name_field,
    job_role_field,
    new_password_field,
    organisation_field,
    organisation_other_field,
    sector_field,
)
from trainer.web import Form


class SignInForm(Form):
    email = email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RegisterForm(ChoosesOrganisation, Form):
    name = full_name_field()
    email = email_field("Work email address", "We will send you a link to confirm it.")
    organisation = organisation_field()
    organisation_other = organisation_other_field()
    sector = sector_field()
    job_role = job_role_field()
    password = new_password_field("Create a password")
    submit = SubmitField("Create account", widget=GovSubmitInput())


class ResendConfirmationForm(Form):
    email = email_field()
    submit = SubmitField("Send a new link", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = email_field()
    submit = SubmitField("Send me a reset link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = new_password_field("New password")
    confirm = confirm_password_field("password")
    submit = SubmitField("Change password", widget=GovSubmitInput())
