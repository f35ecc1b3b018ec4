"""The library beside the course folders: glossary, principles, frameworks, disclaimer; sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from .context import Context, Item
from .fields import Fields
from .files import Doc
from .links import render_field, render_text
from .model import Framework, Principle, Prompt, Source, Term
from .render import plain_text

# The library files, by their names under the content root. Each is optional.
GLOSSARY = "modules/glossary.yaml"
PRINCIPLES = "modules/principles.yaml"
FRAMEWORKS = "modules/frameworks.yaml"
DISCLAIMER = "modules/disclaimer.md"

# What a framework may set a target for in a CPD cycle.
TARGETS = (
    "records",
    "peer_reflections",
    "reflections",
    "minutes",
    "participatory_minutes",
    "activity_types",
)


def parse_source(source: Fields) -> Source:
    """Where a module or framework rests its word: a publication and, if online, its address."""
    source.only("title", "publisher", "year", "url")
    url = source.text("url", required=False) or None
    if url and not url.startswith(("https://", "http://")):
        source.error("url", "expected an address starting https://")
    return Source(
        title=source.text("title"),
        publisher=source.text("publisher"),
        year=source.integer("year", 1900, 2100),
        url=url,
    )


def parse_sources(f: Fields) -> tuple[Source, ...]:
    return tuple(
        parse_source(f.child(f"sources[{index}]", item))
        for index, item in enumerate(f.items("sources"))
    )


def parse_terms(ctx: Context, doc: Doc | None) -> dict[str, Term]:
    if doc is None:
        return {}
    top = doc.fields(ctx)
    top.only("terms")
    return ctx.unique("glossary term", _entries(top, "terms", partial(_parse_term, ctx)))


def _parse_term(ctx: Context, entry: Fields) -> Term:
    entry.only("id", "term", "definition")
    definition = entry.text("definition")
    return Term(
        id=entry.slug("id"),
        term=entry.text("term"),
        definition_html=render_text(ctx, definition, entry.file, entry.name("definition")).html,
        definition_text=plain_text(definition),
    )


def parse_principles(ctx: Context, doc: Doc | None) -> dict[str, Principle]:
    """Key principles and decision questions, which quiz feedback and cases rest on."""
    if doc is None:
        return {}
    top = doc.fields(ctx)
    top.only("principles", "questions")
    found = []
    for key, kind in (("principles", "principle"), ("questions", "question")):
        parse = partial(_parse_principle, ctx, kind=kind)
        found += _entries(top, key, parse, required=False)
    return ctx.unique("principle or question", found)


def _parse_principle(ctx: Context, entry: Fields, kind: str) -> Principle:
    entry.only("id", "title", "summary", "module")
    return Principle(
        id=entry.slug("id"),
        kind=kind,
        title=entry.text("title"),
        summary_html=render_field(ctx, entry, "summary"),
        module_id=entry.slug("module"),
    )


def parse_frameworks(ctx: Context, doc: Doc | None) -> dict[str, Framework]:
    if doc is None:
        return {}
    top = doc.fields(ctx)
    top.only("frameworks")
    return ctx.unique("framework", _entries(top, "frameworks", _parse_framework))


def _entries(
    top: Fields, key: str, parse: Callable[[Fields], Item], required: bool = True
) -> list[tuple[str, str, Item]]:
    """Each entry of the list under key, parsed, with the file and field its id is in."""
    found = []
    for index, item in enumerate(top.items(key, required)):
        entry = top.child(f"{key}[{index}]", item)
        found.append((entry.file, entry.name("id"), parse(entry)))
    return found


def _parse_framework(f: Fields) -> Framework:
    f.only("id", "name", "regulator", "summary", "cycle", "targets", "prompts", "source")
    cycle = f.child("cycle", f.data.get("cycle"))
    kind, ends, years = _parse_cycle(cycle)
    targets = f.child("targets", f.data.get("targets") or {})
    targets.only(*TARGETS)
    return Framework(
        id=f.slug("id"),
        name=f.text("name"),
        regulator=f.text("regulator") if f.data.get("regulator") else "",
        summary=f.text("summary"),
        cycle_kind=kind,
        cycle_ends=ends,
        cycle_years=years,
        is_rolling=bool(cycle.boolean("rolling")),
        targets={key: targets.integer(key, 1) for key in targets.data},
        prompts=_parse_prompts(f),
        source=parse_source(f.child("source", f.data.get("source"))),
    )


def _parse_cycle(cycle: Fields) -> tuple[str, str, int]:
    """The cycle's kind, the MM-DD a registration year ends on, and a period's length in years."""
    cycle.only("kind", "ends", "years", "rolling")
    kind = cycle.text("kind")
    ends = ""
    years = 1
    if kind == "registration-year":
        ends = cycle.text("ends")
        if ends and not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", ends):
            cycle.error("ends", f"expected a month and day written MM-DD, got {ends!r}")
    elif kind == "years":
        years = cycle.integer("years", 1, 10)
    elif kind:
        cycle.error("kind", f"expected 'registration-year' or 'years', got {kind!r}")
    return kind, ends, years


def _parse_prompts(f: Fields) -> tuple[Prompt, ...]:
    prompts = []
    for index, item in enumerate(f.items("prompts")):
        p = f.child(f"prompts[{index}]", item)
        p.only("id", "label", "hint")
        prompts.append(
            Prompt(
                id=p.slug_or_name("id"),
                label=p.text("label"),
                hint=p.text("hint", required=False),
            )
        )
    return tuple(prompts)


def render_disclaimer(ctx: Context, doc: Doc | None) -> str:
    return render_text(ctx, doc.body, doc.name, "").html if doc else ""
