"""Trainers' pages: their sessions, planning, booking, the register, summary and exports."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.extensions import current_catalogue, db
from trainer.models import audit
from trainer.web import download, found_or_404

from . import bp, exports, queries, services
from .forms import ConfirmForm, RegisterForm, SessionForm

bp.add_app_template_filter(exports.when, "session_when")


def _managed(session_id: int):
    return queries.managed_session_or_404(current_user, session_id)


def _session_form(session=None) -> SessionForm:
    form = SessionForm(
        current_catalogue(), queries.organisations(), queries.partnerships(), session=session
    )
    if session is not None and request.method == "GET":
        form.fill_from(session)
    elif session is None and request.method == "GET" and current_user.organisation_id:
        form.organisation_ids.data = [str(current_user.organisation_id)]
    return form


@bp.route("/sessions/")
@login_required
def index():
    upcoming, past = queries.sessions_run_by(current_user)
    return render_template(
        "facilitate/index.html",
        upcoming=upcoming,
        past=past,
        to_book=queries.sessions_to_book(current_user),
        bookings=queries.bookings_of(current_user),
        can_run=queries.can_run_sessions(current_user),
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def new():
    if not queries.can_run_sessions(current_user):
        abort(404)
    form = _session_form()
    if form.validate_on_submit():
        session = services.save_session(None, form, current_user)
        flash("The session has been created.", "success")
        return redirect(url_for("facilitate.session", session_id=session.id))
    return render_template("facilitate/form.html", form=form, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    session = _managed(session_id)
    form = _session_form(session)
    if form.validate_on_submit():
        services.save_session(session, form, current_user)
        flash("The session has been saved.", "success")
        return redirect(url_for("facilitate.session", session_id=session.id))
    return render_template("facilitate/form.html", form=form, session=session)


@bp.route("/sessions/<int:session_id>")
@login_required
def session(session_id: int):
    session = queries.visible_session_or_404(current_user, session_id)
    details = queries.session_page(current_catalogue(), current_user, session)
    return render_template(
        "facilitate/session.html", session=session, form=ConfirmForm(), **details
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(session_id: int):
    session = _managed(session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.cancel_session(session)
        flash("The session has been cancelled and everyone booked has been told.", "success")
        return redirect(url_for("facilitate.session", session_id=session.id))
    return render_template("facilitate/cancel.html", session=session, form=form)


@bp.route("/sessions/<int:session_id>/book", methods=["POST"])
@login_required
def book(session_id: int):
    session = queries.visible_session_or_404(current_user, session_id)
    if ConfirmForm().validate_on_submit() and queries.can_book(session):
        booking = services.book(session, current_user)
        flash(services.booked_message(booking), "success")
    return redirect(url_for("facilitate.session", session_id=session.id))


@bp.route("/sessions/<int:session_id>/booking/cancel", methods=["POST"])
@login_required
def cancel_booking(session_id: int):
    session = queries.visible_session_or_404(current_user, session_id)
    booking = found_or_404(queries.booking_of(current_user, session))
    if ConfirmForm().validate_on_submit():
        services.cancel_booking(booking)
        flash("Your booking has been cancelled.", "success")
    return redirect(url_for("facilitate.session", session_id=session.id))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@login_required
def calendar(session_id: int):
    session = queries.visible_session_or_404(current_user, session_id)
    return download(exports.calendar_file(session), "text/calendar", f"session-{session.id}.ics")


@bp.route("/sessions/<int:session_id>/register", methods=["GET", "POST"])
@login_required
def register(session_id: int):
    session = _managed(session_id)
    form = RegisterForm()
    if form.validate_on_submit() and form.user_id.data.isdigit():
        present = form.present.data == "yes"
        if services.mark_attendance(session, int(form.user_id.data), present):
            flash("The register has been updated.", "success")
        return redirect(url_for("facilitate.register", session_id=session.id))
    rows = queries.register_rows(session)
    return render_template("facilitate/register.html", session=session, rows=rows, form=form)


def _managed_page(session_id: int, name: str, build):
    """A page about one session the person manages, built from the catalogue and the session."""
    session = _managed(session_id)
    view = build(current_catalogue(), session)
    return render_template(f"facilitate/{name}.html", session=session, view=view)


@bp.route("/sessions/<int:session_id>/summary")
@login_required
def summary(session_id: int):
    return _managed_page(session_id, "summary", queries.summary_of)


@bp.route("/sessions/<int:session_id>/handouts")
@login_required
def handouts(session_id: int):
    return _managed_page(session_id, "handouts", queries.handouts_of)


@bp.route("/sessions/<int:session_id>/<any(register, summary):what>.<any(csv, pdf):file_format>")
@login_required
def export(session_id: int, what: str, file_format: str):
    session = _managed(session_id)
    body, mimetype = exports.export(current_catalogue(), session, what, file_format)
    audit.record(
        f"exported session {what}", current_user.id, session=session.id, format=file_format
    )
    db.session.commit()
    return download(body, mimetype, f"session-{session.id}-{what}.{file_format}")


@bp.route("/sessions/attendees")
@login_required
def attendees():
    if not queries.can_run_sessions(current_user):
        abort(404)
    people = queries.attendees_progress(current_catalogue(), current_user)
    return render_template("facilitate/attendees.html", people=people)
