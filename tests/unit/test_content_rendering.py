"""Author Markdown becomes safe HTML: scripts and raw HTML never reach a learner's browser."""

from trainer.content.render import LinkTarget, plain_text, render_markdown


def no_links(kind, ref):
    return None


def test_script_tags_and_event_handlers_are_removed():
    html = render_markdown(
        'Hi <script>alert(1)</script><img src=x onerror="alert(2)">', no_links
    ).html
    assert "<script" not in html
    assert "onerror" not in html
    assert "alert(1)" not in html


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))", no_links).html
    assert "javascript:" not in html


def test_unresolved_internal_links_are_reported_and_shown_as_text():
    rendered = render_markdown("See [[case:missing]] and [[thing:x]]", no_links)
    assert rendered.broken_links == ("case:missing", "thing:x")
    assert "<a" not in rendered.html


def test_footnotes_and_definition_lists_render():
    html = render_markdown("Fact[^1]\n\n[^1]: Source.\n\nTerm\n:   Meaning", no_links).html
    assert 'class="footnote"' in html
    assert "<dl>" in html and "<dt>Term</dt>" in html


def test_resolved_link_uses_label_when_given():
    rendered = render_markdown(
        "[[term:consent|agreeing]]",
        lambda kind, ref: LinkTarget("/glossary#term-consent", "Consent"),
    )
    assert '<a class="govuk-link app-link--term" href="/glossary#term-consent"' in rendered.html
    assert ">agreeing</a>" in rendered.html


def test_plain_text_drops_markup_and_keeps_link_labels():
    assert plain_text("**Bold** and [[term:consent|agreement]]") == "Bold and agreement"


def test_a_list_straight_after_a_paragraph_line_is_a_list():
    html = render_markdown("**Prompts:**\n- Ask one\n  still one\n- Ask two", no_links).html
    assert "<p><strong>Prompts:</strong></p>" in html
    assert "<li>Ask one\n  still one</li>" in html and "<li>Ask two</li>" in html


def test_a_year_at_the_start_of_a_wrapped_line_stays_in_its_paragraph():
    html = render_markdown("Revised in\n2008. Kept since.\n\n    - code, not a list", no_links).html
    assert "<ol" not in html and "<li>" not in html


def test_tables_scroll_in_a_focusable_region_named_after_their_heading():
    html = render_markdown(
        "## Half-day plan\n\n| Time | Activity |\n|---|---|\n| 0:00 | Welcome |", no_links
    ).html
    assert (
        '<div aria-label="Table: Half-day plan" class="app-table-scroll" role="region"'
        ' tabindex="0"><table>'
    ) in html
