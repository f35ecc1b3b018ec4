"""The CPD record page, reflections, activities done elsewhere, downloads and certificates."""

from datetime import date

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.exports.csv import write_csv
from trainer.exports.pdf import cpd_record_pdf
from trainer.extensions import current_catalogue, limiter
from trainer.web import download

from . import bp, certificates, queries, services
from .forms import ActivityForm, CheckCertificateForm, PeriodForm


def _record():
    form = PeriodForm(request.args)
    form.validate()
    return form, queries.record_for(current_catalogue(), current_user, form, date.today())


@bp.route("/cpd/")
@login_required
def record():
    form, view = _record()
    # The whole query string: dates arrive as three values each (day, month, year).
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    return render_template("cpd/record.html", form=form, view=view, query=query)


def _export_record(file_format: str):
    _form, view = _record()
    services.record_exported(current_user.id, file_format)
    return view


@bp.route("/cpd/record.csv")
@login_required
def record_csv():
    view = _export_record("csv")
    return download(
        write_csv(queries.CSV_HEADER, queries.csv_rows(view)), "text/csv", "cpd-record.csv"
    )


@bp.route("/cpd/record.pdf")
@login_required
def record_pdf():
    view = _export_record("pdf")
    body = cpd_record_pdf(queries.record_pdf_data(view, current_user.name))
    return download(body, "application/pdf", "cpd-record.pdf")


@bp.route("/cpd/entries/<key>/reflection", methods=["GET", "POST"])
@login_required
def reflection(key: str):
    catalogue = current_catalogue()
    entry = services.entry_or_404(catalogue, current_user.id, key)
    prompts = queries.prompts_for(queries.framework_of(catalogue, current_user))
    answers, errors = dict(entry.reflection), {}
    if request.method == "POST":
        answers = {p.id: request.form.get(p.id, "") for p in prompts}
        errors = services.reflection_problems(prompts, answers)
        if not errors:
            services.save_reflection(current_user.id, key, answers)
            flash("Your reflection has been saved.", "success")
            return redirect(url_for("cpd.record", _anchor=f"entry-{key}"))
    return render_template(
        "cpd/reflection.html", entry=entry, prompts=prompts, answers=answers, errors=errors
    )


@bp.route("/cpd/activities/new", methods=["GET", "POST"])
@login_required
def add_activity():
    form = ActivityForm()
    if form.validate_on_submit():
        services.add_activity(
            current_user.id,
            submit_token=form.submit_token.data,
            title=form.title.data,
            provider=form.provider.data,
            activity_type=form.activity_type.data,
            done_on=form.done_on.data,
            minutes=form.as_minutes(form.hours.data),
            participatory_minutes=form.as_minutes(form.participatory_hours.data),
            notes=form.notes.data,
        )
        flash("The activity has been added to your record.", "success")
        return redirect(url_for("cpd.record"))
    return render_template("cpd/activity.html", form=form)


@bp.route("/cpd/certificates/<course_id>.pdf")
@login_required
def certificate(course_id: str):
    completion = request.args.get("completion", type=int)
    body = certificates.certificate_pdf_for(current_user.id, course_id, completion)
    return download(body, "application/pdf", f"certificate-{course_id}.pdf")


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.route("/verify", methods=["GET"])
@limiter.limit(_verify_limit)
def check_certificate():
    form = CheckCertificateForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("cpd.verify", code=form.code.data))
    return render_template("cpd/check.html", form=form)


@bp.route("/verify/<code>.json")
@limiter.limit(_verify_limit)
def verify_json(code: str):
    verification = certificates.verify(code, date.today())
    if verification is None:
        return jsonify({"status": "unknown"}), 404
    return jsonify(verification.as_json())


@bp.route("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    verification = certificates.verify(code, date.today())
    if verification is None:
        return render_template("cpd/verify_unknown.html", code=code), 404
    return render_template("cpd/verify.html", verification=verification)
