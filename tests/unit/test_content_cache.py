"""Validated content is kept between starts, and never used once anything it came from changes."""

import re
import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import VALID_CONTENT
from trainer.cli import main
from trainer.content import ContentError, load_catalogue
from trainer.content import validate as validate_module


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(VALID_CONTENT, folder)
    return folder


def first_module_file(content):
    return sorted((content / "modules").glob("*/0*.md"))[0]


def refuse_to_load(monkeypatch):
    def fail(*_args):
        raise AssertionError("the content was loaded again instead of read from the cache")

    monkeypatch.setattr(validate_module, "validate_folder", fail)


def test_a_second_start_with_the_same_files_reads_the_kept_catalogue(
    content, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    first = load_catalogue(content, cache_dir=cache)
    assert len(list(cache.glob("catalogue-*.pickle"))) == 1

    refuse_to_load(monkeypatch)
    second = load_catalogue(content, cache_dir=cache)
    assert second == first
    assert second.version == first.version != ""


def test_changing_any_content_file_loads_and_validates_it_afresh(content, tmp_path):
    cache = tmp_path / "cache"
    before = load_catalogue(content, cache_dir=cache)
    module = first_module_file(content)
    module.write_text(
        re.sub(r"^title: .*$", "title: Renamed module", module.read_text(), count=1, flags=re.M)
    )

    after = load_catalogue(content, cache_dir=cache)
    assert after.version != before.version
    assert "Renamed module" in [m.title for m in after.modules.values()]
    assert len(list(cache.glob("catalogue-*.pickle"))) == 1  # the older copy is removed


def test_a_new_file_in_a_content_folder_changes_the_version(content):
    before = load_catalogue(content).version
    (content / "quizzes" / "notes.txt").write_text("a stray file")
    assert load_catalogue(content).version != before


def test_invalid_content_is_reported_every_time_and_never_kept(content, tmp_path):
    cache = tmp_path / "cache"
    module = first_module_file(content)
    module.write_text(module.read_text().replace("---\n", "---\nnot: [valid\n", 1))
    for _ in range(2):
        with pytest.raises(ContentError):
            load_catalogue(content, cache_dir=cache)
    assert list(cache.glob("*")) == []


def test_a_damaged_copy_is_ignored_and_replaced(content, tmp_path, caplog):
    cache = tmp_path / "cache"
    expected = load_catalogue(content, cache_dir=cache)
    (kept,) = cache.glob("catalogue-*.pickle")
    kept.write_bytes(b"not a pickle")

    assert load_catalogue(content, cache_dir=cache) == expected
    assert "not used" in caplog.text
    assert kept.read_bytes() != b"not a pickle"


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(content, tmp_path):
    blocked = tmp_path / "file-in-the-way"
    blocked.write_text("")
    assert load_catalogue(content, cache_dir=blocked / "cache").summary()


def test_check_content_reads_the_kept_catalogue_and_checks_a_changed_file_again(
    content, tmp_path, monkeypatch
):
    monkeypatch.setenv("TRAINER_INSTANCE_DIR", str(tmp_path))
    check = ["check-content", "--content-dir", str(content)]
    first = CliRunner().invoke(main, check)
    assert first.exit_code == 0, first.output

    with monkeypatch.context() as patch:
        refuse_to_load(patch)
        again = CliRunner().invoke(main, check)
    assert again.output == first.output

    module = first_module_file(content)
    module.write_text(module.read_text().replace("\nid: ", "\nid: Not A Slug-", 1))
    changed = CliRunner().invoke(main, check)
    assert changed.exit_code == 1
    assert f"{module.parent.name}/{module.name}: id: expected a lowercase slug" in changed.output
