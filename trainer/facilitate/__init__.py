"""Trainers' sessions: planning and booking, joining by code, the register, live voting."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__)


from . import room_views, views  # noqa: E402,F401  (routes attach themselves to bp)
