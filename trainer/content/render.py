"""Markdown to safe HTML, with the internal `[[kind:id]]` links resolved."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor as InlineStep
from markdown.treeprocessors import Treeprocessor

LINK_PATTERN = r"\[\[(?P<kind>[a-z]+):(?P<id>[^\]|]*)(?:\|(?P<label>[^\]]+))?\]\]"
LINK_KINDS = ("term", "case", "module")


@dataclass(frozen=True)
class LinkTarget:
    """Where an internal `[[kind:id]]` link points, and what it shows."""

    href: str
    label: str
    description: str = ""


# (kind, id) -> where the link points, or None when nothing has that id.
Resolver = Callable[[str, str], LinkTarget | None]


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[tuple[str, str], ...]
    broken_links: tuple[str, ...]


_ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "div": {"aria-label", "role", "tabindex"},
    "td": {"align", "style"},
    "th": {"align", "style", "scope"},
    "ol": {"start"},
}
_ALLOWED_STYLES = {"text-align"}


class _InternalLinks(InlineProcessor):
    """Resolves `[[kind:id]]` through the resolver of the document being converted."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.resolver: Resolver = lambda _kind, _ref: None
        self.broken: list[str] = []

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        kind, ref = m.group("kind"), m.group("id").strip()
        target = self.resolver(kind, ref) if kind in LINK_KINDS else None
        if target is None:
            self.broken.append(f"{kind}:{ref}")
            span = etree.Element("span")
            span.text = m.group("label") or ref
            return span, m.start(0), m.end(0)
        link = etree.Element("a")
        link.set("href", target.href)
        link.set("class", f"govuk-link app-link--{kind}")
        if target.description:
            link.set("title", target.description)
        link.text = m.group("label") or target.label
        return link, m.start(0), m.end(0)


# A list item at the start of a line: a bullet, or an ordered list that starts at 1 (a line
# that happens to begin "2008." inside a paragraph is not a list).
_LIST_ITEM = re.compile(r"^(?P<indent> *)(?:[-*+]|1[.)]) +\S")
_FENCE = re.compile(r"^ *(```|~~~)")


class _ListsAfterParagraphs(Preprocessor):
    """Start a list where a paragraph line is followed directly by a list item.

    Python-Markdown needs a blank line before a list, so authors' "Points to note:" followed
    by bullets on the next line ran together as one paragraph; CommonMark starts the list.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = in_fence = False
        for line in lines:
            if _FENCE.match(line):
                in_fence = not in_fence
            previous = out[-1] if out else ""
            if not in_fence and _LIST_ITEM.match(line):
                if previous.strip() and not in_list:
                    out.append("")
                in_list = True
            elif line.strip() and not previous.strip() and not line.startswith(" "):
                in_list = False  # an unindented paragraph after a blank line ends the list
            out.append(line)
        return out


class _ScrollingTables(Treeprocessor):
    """Wrap each table in a focusable region that scrolls sideways on a narrow screen.

    The region is named after the heading above the table, so a screen reader user knows
    which table they are in when they tab to it.
    """

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        heading = ""
        for element in list(root.iter()):
            if element.tag in ("h2", "h3", "h4", "h5", "h6"):
                heading = "".join(element.itertext()).strip()
            elif element.tag == "table":
                parent = parents[element]
                wrapper = etree.Element(
                    "div",
                    {
                        "class": "app-table-scroll",
                        "role": "region",
                        "aria-label": f"Table: {heading}" if heading else "Table",
                        "tabindex": "0",
                    },
                )
                parent.insert(list(parent).index(element), wrapper)
                parent.remove(element)
                wrapper.append(element)


# No inline pattern of the converter below matches text without one of these: code, escapes,
# links, footnotes and images, autolinks and HTML, entities, emphasis, and a line break (two
# spaces before a newline). An extension with inline patterns of its own needs its characters
# added here; tests/unit/test_content_rendering_shortcut.py checks the two agree.
_INLINE_MARKUP = re.compile(r"[`\\\[<&*_]|  \n")


class _InlineWhereMarkupMayBe(InlineStep):
    """Markdown's inline step, leaving as it is text no inline pattern can match.

    Python-Markdown tries each of its 16 inline patterns on every piece of text, a Python
    call each; most pieces of a module (list items, table cells, the text between two
    links) hold none of the characters a pattern needs, and trying them all is a quarter of
    the time a module takes to render. The method is overridden by its private (mangled)
    name: were a Markdown release to rename it, the stock one would run, only slower.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if _INLINE_MARKUP.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


_converters = threading.local()


def _converter() -> tuple[markdown.Markdown, _InternalLinks]:
    """This thread's Markdown converter, built once: building one costs more than most
    conversions, and a curriculum has thousands of Markdown fields."""
    if not hasattr(_converters, "md"):
        md = markdown.Markdown(
            extensions=["tables", "footnotes", "admonition", "def_list", "toc", "sane_lists"],
            extension_configs={"toc": {"toc_depth": "2-2", "permalink": False}},
            output_format="html",
        )
        links = _InternalLinks(LINK_PATTERN)
        md.inlinePatterns.register(links, "internal", 175)
        md.treeprocessors.register(_InlineWhereMarkupMayBe(md), "inline", 20)
        md.preprocessors.register(_ListsAfterParagraphs(md), "lists-after-paragraphs", 25)
        # Last of all (after "unescape", priority 0), so the headings' text is final.
        md.treeprocessors.register(_ScrollingTables(md), "scrolling-tables", -1)
        _converters.md, _converters.links = md, links
    return _converters.md, _converters.links


# Text Markdown can only turn into one paragraph holding that same text: a single line that
# starts with a letter, quote or bracket (not a list, heading, quote block or code), holds no
# character that starts inline markup (`\ * _ [ ] < > & # |`, backticks, tabs) and does not
# end in spaces. Most short fields of a curriculum (choices, feedback, outcomes) are like this.
_PLAIN_PARAGRAPH = re.compile(
    r"(?:[^\W\d_]|[\"'(\u2018\u201c])"
    r"(?:[^\W_]|[ .,;:?!'\"()/%£$€@+=\u2013\u2014\u2018\u2019\u201c\u201d\u2026-])*(?<! )\n?"
)


def render_markdown(text: str, resolver: Resolver) -> Rendered:
    """Render author Markdown to sanitised HTML and report links that do not resolve."""
    if _PLAIN_PARAGRAPH.fullmatch(text):
        # No character of it is HTML markup, so there is nothing for the sanitiser to do.
        return Rendered(html=f"<p>{text.rstrip()}</p>", toc=(), broken_links=())
    return convert_markdown(text, resolver)


def convert_markdown(text: str, resolver: Resolver) -> Rendered:
    """render_markdown through the Markdown converter, whatever the text."""
    broken: list[str] = []
    md, links = _converter()
    md.reset()
    links.resolver, links.broken = resolver, broken
    html = md.convert(text)
    toc = tuple((token["id"], token["name"]) for token in md.toc_tokens)
    return Rendered(html=_sanitise(html), toc=toc, broken_links=tuple(broken))


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        filter_style_properties=_ALLOWED_STYLES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plain_text(text: str) -> str:
    """Markdown source reduced to text, for tooltips and exports."""
    if not hasattr(_converters, "plain"):
        _converters.plain = markdown.Markdown()
    md = _converters.plain
    md.reset()
    html = md.convert(re.sub(LINK_PATTERN, lambda m: m.group("label") or m.group("id"), text))
    return " ".join(nh3.clean(html, tags=set()).split())
