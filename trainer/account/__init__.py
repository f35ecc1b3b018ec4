"""A person's own account: profile, CPD framework, their data to download, deleting it all."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
