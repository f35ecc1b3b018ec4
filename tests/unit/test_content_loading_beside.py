"""A large curriculum with nothing kept is validated in a forked copy while the app is built:
the outcome (catalogue, problems, the copy kept for the next start) is exactly that of loading
it here, and whatever the copy fails to hand back is validated here instead."""

import os

import pytest

from tests.conftest import VALID_CONTENT
from tests.unit.test_content_validation import content_with
from trainer.content import ContentError, forked, load_catalogue, loader
from trainer.content.loader import start_loading


@pytest.fixture
def forking_always(monkeypatch):
    monkeypatch.setattr(loader, "WORTH_FORKING", 1)
    monkeypatch.setattr(forked, "_cores", lambda: 2)


def test_a_folder_validated_beside_gives_the_catalogue_loaded_here(forking_always, tmp_path):
    cache = tmp_path / "cache"
    catalogue = start_loading(VALID_CONTENT, cache_dir=cache)()
    assert catalogue == load_catalogue(VALID_CONTENT)
    assert list(cache.glob("catalogue-*.pickle")), "kept for the next start"


def test_it_is_validated_in_another_process(forking_always, monkeypatch, tmp_path):
    notes, validate = tmp_path / "validated-in", loader._validate

    def noting(*args):
        with notes.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return validate(*args)

    monkeypatch.setattr(loader, "_validate", noting)
    catalogue = start_loading(VALID_CONTENT)()
    assert notes.read_text().split() != [str(os.getpid())]
    assert len(notes.read_text().split()) == 1
    assert catalogue == load_catalogue(VALID_CONTENT)


def test_invalid_content_raises_the_same_problems(forking_always, tmp_path):
    folder = content_with(tmp_path, "unknown_term_link")
    with pytest.raises(ContentError) as here:
        load_catalogue(folder)
    finish = start_loading(folder)
    with pytest.raises(ContentError) as beside:
        finish()
    assert beside.value.problems == here.value.problems


def test_what_the_copy_does_not_hand_back_is_validated_here(forking_always, monkeypatch):
    parent, validate = os.getpid(), loader._validate

    def dies_in_the_copy(*args):
        if os.getpid() != parent:
            os._exit(9)
        return validate(*args)

    monkeypatch.setattr(loader, "_validate", dies_in_the_copy)
    assert start_loading(VALID_CONTENT)() == load_catalogue(VALID_CONTENT)


def test_a_kept_catalogue_is_read_without_a_copy(forking_always, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    kept = load_catalogue(VALID_CONTENT, cache_dir=cache)

    def no_copy(work):
        raise AssertionError("no copy is needed for a kept catalogue")

    monkeypatch.setattr(forked, "Forked", no_copy)
    assert start_loading(VALID_CONTENT, cache_dir=cache)() == kept


def test_a_small_folder_is_validated_here(monkeypatch):
    monkeypatch.setattr(forked, "_cores", lambda: 2)

    def no_copy(work):
        raise AssertionError("a small folder is validated here")

    monkeypatch.setattr(forked, "Forked", no_copy)
    assert start_loading(VALID_CONTENT)() == load_catalogue(VALID_CONTENT)
