"""Register, confirm an email address, sign in and out, reset a forgotten password."""

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in

from trainer.extensions import limiter, login_manager
from trainer.models.people import organisation_choices

from . import bp, services
from .forms import (
    NewPasswordForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetRequestForm,
    SignInForm,
)

login_manager.user_loader(services.load_user)


@user_logged_in.connect
def start_session_clock(_app, user, **_extra) -> None:
    """A signed-in session lasts SESSION_HOURS at most, and ends after SESSION_IDLE_MINUTES idle."""
    session.permanent = True
    session["signed_in_at"] = session["seen_at"] = int(time.time())


@bp.before_app_request
def end_expired_session() -> None:
    if not current_user.is_authenticated:
        return
    now, config = int(time.time()), current_app.config
    idle = now - session.get("seen_at", 0) > config["SESSION_IDLE_MINUTES"] * 60
    too_long = now - session.get("signed_in_at", 0) > config["SESSION_HOURS"] * 3600
    if idle or too_long:
        logout_user()
        flash("You were signed out to keep your account safe. Sign in again to carry on.", "info")
    elif now - session["seen_at"] >= 60:  # the cookie is rewritten once a minute, not every time
        session["seen_at"] = now


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def _account_tried() -> str:
    """The account a sign-in tries, however its address is written: tries from many
    addresses against one account share one count."""
    return "account:" + request.form.get("email", "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only follow same-site paths after sign-in, never another host."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_tried)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        outcome = services.authenticate(form.email.data, form.password.data)
        if outcome.user:
            login_user(outcome.user)
            return redirect(_safe_next(request.args.get("next")))
        if outcome.needs_confirmation:
            return render_template("auth/check_email.html", reason="confirm")
        form.password.errors.append("Enter a correct email address and password")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.sign_out(current_user)
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    form = RegisterForm()
    form.set_organisations(organisation_choices())
    if form.validate_on_submit():
        services.register(
            form.email.data,
            form.name.data,
            form.password.data,
            form.organisation.data,
            form.organisation_other.data,
            form.sector.data,
            form.job_role.data,
        )
        return render_template("auth/check_email.html", reason="register", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>")
def confirm(token: str):
    user = services.confirm_email(token)
    if user is None:
        was_used = services.confirmation_link_was_used(token)
        return render_template(
            "auth/resend_confirmation.html", form=ResendConfirmationForm(), was_used=was_used
        ), 400
    login_user(user)
    flash("Your email address is confirmed and you are signed in.", "success")
    return redirect(url_for("main.home"))


def _ask_for_a_link(form, send, reason: str, template: str):
    """A form asking for an emailed link: once sent, the same page whoever the address is."""
    if form.validate_on_submit():
        send(form.email.data)
        return render_template("auth/check_email.html", reason=reason, email=form.email.data)
    return render_template(template, form=form)


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def resend_confirmation():
    return _ask_for_a_link(
        ResendConfirmationForm(),
        services.resend_confirmation,
        "resend",
        "auth/resend_confirmation.html",
    )


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset():
    return _ask_for_a_link(ResetRequestForm(), services.request_reset, "reset", "auth/reset.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def new_password(token: str):
    if not services.reset_link_is_usable(token):
        return render_template("auth/link_expired.html"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        login_user(user)
        flash("Your password has been changed and you are signed in.", "success")
        return redirect(url_for("main.home"))
    return render_template("auth/new_password.html", form=form)
