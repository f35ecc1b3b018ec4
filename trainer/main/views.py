"""Home, health check, accessibility statement and privacy notice."""

from flask import current_app, jsonify, render_template
from flask_login import current_user

from trainer.database import is_reachable
from trainer.extensions import current_catalogue, db
from trainer.fragments import render_page
from trainer.models import User
from trainer.progress import courses_for, home_for

from . import bp


@bp.route("/")
def home():
    catalogue = current_catalogue()
    if not current_user.is_authenticated:
        return render_page("main/home.html", "home", courses=courses_for(catalogue, None))
    home = home_for(catalogue, current_user.id)
    return render_template(
        "main/home.html",
        courses=courses_for(catalogue, current_user),
        progress=home.progress,
        continuation=home.continuation,
        announced=home.announced,
    )


@bp.route("/healthz")
def healthz():
    database_ok = is_reachable(db.engine, User.__table__)
    body = {
        "status": "ok" if database_ok else "degraded",
        "database": "reachable" if database_ok else "unreachable",
        "content": current_catalogue().counts(),
    }
    return jsonify(body), 200 if database_ok else 503


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
def privacy():
    config = current_app.config
    retention = {
        "account_years": config["ACCOUNT_RETENTION_YEARS"],
        "guest_days": config["GUEST_RETENTION_DAYS"],
        "audit_years": config["AUDIT_RETENTION_YEARS"],
    }
    return render_template("main/privacy.html", retention=retention)
