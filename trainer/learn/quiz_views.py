"""Taking scenario quizzes and knowledge checks, and reviewing results."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.content.model import Quiz
from trainer.extensions import current_catalogue
from trainer.models import Attempt
from trainer.progress import completions_with
from trainer.quiz import AnswerError, parse_answers, review
from trainer.quiz.decisions import decision_count
from trainer.quiz.finals import shows_answers
from trainer.quiz.presentation import question_count

from . import attempts, bp
from .forms import DecisionRecordForm
from .queries import check_error_list, quiz_or_404


def _quiz(quiz_id: str) -> Quiz:
    return quiz_or_404(current_catalogue(), quiz_id)


@bp.route("/quizzes/<quiz_id>")
@login_required
def quiz(quiz_id: str):
    return _quiz_page(_quiz(quiz_id))


@bp.route("/quizzes/<quiz_id>/start", methods=["POST"])
@login_required
def start_quiz(quiz_id: str):
    quiz = _quiz(quiz_id)
    try:
        number = attempts.start_or_resume(current_catalogue(), current_user.id, quiz)
    except attempts.TooSoonToRetake:
        return _quiz_page(quiz), 409  # the page says from when they can try again
    return redirect(url_for("learn.attempt", quiz_id=quiz_id, number=number))


def _quiz_page(quiz: Quiz):
    earlier = attempts.attempts_for(current_user.id, quiz.id)
    return render_template(
        "learn/quiz.html",
        quiz=quiz,
        question_count=question_count(quiz),
        attempts=earlier,
        open_attempt=attempts.open_among(earlier, quiz),
        retake_from=attempts.retake_from(current_catalogue(), earlier, quiz),
    )


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
        number = attempt.number
        try:
            attempts.answer_step(
                current_catalogue(),
                quiz,
                attempt,
                request.form.get("step", ""),
                request.form.get("choice", ""),
            )
            return _to_next_page(quiz, number)
        except AnswerError as problem:
            error = str(problem)
    state = attempts.scenario_state(quiz, attempt)
    last = None
    if state.path:
        previous = quiz.step(state.path[-1].step_id)
        last = previous.choice(state.path[-1].choice_id)
    choices = attempts.presentation(quiz, attempt).choices(state.next_step)
    return render_template(
        "learn/scenario_step.html",
        quiz=quiz,
        state=state,
        last=last,
        choices=choices,
        decision=decision_count(quiz, state),
        error=error,
    )


def _check(quiz: Quiz, attempt: Attempt):
    problems: dict[str, str] = {}
    presentation = attempts.presentation(quiz, attempt)
    asked = presentation.questions(quiz)
    if request.method == "POST":
        answers, problems = parse_answers(asked, request.form.to_dict(flat=False))
        if not problems:
            number = attempt.number
            attempts.submit_check(current_catalogue(), quiz, attempt, answers)
            return _to_next_page(quiz, number)
    return render_template(
        "learn/check.html",
        quiz=quiz,
        questions=[(question, presentation.options(question)) for question in asked],
        errors=problems,
        error_list=check_error_list(asked, problems),
        given=request.form,
    )


def _to_next_page(quiz: Quiz, number: int):
    """Back to the attempt, which shows its next step or its result. The number is read
    before the answer is committed: reading it from the attempt after would load it again."""
    return redirect(url_for("learn.attempt", quiz_id=quiz.id, number=number))


def _result(quiz: Quiz, attempt: Attempt, form: DecisionRecordForm):
    given = attempts.given(attempt)
    is_scenario = quiz.kind == "scenario"
    asked = attempts.presentation(quiz, attempt).questions(quiz)
    return render_template(
        "learn/result.html",
        quiz=quiz,
        attempt=attempt,
        form=form,
        rows=review.path_against_best(quiz, given) if is_scenario else [],
        critical=review.critical_errors(quiz, given) if is_scenario else [],
        best_route=review.best_route(quiz) if is_scenario else [],
        reread=review.modules_to_reread(current_catalogue(), quiz, given),
        shows_answers=shows_answers(current_catalogue(), quiz.id, bool(attempt.passed)),
        completions=completions_with(current_catalogue(), attempt),
        reviews=[] if is_scenario else review.review_check(quiz, dict(given), asked),
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
