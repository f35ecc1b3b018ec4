"""The CPD record, certificates and their public verification."""

from flask import Blueprint

bp = Blueprint("cpd", __name__)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
