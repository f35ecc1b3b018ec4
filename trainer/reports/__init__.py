"""Reports for workforce leads: completion dashboards, the list of people, exports, reminders."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
