"""The link index (what each `[[kind:id]]` may point at) and Markdown fields rendered with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .fields import Fields
from .render import LINK_KINDS, LinkTarget, Rendered, plain_text, render_markdown

if TYPE_CHECKING:
    from .context import Context
    from .files import Doc

EXPECTED = {
    "term": "a glossary term id",
    "case": "a case example id",
    "module": "a module id",
}


@dataclass(frozen=True)
class _Entry:
    label: str
    description: str = ""
    course: str = ""


@dataclass
class LinkIndex:
    """Ids and labels every Markdown link may point at, read leniently before validation.

    Markdown anywhere may link to content read later, so the index is filled from the raw
    YAML of every file first; validation reports what is wrong with those files.
    """

    hrefs: Mapping[str, str]
    entries: dict[str, dict[str, _Entry]] = field(
        default_factory=lambda: {kind: {} for kind in LINK_KINDS}
    )

    def add_terms(self, glossary: Any) -> None:
        if not isinstance(glossary, dict):
            return
        for entry in glossary.get("terms") or []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                definition = entry.get("definition")
                self.entries["term"][entry["id"]] = _Entry(
                    label=str(entry.get("term") or entry["id"]),
                    description=plain_text(definition) if isinstance(definition, str) else "",
                )

    def add_module(self, meta: Any, course_meta: Any) -> None:
        course_id = course_meta.get("id") if isinstance(course_meta, dict) else None
        self._add_titled("module", meta, course=str(course_id or ""))

    def add_case(self, meta: Any) -> None:
        self._add_titled("case", meta)

    def _add_titled(self, kind: str, meta: Any, course: str = "") -> None:
        if isinstance(meta, dict) and isinstance(meta.get("id"), str):
            label = str(meta.get("title") or meta["id"])
            self.entries[kind][meta["id"]] = _Entry(label=label, course=course)

    def has(self, kind: str, ref: str) -> bool:
        return ref in self.entries.get(kind, {})

    def resolve(self, kind: str, ref: str) -> LinkTarget | None:
        entry = self.entries.get(kind, {}).get(ref)
        if entry is None:
            return None
        href = self.hrefs[kind].format(id=ref, course=entry.course)
        return LinkTarget(href=href, label=entry.label, description=entry.description)


def render_text(ctx: Context, text: str, file: str, field: str) -> Rendered:
    """Markdown to safe HTML; each link that does not resolve is a problem at file and field."""
    rendered = ctx.rendered.get(text) or render_markdown(text, ctx.links.resolve)
    for link in rendered.broken_links:
        kind = link.split(":", 1)[0]
        expected = EXPECTED.get(kind, "one of [[term:…]], [[case:…]], [[module:…]]")
        ctx.report(file, field, f"link [[{link}]] does not resolve: expected {expected}")
    return rendered


def render_body(ctx: Context, doc: Doc, f: Fields, expected: str) -> Rendered:
    """The Markdown after a file's front matter; an empty body is a problem saying what to write."""
    if not doc.body.strip():
        f.error("body", expected)
    return render_text(ctx, doc.body, doc.name, "body")


def render_field(ctx: Context, fields: Fields, key: str, required: bool = True) -> str:
    """The HTML of a Markdown text field, or "" when an optional field is absent."""
    text = fields.text(key, required)
    return render_text(ctx, text, fields.file, fields.name(key)).html if text else ""
