"""A person's own account: profile and CPD framework, their data, deleting the account."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from trainer.extensions import current_catalogue, login_manager
from trainer.forms import OTHER_ORGANISATION
from trainer.models.people import organisation_choices
from trainer.web import download

from . import bp, changes, queries, services
from .forms import DeleteAccountForm, DetailsForm, EmailForm, FrameworkForm, PasswordForm


@bp.before_request
def require_sign_in():
    """Every page here is about the person signed in, except the link that confirms a new
    email address, which may be opened in another browser."""
    if not current_user.is_authenticated and request.endpoint != "account.confirm_email":
        return login_manager.unauthorized()
    return None


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
    return render_template(
        "account/profile.html", form=form, details=queries.profile_rows(current_user)
    )


@bp.route("/account/data.json")
def data():
    body = jsonify(services.download_personal_data(current_user)).get_data()
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


@bp.route("/account/details", methods=["GET", "POST"])
def details():
    user = current_user._get_current_object()
    # Given field by field: `obj=user` would fill the select with the Organisation object.
    form = DetailsForm(
        name=user.name,
        organisation=str(user.organisation_id or OTHER_ORGANISATION),
        organisation_other=user.organisation_other,
        sector=user.sector,
        job_role=user.job_role,
    )
    form.set_organisations(organisation_choices())
    if form.validate_on_submit():
        changes.update_details(user, form)
        flash("Your details have been saved.", "success")
        return redirect(url_for("account.profile"))
    return render_template("account/details.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
def email():
    form = EmailForm(current_user)
    if form.validate_on_submit():
        changes.request_email_change(current_user, form.email.data)
        return render_template("account/email_sent.html", email=form.email.data)
    return render_template("account/email.html", form=form)


@bp.route("/account/email/<token>")
def confirm_email(token: str):
    user = changes.confirm_email_change(token)
    if user is None:
        return render_template("account/email_link_expired.html"), 400
    flash(f"Your email address is now {user.email}.", "success")
    return redirect(url_for("account.profile" if current_user.is_authenticated else "auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    form = PasswordForm(current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        changes.change_password(user, form.new_password.data)
        login_user(user)  # this browser carries on; every other session has ended
        flash(
            "Your password has been changed. You have been signed out everywhere else.", "success"
        )
        return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)
