"""Filling the admin forms from the request: the choices each needs, and the page asked for."""

from __future__ import annotations

from flask import request

from trainer.models import Organisation, User

from . import queries
from .forms import AuditFilterForm, OrganisationForm, PeopleSearchForm, PersonForm, RolesForm


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int))


def query_without_page() -> dict[str, list[str]]:
    """The query string as it came (dates arrive as three values each), for links to pages."""
    return {key: request.args.getlist(key) for key in request.args if key != "page"}


def organisation_form(org: Organisation | None) -> OrganisationForm:
    form = OrganisationForm(obj=None)
    form.partnership.choices = [("", "None"), *queries.partnership_choices()]
    if org is not None and request.method == "GET":
        form.name.data, form.sector.data = org.name, org.sector
        form.partnership.data = str(org.partnership_id or "")
    return form


def fill_person_forms(person: User) -> tuple[PersonForm, RolesForm]:
    """The person's place and their roles: as submitted for the form posted, else as saved."""
    posted = request.endpoint if request.method == "POST" else ""
    form, roles = PersonForm(), RolesForm()
    form.organisation.choices = [("", "No organisation"), *queries.organisation_choices()]
    if posted != "admin.person":
        form.organisation.data = str(person.organisation_id or "")
        form.team.data = str(person.team_id or "")
        form.job_role.data = person.job_role
    chosen = form.organisation.data or ""
    team_org = int(chosen) if chosen.isdigit() else None
    form.team.choices = [("", "No team"), *queries.team_choices(team_org)]
    roles.organisations_led.choices = queries.organisation_choices()
    roles.partnerships_led.choices = queries.partnership_choices()
    if posted != "admin.roles":
        scopes = queries.scopes_of(person)
        roles.roles.data = sorted(person.role_names)
        roles.organisations_led.data = [str(s.organisation_id) for s in scopes if s.organisation_id]
        roles.partnerships_led.data = [str(s.partnership_id) for s in scopes if s.partnership_id]
    return form, roles


def audit_filters() -> tuple[AuditFilterForm, queries.AuditFilters]:
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "Anything"), *((a, a) for a in queries.audit_actions())]
    form.validate()
    ok = not form.errors
    return form, queries.AuditFilters(
        action=form.action.data or "",
        actor=form.actor.data or "",
        day_from=form.day_from.data if ok else None,
        day_to=form.day_to.data if ok else None,
    )


def people_filters() -> tuple[PeopleSearchForm, str, int | None]:
    """The people search from the query string: the form, the words searched, the organisation."""
    form = PeopleSearchForm(request.args)
    form.org.choices = [("", "All organisations"), *queries.organisation_choices()]
    form.validate()
    org = int(form.org.data) if (form.org.data or "").isdigit() else None
    return form, form.q.data or "", org
