"""Trainers' sessions: planning and booking, joining by code, the register, live voting."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__)


@bp.record_once
def _answer_phone_polls_first(state) -> None:
    """Phones' state polls are answered in front of the app, without its per-request work."""
    from .polling import StatePoll

    state.app.wsgi_app = StatePoll(state.app, state.app.wsgi_app)


from . import room_views, views  # noqa: E402,F401  (routes attach themselves to bp)
