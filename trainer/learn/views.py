"""Course, module, case and glossary pages."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.content import AGE_GROUPS, SECTORS
from trainer.extensions import current_catalogue
from trainer.fragments import render_page
from trainer.progress import has_read, mark_module_read, progress_in, quizzes_finished_by

from . import bp
from .queries import (
    CaseFilters,
    case_or_404,
    case_themes,
    course_or_404,
    filter_cases,
    module_page_or_404,
    scenarios_for_case,
    sees_facilitator_notes,
)


def _progress(course):
    if not current_user.is_authenticated:
        return None
    return progress_in(current_catalogue(), current_user.id, course)


@bp.route("/courses/<course_id>")
def course(course_id: str):
    catalogue = current_catalogue()
    course = course_or_404(catalogue, course_id)
    return render_template(
        "learn/course.html",
        course=course,
        modules=catalogue.modules_of(course),
        progress=_progress(course),
        facilitator=sees_facilitator_notes(current_user),
    )


@bp.route("/courses/<course_id>/<module_id>")
def module(course_id: str, module_id: str):
    page = module_page_or_404(current_catalogue(), course_id, module_id)
    read = current_user.is_authenticated and has_read(current_user.id, course_id, module_id)
    facilitator = sees_facilitator_notes(current_user)
    return render_page(
        "learn/module.html",
        (course_id, module_id, read, facilitator),
        page=page,
        read=read,
        facilitator=facilitator,
    )


@bp.route("/courses/<course_id>/<module_id>/complete", methods=["POST"])
@login_required
def complete_module(course_id: str, module_id: str):
    page = module_page_or_404(current_catalogue(), course_id, module_id)
    mark_module_read(current_catalogue(), current_user.id, page.course, page.module)
    if page.next:
        return redirect(url_for("learn.module", course_id=course_id, module_id=page.next.id))
    return redirect(url_for("learn.course", course_id=course_id))


@bp.route("/cases/")
def cases():
    catalogue = current_catalogue()
    filters = CaseFilters.from_args(request.args)
    shown = filter_cases(catalogue, filters)
    return render_template(
        "learn/cases.html",
        cases=shown,
        scenarios={case.id: scenarios_for_case(catalogue, case.id) for case in shown},
        finished=quizzes_finished_by(current_user.id) if current_user.is_authenticated else set(),
        filters=filters,
        themes=case_themes(catalogue),
        agencies=SECTORS,
        age_groups=AGE_GROUPS,
    )


@bp.route("/cases/<case_id>")
def case(case_id: str):
    catalogue = current_catalogue()
    case = case_or_404(catalogue, case_id)
    facilitator = sees_facilitator_notes(current_user)
    return render_page(
        "learn/case.html",
        (case_id, facilitator),
        case=case,
        scenarios=scenarios_for_case(catalogue, case_id),
        facilitator=facilitator,
    )


@bp.route("/glossary")
def glossary():
    terms = sorted(current_catalogue().terms.values(), key=lambda term: term.term.lower())
    return render_page("learn/glossary.html", "glossary", terms=terms)
