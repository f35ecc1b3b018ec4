"""Home, health check, accessibility statement and privacy notice."""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from trainer.auth.data import delete_account as erase_account
from trainer.auth.data import export_personal_data
from trainer.auth.forms import DeleteAccountForm
from trainer.cpd.forms import FrameworkForm
from trainer.cpd.services import set_framework
from trainer.database import is_reachable
from trainer.extensions import current_catalogue, db
from trainer.learn.progress import continue_where_left_off, progress_in
from trainer.learn.queries import courses_for
from trainer.models import audit

from . import bp


@bp.route("/")
def home():
    catalogue = current_catalogue()
    if not current_user.is_authenticated:
        return render_template("main/home.html", courses=courses_for(catalogue, None))
    return render_template(
        "main/home.html",
        courses=courses_for(catalogue, current_user),
        progress={
            course.id: progress_in(catalogue, current_user.id, course)
            for course in catalogue.courses.values()
        },
        continuation=continue_where_left_off(catalogue, current_user.id),
    )


@bp.route("/healthz")
def healthz():
    database_ok = is_reachable(db.engine)
    body = {
        "status": "ok" if database_ok else "degraded",
        "database": "reachable" if database_ok else "unreachable",
        "content": current_catalogue().counts(),
    }
    return jsonify(body), 200 if database_ok else 503


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    catalogue = current_catalogue()
    form = FrameworkForm(
        framework=current_user.cpd_framework, cycle_start=current_user.cpd_cycle_start
    )
    form.framework.choices = [(f.id, f.name) for f in catalogue.frameworks.values()]
    if form.validate_on_submit():
        set_framework(current_user, form.framework.data, form.cycle_start.data)
        flash("Your CPD framework has been saved.", "success")
        return redirect(url_for("cpd.record"))
    return render_template("main/account.html", form=form)


@bp.route("/account/data.json")
@login_required
def account_data():
    audit.record("downloaded own data", actor_id=current_user.id)
    db.session.commit()
    response = jsonify(export_personal_data(current_user))
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            user = current_user._get_current_object()
            logout_user()
            erase_account(user)
            flash("Your account and everything in it have been deleted.", "success")
            return redirect(url_for("main.home"))
        form.password.errors.append("Enter your current password")
    return render_template("main/delete_account.html", form=form)


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")
