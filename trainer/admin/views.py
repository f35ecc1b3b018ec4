"""Administrators' pages. Every view needs the admin role, checked once for the blueprint."""

from flask import abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required

from trainer.exports.csv import stream_csv
from trainer.formats import grouped_code
from trainer.web import download

from . import bp, imports, queries, services
from .forms import (
    CertificateSearchForm,
    ConfirmForm,
    LinkForm,
    MergeForm,
    PartnershipForm,
    ReasonForm,
    TeamForm,
    UploadForm,
)
from .pages import (
    audit_filters,
    fill_person_forms,
    organisation_form,
    page_number,
    people_filters,
    query_without_page,
)


@bp.before_request
@login_required
def admins_only():
    if not queries.is_admin(current_user):
        abort(403)


def _done(message: str, endpoint: str, **values):
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


@bp.route("/")
def index():
    return render_template(
        "admin/index.html",
        organisations=queries.organisations(),
        not_listed=queries.not_listed(),
        link_form=LinkForm().fill(queries.organisation_choices()),
    )


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    form = organisation_form(None)
    if form.validate_on_submit():
        try:
            org = services.save_organisation(
                None, form.name.data, form.sector.data, form.partnership.data
            )
        except services.AdminError as error:
            form.name.errors.append(str(error))
        else:
            return _done(f"{org.name} has been added.", "admin.organisation", org_id=org.id)
    return render_template(
        "admin/organisations.html", form=form, organisations=queries.organisations()
    )


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation(org_id: int):
    org = queries.organisation_or_404(org_id)
    form = organisation_form(org)
    if form.validate_on_submit():
        try:
            services.save_organisation(org, form.name.data, form.sector.data, form.partnership.data)
        except services.AdminError as error:
            form.name.errors.append(str(error))
        else:
            return _done(f"{org.name} has been saved.", "admin.organisation", org_id=org.id)
    return render_template(
        "admin/organisation.html",
        org=org,
        form=form,
        team_form=TeamForm(),
        merge_form=MergeForm().fill(queries.organisation_choices(leave_out=org.id)),
    )


@bp.route("/organisations/<int:org_id>/teams", methods=["POST"])
def add_team(org_id: int):
    org = queries.organisation_or_404(org_id)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            services.add_team(org, form.name.data)
        except services.AdminError as error:
            flash(str(error), "error")
        else:
            return _done(
                f"Team {form.name.data} has been added.", "admin.organisation", org_id=org.id
            )
    for message in form.name.errors:
        flash(message, "error")
    return redirect(url_for("admin.organisation", org_id=org.id, _anchor="teams"))


@bp.route("/organisations/<int:org_id>/merge", methods=["POST"])
def merge(org_id: int):
    duplicate = queries.organisation_or_404(org_id)
    form = MergeForm().fill(queries.organisation_choices(leave_out=duplicate.id))
    if not form.validate_on_submit():
        flash(form.choice.errors[0], "error")
        return redirect(url_for("admin.organisation", org_id=duplicate.id, _anchor="merge"))
    keep = queries.organisation_or_404(int(form.choice.data))
    name = duplicate.name
    services.merge_organisations(current_user, duplicate, keep)
    return _done(f"{name} has been merged into {keep.name}.", "admin.organisation", org_id=keep.id)


@bp.route("/not-listed", methods=["POST"])
def link_not_listed():
    typed = request.form.get("typed", "").strip()
    form = LinkForm().fill(queries.organisation_choices())
    if not typed or not form.validate_on_submit():
        flash("Select the organisation to link them to", "error")
        return redirect(url_for("admin.index", _anchor="not-listed"))
    org = queries.organisation_or_404(int(form.choice.data))
    count = services.link_not_listed(current_user, typed, org)
    return _done(
        f"{count} {'person' if count == 1 else 'people'} linked to {org.name}.", "admin.index"
    )


@bp.route("/partnerships", methods=["GET", "POST"])
def partnerships():
    form = PartnershipForm()
    if form.validate_on_submit():
        try:
            services.add_partnership(form.name.data)
        except services.AdminError as error:
            form.name.errors.append(str(error))
        else:
            return _done(f"{form.name.data} has been added.", "admin.partnerships")
    return render_template(
        "admin/partnerships.html", form=form, partnerships=queries.partnerships()
    )


def _paged(template: str, form, found: dict, pages: int, **values):
    """A page of a list, with what the pagination links need."""
    return render_template(
        template,
        form=form,
        pages=pages,
        page=page_number(),
        query=query_without_page(),
        **found,
        **values,
    )


@bp.route("/people")
def people():
    form, search, org = people_filters()
    found, pages = queries.people(search, org, page_number())
    return _paged("admin/people.html", form, {"people": found}, pages)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    person = queries.person_or_404(user_id)
    form, roles_form = fill_person_forms(person)
    if form.validate_on_submit():
        try:
            services.move_person(
                current_user, person, form.organisation.data, form.team.data, form.job_role.data
            )
        except services.AdminError as error:
            form.team.errors.append(str(error))
        else:
            return _done(f"{person.name} has been saved.", "admin.person", user_id=person.id)
    return _person_page(person, form, roles_form)


@bp.route("/people/<int:user_id>/roles", methods=["POST"])
def roles(user_id: int):
    person = queries.person_or_404(user_id)
    form, roles_form = fill_person_forms(person)
    if roles_form.validate_on_submit():
        try:
            services.set_roles(current_user, person, set(roles_form.roles.data), *roles_form.led())
        except services.AdminError as error:
            roles_form.roles.errors.append(str(error))
        else:
            return _done(
                f"Roles of {person.name} have been saved.", "admin.person", user_id=person.id
            )
    return _person_page(person, form, roles_form)


def _person_page(person, form, roles_form):
    return render_template(
        "admin/person.html", person=person, form=form, roles_form=roles_form, confirm=ConfirmForm()
    )


@bp.route("/people/<int:user_id>/<any(deactivate, reactivate):change>", methods=["POST"])
def set_active(user_id: int, change: str):
    person = queries.person_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_active(current_user, person, change == "reactivate")
        except services.AdminError as error:
            flash(str(error), "error")
            return redirect(url_for("admin.person", user_id=person.id))
    return _done(f"{person.name}'s account has been {change}d.", "admin.person", user_id=person.id)


@bp.route("/imports", methods=["GET", "POST"])
def imports_upload():
    request.max_content_length = imports.MAX_BYTES + imports.FORM_OVERHEAD
    form = UploadForm()
    if form.validate_on_submit():
        checked = imports.check_file(form.file.data.read(imports.MAX_BYTES + 1))
        if checked.problem:
            form.file.errors.append(checked.problem)
        else:
            batch = imports.save_preview(current_user, form.file.data.filename, checked)
            return render_template(
                "admin/import_preview.html", batch=batch, checked=checked, form=ConfirmForm()
            )
    return render_template("admin/imports.html", form=form)


@bp.route("/imports/<int:batch_id>", methods=["POST"])
def imports_confirm(batch_id: int):
    batch = queries.batch_or_404(batch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = imports.confirm(current_user, batch)
    if count is None:
        flash("This file was already imported: no one was added again.", "error")
        return redirect(url_for("admin.imports_upload"))
    return _done(
        f"{count} {'person' if count == 1 else 'people'} added and invited to set a password.",
        "admin.people",
    )


@bp.route("/certificates")
def certificates():
    form = CertificateSearchForm(request.args)
    form.validate()
    matches = queries.certificates(form.q.data or "")
    return render_template(
        "admin/certificates.html", form=form, matches=matches, searched=bool(form.q.data)
    )


@bp.route(
    "/certificates/<int:certificate_id>/<any(revoke, reissue):change>", methods=["GET", "POST"]
)
def certificate(certificate_id: int, change: str):
    certificate = queries.certificate_or_404(certificate_id)
    form = ReasonForm()
    if form.validate_on_submit():
        act = services.revoke_certificate if change == "revoke" else services.reissue_certificate
        try:
            act(current_user, certificate, form.reason.data)
        except services.AdminError as error:
            form.reason.errors.append(str(error))
        else:
            return _done(
                f"Certificate {grouped_code(certificate.code)} has been {change}d.",
                "admin.certificates",
                q=grouped_code(certificate.code),
            )
    return render_template(
        "admin/certificate.html", certificate=certificate, form=form, change=change
    )


@bp.route("/audit")
def audit_log():
    form, filters = audit_filters()
    rows, pages = queries.audit_page(filters, page_number())
    return _paged("admin/audit.html", form, {"rows": rows}, pages, when=services.when)


@bp.route("/audit.csv")
def audit_csv():
    _form, filters = audit_filters()
    services.record_audit_export(current_user, filters.as_audit())
    rows = (services.audit_csv_row(event, email) for event, email in queries.audit_rows(filters))
    return download(
        stream_with_context(stream_csv(services.AUDIT_HEADER, rows)), "text/csv", "audit-log.csv"
    )
