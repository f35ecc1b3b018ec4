"""The home page, health check and the service's own information pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
