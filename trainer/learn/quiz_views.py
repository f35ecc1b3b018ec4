"""Taking scenario quizzes and knowledge checks, and reviewing results."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.content.model import Quiz
from trainer.extensions import current_catalogue
from trainer.models import Attempt
from trainer.quiz import AnswerError, parse_answers, review

from . import attempts, bp
from .forms import DecisionRecordForm
from .queries import check_error_list, quiz_or_404


def _quiz(quiz_id: str) -> Quiz:
    return quiz_or_404(current_catalogue(), quiz_id)


@bp.route("/quizzes/<quiz_id>")
@login_required
def quiz(quiz_id: str):
    quiz = _quiz(quiz_id)
    return render_template(
        "learn/quiz.html",
        quiz=quiz,
        attempts=attempts.attempts_for(current_user.id, quiz.id),
        open_attempt=attempts.open_attempt(current_user.id, quiz),
    )


@bp.route("/quizzes/<quiz_id>/start", methods=["POST"])
@login_required
def start_quiz(quiz_id: str):
    attempt = attempts.start_or_resume(current_user.id, _quiz(quiz_id))
    return redirect(url_for("learn.attempt", quiz_id=quiz_id, number=attempt.number))


@bp.route("/quizzes/<quiz_id>/attempts/<int:number>", methods=["GET", "POST"])
@login_required
def attempt(quiz_id: str, number: int):
    quiz = _quiz(quiz_id)
    attempt = attempts.attempt_or_404(current_user.id, quiz_id, number)
    if attempts.is_stale(attempt, quiz):
        return render_template("learn/quiz_changed.html", quiz=quiz)
    if attempt.is_finished:
        return _result(quiz, attempt, DecisionRecordForm(obj=attempt.decision_record))
    if quiz.kind == "scenario":
        return _scenario_step(quiz, attempt)
    return _check(quiz, attempt)


def _scenario_step(quiz: Quiz, attempt: Attempt):
    error = None
    if request.method == "POST":
        try:
            attempts.answer_step(
                current_catalogue(),
                quiz,
                attempt,
                request.form.get("step", ""),
                request.form.get("choice", ""),
            )
            return redirect(url_for("learn.attempt", quiz_id=quiz.id, number=attempt.number))
        except AnswerError as problem:
            error = str(problem)
    state = attempts.scenario_state(quiz, attempt)
    last = None
    if state.path:
        previous = quiz.step(state.path[-1].step_id)
        last = previous.choice(state.path[-1].choice_id)
    return render_template(
        "learn/scenario_step.html", quiz=quiz, attempt=attempt, state=state, last=last, error=error
    )


def _check(quiz: Quiz, attempt: Attempt):
    problems: dict[str, str] = {}
    if request.method == "POST":
        answers, problems = parse_answers(quiz.questions, request.form.to_dict(flat=False))
        if not problems:
            attempts.submit_check(current_catalogue(), quiz, attempt, answers)
            return redirect(url_for("learn.attempt", quiz_id=quiz.id, number=attempt.number))
    return render_template(
        "learn/check.html",
        quiz=quiz,
        attempt=attempt,
        errors=problems,
        error_list=check_error_list(quiz, problems),
        given=request.form,
    )


def _result(quiz: Quiz, attempt: Attempt, form: DecisionRecordForm):
    given = attempts.given(attempt)
    is_scenario = quiz.kind == "scenario"
    return render_template(
        "learn/result.html",
        quiz=quiz,
        attempt=attempt,
        form=form,
        rows=review.path_against_best(quiz, given) if is_scenario else [],
        critical=review.critical_errors(quiz, given) if is_scenario else [],
        best_route=review.best_route(quiz) if is_scenario else [],
        reread=review.modules_to_reread(current_catalogue(), quiz, given),
        reviews=[] if is_scenario else review.review_check(quiz, dict(given)),
    )


@bp.route("/quizzes/<quiz_id>/attempts/<int:number>/record", methods=["POST"])
@login_required
def decision_record(quiz_id: str, number: int):
    quiz = _quiz(quiz_id)
    attempt = attempts.attempt_or_404(current_user.id, quiz_id, number)
    form = DecisionRecordForm()
    if not attempt.is_finished or quiz.kind != "scenario":
        return redirect(url_for("learn.attempt", quiz_id=quiz_id, number=number))
    if form.validate_on_submit():
        attempts.save_decision_record(attempt, form.data)
        return redirect(
            url_for("learn.attempt", quiz_id=quiz_id, number=number, _anchor="compare-records")
        )
    return _result(quiz, attempt, form)
