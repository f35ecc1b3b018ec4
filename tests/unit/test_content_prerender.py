"""Bodies rendered on two cores give exactly what rendering them one by one gives: the same
catalogue, the same problems, and whatever the forked copy fails to hand back is rendered
in the end all the same."""

import os

import pytest

from tests.conftest import VALID_CONTENT
from tests.unit.test_content_validation import content_with
from trainer import PROJECT_ROOT
from trainer.content import ContentError, forked, links, load_catalogue, prerender
from trainer.content.render import LinkTarget, render_markdown

TEXTS = [
    f"Body {n} with **emphasis**, a [[term:consent]] link and a [[term:nowhere]] one.\n"
    for n in range(9)
]


def resolve(kind: str, ref: str):
    return LinkTarget(href=f"/glossary#{ref}", label=ref) if ref == "consent" else None


@pytest.fixture
def sharing_always(monkeypatch):
    monkeypatch.setattr(prerender, "WORTH_SHARING", 1)
    monkeypatch.setattr(forked, "_cores", lambda: 2)


def test_each_text_is_rendered_as_render_markdown_renders_it(sharing_always):
    shared = prerender.prerender([*TEXTS, TEXTS[0], "  \n"], resolve)
    assert shared == {text: render_markdown(text, resolve) for text in TEXTS}


def test_few_texts_are_rendered_here_when_asked_for_not_ahead():
    assert prerender.prerender(TEXTS, resolve) == {}


def test_texts_the_copy_does_not_hand_back_are_left_to_render_later(sharing_always, monkeypatch):
    parent = os.getpid()

    def fails_in_the_copy(text, resolver):
        if os.getpid() != parent:
            raise RuntimeError("the copy stops")
        return render_markdown(text, resolver)

    monkeypatch.setattr(prerender, "render_markdown", fails_in_the_copy)
    shared = prerender.prerender(TEXTS, resolve)
    assert len(shared) == len(TEXTS) // 2  # the parent's half only
    assert all(shared[text] == render_markdown(text, resolve) for text in shared)


@pytest.fixture(params=[VALID_CONTENT, PROJECT_ROOT], ids=["fixture", "curriculum"])
def alone(request):
    """A folder, and its catalogue loaded with every body rendered as it is parsed."""
    return request.param, load_catalogue(request.param)


def test_a_folder_loads_to_the_same_catalogue_with_bodies_rendered_ahead(alone, sharing_always):
    folder, catalogue = alone
    assert load_catalogue(folder) == catalogue


def test_a_broken_link_in_a_body_rendered_ahead_is_reported_as_before(tmp_path, monkeypatch):
    folder = content_with(tmp_path, "unknown_term_link")
    with pytest.raises(ContentError) as one_by_one:
        load_catalogue(folder)
    monkeypatch.setattr(prerender, "WORTH_SHARING", 1)
    monkeypatch.setattr(forked, "_cores", lambda: 2)
    with pytest.raises(ContentError) as ahead:
        load_catalogue(folder)
    assert ahead.value.problems == one_by_one.value.problems


def test_every_markdown_text_of_the_curriculum_is_rendered_ahead(sharing_always, monkeypatch):
    """The texts rendered ahead are those the parsers render: none is left to render later."""
    rendered_later = []

    def noting(text, resolver):
        rendered_later.append(text)
        return render_markdown(text, resolver)

    monkeypatch.setattr(links, "render_markdown", noting)
    load_catalogue(PROJECT_ROOT)
    assert rendered_later == []
