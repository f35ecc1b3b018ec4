"""Read-side lookups on the catalogue; anything missing is a 404."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.content import AGE_GROUPS, SECTORS, Catalogue
from trainer.content.model import CaseExample, Course, Module, Question, Quiz
from trainer.formats import theme_label
from trainer.web import found_or_404


def course_or_404(catalogue: Catalogue, course_id: str) -> Course:
    return found_or_404(catalogue.courses.get(course_id))


@dataclass(frozen=True)
class ModulePage:
    course: Course
    module: Module
    previous: Module | None
    next: Module | None


def module_page_or_404(catalogue: Catalogue, course_id: str, module_id: str) -> ModulePage:
    course = course_or_404(catalogue, course_id)
    found_or_404(module_id if module_id in course.module_ids else None)
    position = course.module_ids.index(module_id)
    neighbours = [catalogue.modules[m] for m in course.module_ids]
    return ModulePage(
        course=course,
        module=neighbours[position],
        previous=neighbours[position - 1] if position > 0 else None,
        next=neighbours[position + 1] if position + 1 < len(neighbours) else None,
    )


def case_or_404(catalogue: Catalogue, case_id: str) -> CaseExample:
    return found_or_404(catalogue.cases.get(case_id))


@dataclass(frozen=True)
class CaseFilters:
    agency: str = ""
    age_group: str = ""
    theme: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CaseFilters:
        """Filters from a query string; values outside the known lists are ignored."""
        agency, age_group = args.get("agency", ""), args.get("age_group", "")
        return cls(
            agency=agency if agency in SECTORS else "",
            age_group=age_group if age_group in AGE_GROUPS else "",
            theme=args.get("theme", "").strip(),
        )

    def matches(self, case: CaseExample) -> bool:
        return (
            (not self.agency or self.agency in case.agencies)
            and (not self.age_group or self.age_group in case.age_groups)
            and (not self.theme or self.theme in case.themes)
        )


def filter_cases(catalogue: Catalogue, filters: CaseFilters) -> list[CaseExample]:
    return sorted(
        (case for case in catalogue.cases.values() if filters.matches(case)),
        key=lambda case: case.title,
    )


def case_themes(catalogue: Catalogue) -> dict[str, str]:
    """Every theme in the case library, slug to label, in label order."""
    slugs = sorted({theme for case in catalogue.cases.values() for theme in case.themes})
    return {slug: theme_label(slug) for slug in slugs}


def scenarios_for_case(catalogue: Catalogue, case_id: str) -> list:
    return [q for q in catalogue.quizzes.values() if q.case_example == case_id]


def quiz_or_404(catalogue: Catalogue, quiz_id: str) -> Quiz:
    return found_or_404(catalogue.quizzes.get(quiz_id))


def sees_facilitator_notes(user) -> bool:
    """Trainers (and admins, who check content) see the notes written for running sessions."""
    return bool(
        user and user.is_authenticated and (user.has_role("trainer") or user.has_role("admin"))
    )


def check_error_list(
    questions: Sequence[Question], problems: dict[str, str]
) -> list[dict[str, str]]:
    """The error summary of a knowledge check: each problem linked to its question as numbered."""
    numbers = {q.id: n for n, q in enumerate(questions, start=1)}
    return [
        {"text": f"Question {numbers[question_id]}: {message}", "href": f"#q-{question_id}"}
        for question_id, message in problems.items()
    ]
