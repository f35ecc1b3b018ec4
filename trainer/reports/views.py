"""The dashboard, the list of people behind it, its exports and reminders."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required

from trainer.content import SECTORS
from trainer.extensions import current_catalogue
from trainer.web import download, found_or_404

from . import bp, queries, services
from .forms import FilterForm, ReminderForm


@bp.before_request
@login_required
def leads_only():
    """Reports are for workforce leads (and administrators); anyone else is refused."""
    if not queries.can_see_reports(current_user):
        abort(403)


def _chosen():
    """The filter form from the query string and the scope it leaves, or "not found"."""
    catalogue = current_catalogue()
    courses = [(course.id, course.title) for course in catalogue.courses.values()]
    form = FilterForm(request.args).fill(courses, queries.filter_choices(current_user))
    form.validate()
    filters = form.filters(page=request.args.get("page", 1, type=int))
    scope = queries.scope_for(current_user, catalogue, filters, date.today())
    return form, found_or_404(scope)


@bp.route("/reports/")
def dashboard():
    form, scope = _chosen()
    catalogue = current_catalogue()
    figures = queries.summary(catalogue, scope, SECTORS)
    return render_template(
        "reports/dashboard.html",
        form=form,
        scope=scope,
        figures=figures,
        people=queries.page_of_rows(catalogue, scope, figures.overall.total),
        rows=lambda page: list(services.person_rows(catalogue, page.rows)),
        query=services.query_args(scope.filters),
        reminder=ReminderForm(),
    )


@bp.route("/reports/cases/")
def cases():
    _form, scope = _chosen()
    catalogue = current_catalogue()
    return render_template(
        "reports/cases.html",
        lines=services.case_list(catalogue, scope),
        filters=services.filters_in_words(catalogue, scope.filters, with_status=False),
        query=services.query_args(scope.filters),
    )


@bp.route("/reports/cases/<case_id>")
def case(case_id: str):
    _form, scope = _chosen()
    catalogue = current_catalogue()
    scenarios = services.case_report(catalogue, scope, case_id)
    return render_template(
        "reports/case.html",
        case=found_or_404(catalogue.cases[case_id] if scenarios else None),
        scenarios=scenarios,
        filters=services.filters_in_words(catalogue, scope.filters, with_status=False),
        query=services.query_args(scope.filters),
    )


@bp.route("/reports/completions.<any(csv, xlsx, pdf):file_format>")
def export(file_format: str):
    _form, scope = _chosen()
    mimetype, write = services.EXPORTS[file_format]
    body = write(current_user, current_catalogue(), scope)
    if file_format == "csv":
        body = stream_with_context(body)
    return download(body, mimetype, f"completions-{scope.today.isoformat()}.{file_format}")


@bp.route("/reports/reminders", methods=["POST"])
def remind():
    _form, scope = _chosen()
    if ReminderForm().validate_on_submit():
        count = services.send_reminders(current_user, current_catalogue(), scope, scope.today)
        flash(f"Reminder sent to {count} {'person' if count == 1 else 'people'}.", "success")
    return redirect(url_for("reports.dashboard", **services.query_args(scope.filters)))
