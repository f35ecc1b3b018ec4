"""Shortcuts in rendering Markdown give exactly the HTML of the stock converter."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import VALID_CONTENT
from trainer import PROJECT_ROOT
from trainer.content import render
from trainer.content.render import LinkTarget, convert_markdown, render_markdown

# Time is measured by the benchmarks, never by tests: a busy machine must not fail an example.
settings.register_profile("trainer", deadline=None)
settings.load_profile("trainer")

PLAIN = "abcXYZ é 019 .,;:?!'\"()/%£$€@+=-\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
MARKUP = "*_`[]<>&#|\\\n\t\r\u00a0\u2028\x02"
SHORT_FIELDS = [
    "Share the information with children's social care today.",
    "Ask the mother for consent first.\n",
    "“Wait and see” leaves the risk where it is: 2 of 3 checks failed.",
    "(a) Record your decision \u2013 and why.",
]


def resolve(kind: str, ref: str) -> LinkTarget | None:
    return LinkTarget(href=f"/{kind}/{ref}", label=ref) if ref == "known" else None


@given(
    st.one_of(
        st.text(alphabet=PLAIN),
        st.text(alphabet=PLAIN + MARKUP),
        st.from_regex(render._PLAIN_PARAGRAPH, fullmatch=True),
    )
)
def test_any_text_renders_as_the_markdown_converter_renders_it(text):
    assert render_markdown(text, resolve) == convert_markdown(text, resolve)


@given(st.sampled_from(["", " ", "  ", "    ", "1. ", "- ", "# ", "> ", ": ", "!!! note "]))
def test_text_that_starts_a_block_renders_as_the_converter_renders_it(start):
    for field in SHORT_FIELDS:
        text = start + field
        assert render_markdown(text, resolve) == convert_markdown(text, resolve)


def test_short_plain_fields_render_as_paragraphs_of_their_text():
    for field in SHORT_FIELDS:
        rendered = render_markdown(field, resolve)
        assert rendered == convert_markdown(field, resolve)
        assert rendered.html.startswith("<p>") and rendered.toc == rendered.broken_links == ()


STRUCTURE = "ab 1.-+>#:|!=\n\n    \t"
CONTENT_FILES = sorted(
    path
    for root in (PROJECT_ROOT, VALID_CONTENT)
    for folder in ("modules", "case_examples", "quizzes")
    for path in (root / folder).rglob("*")
    if path.suffix in (".md", ".yaml")
)


def stock(text: str) -> render.Rendered:
    """What the converter makes of text with Markdown's own inline step, trying every pattern."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "_INLINE_MARKUP", re.compile(""))
        return convert_markdown(text, resolve)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda path: path.name)
def test_every_content_file_renders_as_with_markdowns_own_inline_step(path: Path):
    text = path.read_text(encoding="utf-8")
    assert convert_markdown(text, resolve) == stock(text)


EACH_INLINE_PATTERN = [
    "a `code` b",
    "a \\*b",
    "a note[^1]\n\n[^1]: The note.",
    "see [[case:known]] and [[term:gone|this]]",
    "a [link](https://example.org) b",
    "an ![image](x.png) b",
    "a [reference][r] b\n\n[r]: https://example.org",
    "a [r] b\n\n[r]: https://example.org",
    "an ![r] b\n\n[r]: x.png",
    "at <https://example.org>",
    "at <someone@example.org>",
    "one line  \nand the next",
    "a <b>bold</b> b",
    "a &amp; b",
    "*one* and **two**",
    "_one_ and __two__",
]


@pytest.mark.parametrize("text", EACH_INLINE_PATTERN)
def test_each_inline_pattern_still_applies(text):
    assert convert_markdown(text, resolve) == stock(text)
    assert convert_markdown(f"- {text}\n- plain item", resolve) == stock(f"- {text}\n- plain item")


@given(st.text(alphabet=PLAIN + MARKUP + STRUCTURE))
def test_any_markup_renders_as_with_markdowns_own_inline_step(text):
    assert convert_markdown(text, resolve) == stock(text)


def test_the_inline_patterns_are_the_ones_the_shortcut_knows():
    """A new inline pattern (a Markdown upgrade or another extension) may start at a character
    render._INLINE_MARKUP does not list: add its characters there, then update this list."""
    converter, _links = render._converter()
    assert sorted(type(pattern).__name__ for pattern in converter.inlinePatterns) == sorted(
        [
            "BacktickInlineProcessor",
            "EscapeInlineProcessor",
            "FootnoteInlineProcessor",
            "_InternalLinks",
            "ReferenceInlineProcessor",
            "LinkInlineProcessor",
            "ImageInlineProcessor",
            "ImageReferenceInlineProcessor",
            "ShortReferenceInlineProcessor",
            "ShortImageReferenceInlineProcessor",
            "AutolinkInlineProcessor",
            "AutomailInlineProcessor",
            "SubstituteTagInlineProcessor",
            "HtmlInlineProcessor",
            "HtmlInlineProcessor",
            "DelimiterProcessor",
        ]
    )
