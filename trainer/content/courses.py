"""Course folders: a course.yaml and the NN-<module-id>.md module files it lists."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .context import Context
from .fields import Fields
from .files import Doc
from .library import parse_sources
from .links import render_body, render_field
from .model import SECTORS, Course, Module

MODULE_FILE = re.compile(r"^(?P<position>\d{2})-(?P<id>.+)\.md$")


@dataclass
class CourseFolder:
    course: Doc
    modules: list[tuple[str, Doc]] = field(default_factory=list)  # (id from file name, file)


def parse_course(
    ctx: Context, folder: CourseFolder, cases: Collection[str], quizzes: Collection[str]
) -> tuple[Course, list[Module]]:
    """The course and its modules, in the order of the module files."""
    doc = folder.course
    f = doc.fields(ctx)
    f.only(
        "id", "title", "summary", "audience", "modules", "completion", "cpd_minutes",
        "validity_months", "last_reviewed", "facilitator_notes", "position", "retake_wait_hours",
    )  # fmt: skip
    course_id = f.id_matching(doc.path.parent.name)
    completion = f.child("completion", f.data.get("completion") or {})
    completion.only("quizzes")
    module_ids = f.slugs("modules")
    modules = [
        parse_module(ctx, module_doc, stem, course_id, cases, quizzes)
        for stem, module_doc in folder.modules
    ]
    _check_listed(f, module_ids, modules)
    course = Course(
        id=course_id,
        title=f.text("title"),
        summary=f.text("summary"),
        audience=f.slugs("audience", among=SECTORS),
        module_ids=module_ids,
        completion_quizzes=completion.slugs("quizzes", required=False),
        cpd_minutes=f.integer("cpd_minutes", 1),
        validity_months=f.integer("validity_months", 1, 120),
        last_reviewed=f.day("last_reviewed"),
        facilitator_notes_html=render_field(ctx, f, "facilitator_notes", required=False),
        position=f.integer("position", 1, 1000) if "position" in f.data else 100,
        version=_version(folder),
        retake_wait_hours=(
            f.integer("retake_wait_hours", 0, 24 * 365) if "retake_wait_hours" in f.data else 0
        ),
    )
    completion.check_known("quizzes", course.completion_quizzes, quizzes, "quiz")
    return course, modules


def _check_listed(f: Fields, module_ids: tuple[str, ...], modules: list[Module]) -> None:
    """The course lists exactly the module files in its folder."""
    present = {m.id for m in modules}
    for module_id in module_ids:
        if module_id not in present:
            f.error("modules", f"lists module {module_id!r} but there is no NN-{module_id}.md here")
    for module in modules:
        if module.id not in module_ids:
            f.error("modules", f"does not list module {module.id!r}, so no one can reach it")


def _version(folder: CourseFolder) -> str:
    """Changes whenever the course file or any of its module files changes."""
    versions = [folder.course.version, *(doc.version for _, doc in folder.modules)]
    return hashlib.sha256("".join(versions).encode()).hexdigest()[:12]


def parse_module(
    ctx: Context,
    doc: Doc,
    stem: str,
    course_id: str,
    cases: Collection[str],
    quizzes: Collection[str],
) -> Module:
    f = doc.fields(ctx)
    f.only(
        "id", "title", "duration_minutes", "outcomes", "last_reviewed", "sources",
        "case_examples", "quizzes", "facilitator_notes",
    )  # fmt: skip
    body = render_body(ctx, doc, f, "expected Markdown text after the front matter")
    module = Module(
        id=f.id_matching(stem),
        course_id=course_id,
        title=f.text("title"),
        duration_minutes=f.integer("duration_minutes", 1, 600),
        outcomes=f.texts("outcomes"),
        last_reviewed=f.day("last_reviewed"),
        sources=parse_sources(f),
        case_examples=f.slugs("case_examples", required=False),
        quizzes=f.slugs("quizzes", required=False),
        html=body.html,
        toc=body.toc,
        facilitator_notes_html=render_field(ctx, f, "facilitator_notes", required=False),
    )
    f.check_known("case_examples", module.case_examples, cases, "case example")
    f.check_known("quizzes", module.quizzes, quizzes, "quiz")
    return module
