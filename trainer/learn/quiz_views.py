"""Taking scenario quizzes and knowledge checks, and reviewing results."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.content.model import Quiz
from trainer.extensions import current_catalogue
from trainer.quiz import AnswerError, parse_answers, review

from . import attempts, bp
from .forms import DecisionRecordForm
from .queries import check_error_list, quiz_or_404


def _quiz(quiz_id: str) -> Quiz:
    return quiz_or_404(current_catalogue(), quiz_id)


@bp.route("/quizzes/<quiz_id>")
@login_required
def quiz(quiz_id: str):
    found = _quiz(quiz_id)
    return render_template(
        "learn/quiz.html",
        quiz=found,
        attempts=attempts.attempts_for(current_user.id, found.id),
        open_attempt=attempts.open_attempt(current_user.id, found),
    )


@bp.route("/quizzes/<quiz_id>/start", methods=["POST"])
@login_required
def start_quiz(quiz_id: str):
    attempt = attempts.start_or_resume(current_user.id, _quiz(quiz_id))
    return redirect(url_for("learn.attempt", quiz_id=quiz_id, number=attempt.number))


@bp.route("/quizzes/<quiz_id>/attempts/<int:number>", methods=["GET", "POST"])
@login_required
def attempt(quiz_id: str, number: int):
    found = _quiz(quiz_id)
    taken = attempts.attempt_or_404(current_user.id, quiz_id, number)
    if attempts.is_stale(taken, found):
        return render_template("learn/quiz_changed.html", quiz=found)
    if taken.is_finished:
        return _result(found, taken, DecisionRecordForm(obj=taken.decision_record))
    if found.kind == "scenario":
        return _scenario_step(found, taken)
    return _check(found, taken)


def _scenario_step(found: Quiz, taken):
    error = None
    if request.method == "POST":
        try:
            attempts.answer_step(
                current_catalogue(),
                found,
                taken,
                request.form.get("step", ""),
                request.form.get("choice", ""),
            )
            return redirect(url_for("learn.attempt", quiz_id=found.id, number=taken.number))
        except AnswerError as problem:
            error = str(problem)
    state = attempts.scenario_state(found, taken)
    last = None
    if state.path:
        previous = found.step(state.path[-1].step_id)
        last = previous.choice(state.path[-1].choice_id)
    return render_template(
        "learn/scenario_step.html", quiz=found, attempt=taken, state=state, last=last, error=error
    )


def _check(found: Quiz, taken):
    problems: dict[str, str] = {}
    if request.method == "POST":
        answers, problems = parse_answers(found.questions, request.form.to_dict(flat=False))
        if not problems:
            attempts.submit_check(current_catalogue(), found, taken, answers)
            return redirect(url_for("learn.attempt", quiz_id=found.id, number=taken.number))
    return render_template(
        "learn/check.html",
        quiz=found,
        attempt=taken,
        errors=problems,
        error_list=check_error_list(found, problems),
        given=request.form,
    )


def _result(found: Quiz, taken, form: DecisionRecordForm):
    given = attempts.given(taken)
    is_scenario = found.kind == "scenario"
    return render_template(
        "learn/result.html",
        quiz=found,
        attempt=taken,
        form=form,
        rows=review.path_against_best(found, given) if is_scenario else [],
        critical=review.critical_errors(found, given) if is_scenario else [],
        best_route=review.best_route(found) if is_scenario else [],
        reread=review.modules_to_reread(current_catalogue(), found, given),
        reviews=[] if is_scenario else review.review_check(found, dict(given)),
    )


@bp.route("/quizzes/<quiz_id>/attempts/<int:number>/record", methods=["POST"])
@login_required
def decision_record(quiz_id: str, number: int):
    found = _quiz(quiz_id)
    taken = attempts.attempt_or_404(current_user.id, quiz_id, number)
    form = DecisionRecordForm()
    if not taken.is_finished or found.kind != "scenario":
        return redirect(url_for("learn.attempt", quiz_id=quiz_id, number=number))
    if form.validate_on_submit():
        attempts.save_decision_record(taken, form.data)
        return redirect(
            url_for("learn.attempt", quiz_id=quiz_id, number=number, _anchor="compare-records")
        )
    return _result(found, taken, form)
