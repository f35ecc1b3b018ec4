"""Text rendered without the Markdown converter comes out exactly as the converter would make it."""

from hypothesis import given, settings
from hypothesis import strategies as st

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


@given(st.one_of(st.text(alphabet=PLAIN), st.text(alphabet=PLAIN + MARKUP)))
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
