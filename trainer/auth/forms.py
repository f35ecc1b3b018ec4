"""Forms for registering, signing in and resetting a password."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSubmitInput,
)
from wtforms import PasswordField, SubmitField
from wtforms.validators import InputRequired

from trainer import forms
from trainer.web import Form


class SignInForm(Form):
    email = forms.email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RegisterForm(forms.ChoosesOrganisation, Form):
    name = forms.full_name_field()
    email = forms.email_field("Work email address", "We will send you a link to confirm it.")
    organisation = forms.organisation_field()
    organisation_other = forms.organisation_other_field()
    sector = forms.sector_field()
    job_role = forms.job_role_field()
    password = forms.new_password_field("Create a password")
    submit = SubmitField("Create account", widget=GovSubmitInput())


class ResendConfirmationForm(Form):
    email = forms.email_field()
    submit = SubmitField("Send a new link", widget=GovSubmitInput())


class ResetRequestForm(Form):
    email = forms.email_field()
    submit = SubmitField("Send me a reset link", widget=GovSubmitInput())


class NewPasswordForm(Form):
    password = forms.new_password_field("New password")
    confirm = forms.confirm_password_field("password")
    submit = SubmitField("Change password", widget=GovSubmitInput())
