"""Reads a content folder into a validated Catalogue, collecting every problem at once.

This module says which files are read, in what order, and checks what spans several files;
each format is parsed in its own module: files, links, library, courses, cases, quizzes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .cases import parse_case
from .context import Context
from .courses import MODULE_FILE, CourseFolder, parse_course
from .files import Doc, Reader, read_front_matter, read_if_present, read_markdown, read_yaml
from .library import (
    DISCLAIMER,
    FRAMEWORKS,
    GLOSSARY,
    PRINCIPLES,
    parse_frameworks,
    parse_principles,
    parse_terms,
    render_disclaimer,
)
from .links import LinkIndex
from .model import CaseExample, Catalogue, Course, Module, Quiz
from .prerender import prerender
from .problems import ContentError
from .quizzes import parse_quiz

COURSES = "modules"
QUIZZES = "quizzes"
CASES = "case_examples"


@dataclass
class _Files:
    """Every content file that was read; files that could not be read are problems instead."""

    glossary: Doc | None
    principles: Doc | None
    frameworks: Doc | None
    disclaimer: Doc | None
    courses: list[CourseFolder]
    cases: list[Doc]
    quizzes: list[Doc]


def validate_folder(root: Path, links: Mapping[str, str], version: str) -> Catalogue:
    """Load and validate every content file under root; raise ContentError listing all problems."""
    ctx = Context(root, LinkIndex(links))
    for folder in (COURSES, QUIZZES, CASES):
        if not (ctx.root / folder).is_dir():
            ctx.report(folder, "", f"folder is missing from {ctx.root}")
    if ctx.problems:
        raise ContentError(ctx.problems)
    files = _read_files(ctx)
    _index_links(ctx.links, files)
    ctx.rendered = prerender(_markdown_texts(files), ctx.links.resolve)
    catalogue = _parse(ctx, files, version)
    check_principle_modules(ctx, catalogue)
    check_critical_choices(ctx, catalogue)
    check_pools(ctx, catalogue)
    if ctx.problems:
        raise ContentError(ctx.problems)
    return catalogue


def _read_files(ctx: Context) -> _Files:
    return _Files(
        glossary=read_if_present(ctx, GLOSSARY, read_yaml),
        principles=read_if_present(ctx, PRINCIPLES, read_yaml),
        frameworks=read_if_present(ctx, FRAMEWORKS, read_yaml),
        disclaimer=read_if_present(ctx, DISCLAIMER, read_markdown),
        courses=[c for path in _course_folders(ctx) if (c := _read_course_folder(ctx, path))],
        cases=_read_each(ctx, CASES, "*.md", read_front_matter),
        quizzes=_read_each(ctx, QUIZZES, "*.yaml", read_yaml),
    )


def _read_each(ctx: Context, folder: str, pattern: str, reader: Reader) -> list[Doc]:
    return [doc for path in sorted((ctx.root / folder).glob(pattern)) if (doc := reader(ctx, path))]


def _course_folders(ctx: Context) -> list[Path]:
    return sorted(path for path in (ctx.root / COURSES).iterdir() if path.is_dir())


def _read_course_folder(ctx: Context, folder: Path) -> CourseFolder | None:
    course_file = folder / "course.yaml"
    if not course_file.exists():
        ctx.report(ctx.name(folder), "", "course folder has no course.yaml")
        return None
    course_doc = read_yaml(ctx, course_file)
    modules = []
    for path in sorted(folder.glob("*.md")):
        match = MODULE_FILE.match(path.name)
        if not match:
            ctx.report(ctx.name(path), "", "module file name must look like NN-<module-id>.md")
        elif doc := read_front_matter(ctx, path):
            modules.append((match.group("id"), doc))
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix not in (".md", ".yaml"):
            ctx.report(ctx.name(path), "", "unexpected file in a course folder")
    return CourseFolder(course_doc, modules) if course_doc else None


def _index_links(links: LinkIndex, files: _Files) -> None:
    if files.glossary:
        links.add_terms(files.glossary.meta)
    for folder in files.courses:
        for _, doc in folder.modules:
            links.add_module(doc.meta, folder.course.meta)
    for doc in files.cases:
        links.add_case(doc.meta)


# The fields the parsers render as Markdown (render_field and render_text). One left out here
# is rendered when it is parsed, as before: only slower.
MARKDOWN_FIELDS = frozenset({"text", "feedback", "facilitator_notes", "definition", "summary"})


def _markdown_texts(files: _Files) -> list[str]:
    """The Markdown the parsers will render: the bodies of every module and case example and
    of the disclaimer, and the Markdown fields of every file, stripped as the parsers read them."""
    docs = [doc for folder in files.courses for _, doc in folder.modules] + files.cases
    fielded = [*docs, *files.quizzes, files.glossary, files.principles]
    fielded += [folder.course for folder in files.courses]
    bodies = [doc.body for doc in [*docs, files.disclaimer] if doc]
    return bodies + [text for doc in fielded if doc for text in _fields_in(doc.meta)]


def _fields_in(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in MARKDOWN_FIELDS and isinstance(value, str):
                yield value.strip()
            else:
                yield from _fields_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _fields_in(item)


def _parse(ctx: Context, files: _Files, version: str) -> Catalogue:
    principles = parse_principles(ctx, files.principles)
    quizzes: dict[str, Quiz] = ctx.unique(
        "quiz", ((doc.name, "id", parse_quiz(ctx, doc, principles)) for doc in files.quizzes)
    )
    cases: dict[str, CaseExample] = ctx.unique(
        "case example", ((doc.name, "id", parse_case(ctx, doc, principles)) for doc in files.cases)
    )
    courses, modules = _parse_courses(ctx, files.courses, cases, quizzes)
    return Catalogue(
        courses=courses,
        modules=modules,
        cases=cases,
        quizzes=quizzes,
        terms=parse_terms(ctx, files.glossary),
        principles=principles,
        frameworks=parse_frameworks(ctx, files.frameworks),
        disclaimer_html=render_disclaimer(ctx, files.disclaimer),
        version=version,
    )


def _parse_courses(
    ctx: Context,
    folders: list[CourseFolder],
    cases: Mapping[str, CaseExample],
    quizzes: Mapping[str, Quiz],
) -> tuple[dict[str, Course], dict[str, Module]]:
    """Courses in the order learners see them (position, then title), and modules by id."""
    courses: dict[str, Course] = {}
    found = []
    for folder in folders:
        course, modules = parse_course(ctx, folder, cases, quizzes)
        courses[course.id] = course
        found.extend(
            (doc.name, "id", module)
            for (_, doc), module in zip(folder.modules, modules, strict=True)
        )
    ordered = sorted(courses.items(), key=lambda item: (item[1].position, item[1].title))
    return dict(ordered), ctx.unique("module", found)


def check_principle_modules(ctx: Context, catalogue: Catalogue) -> None:
    """Each principle or decision question names a module that exists."""
    for principle in catalogue.principles.values():
        if principle.module_id and principle.module_id not in catalogue.modules:
            ctx.report(PRINCIPLES, principle.id, f"module {principle.module_id!r} does not exist")


def check_critical_choices(ctx: Context, catalogue: Catalogue) -> None:
    """A scenario on a case with a risk of harm must mark the choices that fail it."""
    for quiz in catalogue.quizzes.values():
        case = catalogue.cases.get(quiz.case_example or "")
        if (
            case
            and case.has_risk_of_harm
            and not any(choice.is_critical for step in quiz.steps for choice in step.choices)
        ):
            ctx.report(
                f"{QUIZZES}/{quiz.id}.yaml",
                "steps",
                f"case {case.id!r} has a risk of harm, so at least one choice must be "
                "marked 'critical: true' with a 'critical_reason'",
            )


def check_pools(ctx: Context, catalogue: Catalogue) -> None:
    """A pool's outcomes are the modules of the courses it completes, each with enough questions
    for every draw."""
    for quiz in catalogue.quizzes.values():
        if not quiz.is_pool:
            continue
        courses = [c for c in catalogue.courses.values() if quiz.id in c.completion_quizzes]
        outcomes = {m for course in courses for m in course.module_ids}
        file = f"{QUIZZES}/{quiz.id}.yaml"
        if not courses:
            ctx.report(file, "draw_per_outcome", "only a course's final assessment draws a pool")
        for index, question in enumerate(quiz.questions):
            if question.outcome and question.outcome not in outcomes:
                ctx.report(
                    file,
                    f"questions[{index}].outcome",
                    f"expected a module of the course this assessment completes, "
                    f"got {question.outcome!r}",
                )
        for outcome in sorted(outcomes):
            count = sum(q.outcome == outcome for q in quiz.questions)
            if count < quiz.draw_per_outcome:
                ctx.report(
                    file,
                    "questions",
                    f"outcome {outcome!r} has {count} question(s); each draw needs "
                    f"{quiz.draw_per_outcome}",
                )
