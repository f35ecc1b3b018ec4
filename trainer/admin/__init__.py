"""The administrators' area: organisations, partnerships, teams, people and roles, imports,
certificates and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
