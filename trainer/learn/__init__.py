"""Courses, modules, the case library and the glossary."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

from . import quiz_views, views  # noqa: E402,F401  (routes attach themselves to bp)
