"""Forms for administrators: organisations, partnerships, teams, people, imports, certificates."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional, ValidationError

from trainer.content import SECTORS
from trainer.forms import (
    Checkboxes,
    QueryForm,
    select_field,
    text_field,
)
from trainer.models import ROLES
from trainer.web import DayField, Form, has_hidden_characters


def name_field(label: str, what: str) -> StringField:
    return text_field(label, 200, f"Enter the name of the {what}")


def _choice_is_known(field) -> None:
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(field.validators[0].message)


class ChoiceForm(Form):
    """A form with one select of organisations, filled when it is made."""

    def fill(self, choices: list[tuple[str, str]]):
        self.choice.choices = [("", "Select an organisation"), *choices]
        return self

    def validate_choice(self, field) -> None:
        _choice_is_known(field)


class OrganisationForm(Form):
    name = name_field("Name", "organisation")
    sector = select_field(
        "Agency type", "Select the agency type", choices=[("", "Select"), *SECTORS.items()]
    )
    partnership = SelectField("Partnership", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Save organisation", widget=GovSubmitInput())

    def validate_sector(self, field) -> None:
        if field.data not in SECTORS:
            raise ValidationError("Select the agency type")


class PartnershipForm(Form):
    name = name_field("Name", "partnership")
    submit = SubmitField("Add partnership", widget=GovSubmitInput())


class TeamForm(Form):
    name = name_field("Team name", "team")
    submit = SubmitField("Add team", widget=GovSubmitInput())


class MergeForm(ChoiceForm):
    choice = select_field(
        "Merge into",
        "Select the organisation to keep",
        description="Everyone, every team and every lead's access moves there; this organisation is then removed.",
    )
    submit = SubmitField("Merge organisations", widget=GovSubmitInput())


class LinkForm(ChoiceForm):
    choice = select_field("Link to", "Select the organisation to link them to")
    submit = SubmitField("Link", widget=GovSubmitInput())


class PersonForm(Form):
    organisation = SelectField("Organisation", widget=GovSelect(), validate_choice=False)
    team = SelectField(
        "Team",
        widget=GovSelect(),
        validate_choice=False,
        description="Teams of the organisation chosen above.",
    )
    job_role = text_field("Job role", 200)
    submit = SubmitField("Save", widget=GovSubmitInput())

    # A form sent without a choice is refused: read as "none", it would move the person out.
    def validate_organisation(self, field) -> None:
        if not field.raw_data:
            raise ValidationError("Select an organisation, or no organisation")

    def validate_team(self, field) -> None:
        if not field.raw_data:
            raise ValidationError("Select a team, or no team")


class RolesForm(Form):
    roles = Checkboxes("Roles", choices=list(ROLES.items()))
    organisations_led = Checkboxes(
        "Organisations they lead", description="Only for workforce leads. Their own is included."
    )
    partnerships_led = Checkboxes(
        "Partnerships they lead", description="A partnership lead sees all its organisations."
    )
    submit = SubmitField("Save roles", widget=GovSubmitInput())

    def validate_roles(self, field) -> None:
        if not field.data:
            raise ValidationError("Select at least one role")
        if set(field.data) - set(ROLES):
            raise ValidationError("Select roles from the list")

    def led(self) -> tuple[set[int], set[int]]:
        """The organisations and the partnerships chosen for them to lead, by id."""
        return _ids(self.organisations_led.data), _ids(self.partnerships_led.data)


def _ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


class ConfirmForm(Form):
    """A button that needs nothing but the person's say-so (and a CSRF token)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class UploadForm(Form):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="Columns: name, email, organisation, team, job role, roles. Save it as CSV UTF-8.",
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())

    def validate_file(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a CSV file")
        if has_hidden_characters(field.data.filename):
            raise ValidationError(
                "Remove the hidden characters (control characters or text-direction marks) "
                "from the file's name, then upload it again"
            )


class ReasonForm(Form):
    reason = text_field(
        "Reason", 500, "Enter the reason", description="Kept in the audit log.", multiline=True
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())


def search_field(label: str) -> StringField:
    return text_field(label, 254, called="Search")


class CertificateSearchForm(QueryForm):
    q = search_field("Verification code or email address")


class PeopleSearchForm(QueryForm):
    q = search_field("Name or email address")
    org = SelectField("Organisation", widget=GovSelect(), validate_choice=False)


class AuditFilterForm(QueryForm):
    action = SelectField("What happened", widget=GovSelect(), validate_choice=False)
    actor = text_field("Who (email address)", 254, called="Email address")
    day_from = DayField("From", description="For example, 1 4 2026", validators=[Optional()])
    day_to = DayField("To", description="For example, 30 4 2026", validators=[Optional()])

    def validate_day_to(self, field) -> None:
        if field.data and self.day_from.data and field.data < self.day_from.data:
            raise ValidationError("To must be the same as or after from")
