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
