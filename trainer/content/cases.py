"""Case examples: case_examples/<id>.md, front matter above a narrative told in stages."""

from __future__ import annotations

from collections.abc import Mapping

from .context import Context
from .files import Doc
from .links import render_body, render_field
from .model import AGE_GROUPS, SECTORS, CaseExample, Principle


def parse_case(ctx: Context, doc: Doc, principles: Mapping[str, Principle]) -> CaseExample:
    f = doc.fields(ctx)
    f.only(
        "id", "title", "agencies", "age_groups", "themes", "key_questions", "principles",
        "last_reviewed", "facilitator_notes", "risk_of_harm",
    )  # fmt: skip
    body = render_body(ctx, doc, f, "expected the case narrative after the front matter")
    case = CaseExample(
        id=f.id_matching(doc.path.stem),
        title=f.text("title"),
        agencies=f.slugs("agencies", among=SECTORS),
        age_groups=f.slugs("age_groups", among=AGE_GROUPS),
        themes=f.slugs("themes"),
        key_questions=f.slugs("key_questions", required=False),
        principles=f.slugs("principles", required=False),
        last_reviewed=f.day("last_reviewed"),
        html=body.html,
        stages=body.toc,
        facilitator_notes_html=render_field(ctx, f, "facilitator_notes", required=False),
        has_risk_of_harm=bool(f.boolean("risk_of_harm", required=True)),
    )
    questions = {k for k, p in principles.items() if p.kind == "question"}
    rules = {k for k, p in principles.items() if p.kind == "principle"}
    f.check_known("key_questions", case.key_questions, questions, "decision question")
    f.check_known("principles", case.principles, rules, "principle")
    return case
