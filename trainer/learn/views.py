"""Course, module, case and glossary pages."""

from flask import current_app, render_template, request

from trainer.content import AGE_GROUPS, SECTORS

from . import bp
from .queries import (
    CaseFilters,
    case_or_404,
    case_themes,
    course_or_404,
    filter_cases,
    module_page_or_404,
    scenarios_for_case,
)


def _catalogue():
    return current_app.extensions["catalogue"]


@bp.route("/courses/<course_id>")
def course(course_id: str):
    catalogue = _catalogue()
    found = course_or_404(catalogue, course_id)
    return render_template("learn/course.html", course=found, modules=catalogue.modules_of(found))


@bp.route("/courses/<course_id>/<module_id>")
def module(course_id: str, module_id: str):
    page = module_page_or_404(_catalogue(), course_id, module_id)
    return render_template("learn/module.html", page=page)


@bp.route("/cases/")
def cases():
    catalogue = _catalogue()
    filters = CaseFilters.from_args(request.args)
    return render_template(
        "learn/cases.html",
        cases=filter_cases(catalogue, filters),
        filters=filters,
        themes=case_themes(catalogue),
        agencies=SECTORS,
        age_groups=AGE_GROUPS,
    )


@bp.route("/cases/<case_id>")
def case(case_id: str):
    catalogue = _catalogue()
    found = case_or_404(catalogue, case_id)
    return render_template(
        "learn/case.html", case=found, scenarios=scenarios_for_case(catalogue, case_id)
    )


@bp.route("/glossary")
def glossary():
    terms = sorted(_catalogue().terms.values(), key=lambda term: term.term.lower())
    return render_template("learn/glossary.html", terms=terms)
