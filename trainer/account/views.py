"""A person's own account: profile and CPD framework, their data, deleting the account."""

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from trainer.extensions import current_catalogue, db
from trainer.models import audit
from trainer.web import download

from . import bp, services
from .forms import DeleteAccountForm, FrameworkForm


@bp.before_request
@login_required
def require_sign_in() -> None:
    """Every page here is about the person signed in."""


@bp.route("/account", methods=["GET", "POST"])
def profile():
    form = FrameworkForm(
        framework=current_user.cpd_framework, cycle_start=current_user.cpd_cycle_start
    )
    form.framework.choices = [(f.id, f.name) for f in current_catalogue().frameworks.values()]
    if form.validate_on_submit():
        services.set_framework(current_user, form.framework.data, form.cycle_start.data)
        flash("Your CPD framework has been saved.", "success")
        return redirect(url_for("cpd.record"))
    return render_template("account/profile.html", form=form)


@bp.route("/account/data.json")
def data():
    audit.record("downloaded own data", actor_id=current_user.id)
    db.session.commit()
    body = jsonify(services.export_personal_data(current_user)).get_data()
    return download(body, "application/json", "my-data.json")


@bp.route("/account/delete", methods=["GET", "POST"])
def delete():
    form = DeleteAccountForm(current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        logout_user()
        services.delete_account(user)
        flash("Your account and everything in it have been deleted.", "success")
        return redirect(url_for("main.home"))
    return render_template("account/delete.html", form=form)
