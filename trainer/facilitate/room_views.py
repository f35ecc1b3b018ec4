"""The room: opening a session, the presenter's screen, joining by code, voting and polling."""

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as cookie,
)
from flask_login import current_user, login_required

from trainer.extensions import current_catalogue, limiter
from trainer.web import external_url

from . import bp, exports, polling, queries, services
from .forms import ConfirmForm, FeedbackForm, JoinForm, LiveForm, VoteForm
from .live import state_payload


def _participant(session_id: int):
    """Who this browser joined a session as; a browser that did not join sees nothing."""
    joined = cookie.get("joined", {})
    return queries.participant_in(session_id, joined.get(str(session_id)))


def _participant_or_404(session_id: int):
    participant = _participant(session_id)
    if participant is None:
        abort(404)
    return participant


def _polled(payload: dict, version: str):
    """A JSON state with an ETag: a phone asking with the same one gets 304 and no body."""
    if request.if_none_match.contains(version):
        response = current_app.response_class(status=304)
    else:
        response = jsonify(payload)
    response.set_etag(version)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


@bp.route("/sessions/<int:session_id>/open", methods=["POST"])
@login_required
def open_session(session_id: int):
    session = queries.managed_session_or_404(current_user, session_id)
    if ConfirmForm().validate_on_submit():
        services.open_session(session)
    return redirect(url_for("facilitate.live", session_id=session.id))


@bp.route("/sessions/<int:session_id>/live", methods=["GET", "POST"])
@login_required
def live(session_id: int):
    session = queries.managed_session_or_404(current_user, session_id)
    form = LiveForm()
    if form.validate_on_submit() and form.version.data.isdigit():
        if not services.move(
            session, current_catalogue(), form.action.data, int(form.version.data)
        ):
            flash("The screen had already moved on: this is where the session is now.")
        return redirect(url_for("facilitate.live", session_id=session.id))
    view = queries.presenter_view(current_catalogue(), session)
    join_url = external_url("facilitate.join")
    return render_template("facilitate/live.html", session=session, view=view, join_url=join_url)


@bp.route("/sessions/<int:session_id>/live.json")
@login_required
def live_json(session_id: int):
    session = queries.managed_session_or_404(current_user, session_id)
    payload, digest = queries.presenter_state(current_catalogue(), session)
    return _polled(payload, digest)


@bp.route("/sessions/<int:session_id>/join-code.svg")
@login_required
def join_qr(session_id: int):
    session = queries.managed_session_or_404(current_user, session_id)
    return current_app.response_class(exports.join_qr_svg(session), mimetype="image/svg+xml")


WRONG_CODE = (
    "Enter the join code shown on the trainer's screen: 6 letters and numbers, like K7RM4Q. "
    "Codes stop working when the session ends"
)


def _join_limit() -> str:
    return current_app.config["JOIN_RATE_LIMIT"]


@bp.route("/join", methods=["GET", "POST"])
# Only wrong codes count: a whole room behind one address must be able to join at once.
@limiter.limit(
    _join_limit, methods=["POST"], deduct_when=lambda response: response.status_code != 302
)
def join():
    signed_in = current_user.is_authenticated
    form = JoinForm(
        is_guest=not signed_in,
        code=request.args.get("code", ""),
        agency=current_user.sector if signed_in else None,
    )
    if form.validate_on_submit():
        session = services.session_for_code(form.code.data)
        if session is not None:
            user = current_user if signed_in else None
            participant = services.join(session, user, form.display_name.data, form.agency.data)
            cookie["joined"] = {**cookie.get("joined", {}), str(session.id): participant.id}
            return redirect(url_for("facilitate.room", session_id=session.id))
        form.code.errors.append(WRONG_CODE)
    return render_template("facilitate/join.html", form=form), 400 if form.errors else 200


SENT = "Your answer has been sent. You can change it until voting closes."
CLOSED = "Voting on that question has closed: here is where the session is now."


def _vote_form(view, formdata=None) -> VoteForm:
    """The vote form for the stage shown, with the participant's own answer chosen."""
    mine = view.my_vote.choice_id if view.my_vote else None
    form = VoteForm(formdata=formdata, stage=view.stage_key, choice=mine)
    form.choice.choices = view.choices
    return form


def _stage_part(view, form, message: str = "", sent: bool = False):
    """Only the part of the room page that follows the presenter, for live.js to put in place."""
    part = render_template(
        "facilitate/_stage.html",
        view=view,
        form=form,
        as_part=True,
        message=message,
        message_sent=sent,
    )
    return part, {"Cache-Control": "no-store"}


@bp.route("/sessions/<int:session_id>/room", methods=["GET", "POST"])
def room(session_id: int):
    participant = _participant_or_404(session_id)
    as_part = request.args.get("part") == "stage"
    view = queries.room_view(current_catalogue(), participant, current_user)
    form = _vote_form(view, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        sent = services.vote(session_id, participant, form.stage.data, form.choice.data)
        if as_part:  # sent from live.js: answer with the part as it is now
            view = queries.room_view(current_catalogue(), participant, current_user)
            return _stage_part(view, _vote_form(view), SENT if sent else CLOSED, sent)
        if sent:
            flash(SENT, "success")
        else:
            flash(CLOSED)
        return redirect(url_for("facilitate.room", session_id=session_id))
    if as_part:
        return _stage_part(view, form)
    live_pass = polling.room_pass(current_app.secret_key, session_id)
    return render_template(
        "facilitate/room.html", view=view, form=form, claim=ConfirmForm(), live_pass=live_pass
    )


@bp.route("/sessions/<int:session_id>/state.json")
def state(session_id: int):
    # Phones with the room's pass are answered before this (polling.py); here the cookie
    # says who joined, so a phone that joined needs no database read but the state's.
    if str(session_id) not in cookie.get("joined", {}):
        queries.managed_session_or_404(current_user, session_id)
    row = queries.live_state(session_id)
    if row is None:
        abort(404)
    return _polled(state_payload(row), str(row.state_version))


@bp.route("/sessions/<int:session_id>/claim", methods=["POST"])
@login_required
def claim(session_id: int):
    participant = _participant_or_404(session_id)
    if ConfirmForm().validate_on_submit():
        own = services.claim(participant.session, participant, current_user)
        cookie["joined"] = {**cookie.get("joined", {}), str(session_id): own.id}
        flash("This session is now in your CPD record.", "success")
    return redirect(url_for("facilitate.room", session_id=session_id))


@bp.route("/sessions/<int:session_id>/feedback", methods=["GET", "POST"])
def feedback(session_id: int):
    participant = _participant_or_404(session_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        services.save_feedback(
            participant.session, participant, int(form.rating.data), form.comment.data
        )
        flash("Thank you: your feedback has been sent to the trainer.", "success")
        return redirect(url_for("facilitate.room", session_id=session_id))
    return render_template("facilitate/feedback.html", form=form, participant=participant)
