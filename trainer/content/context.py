"""What every parser shares while a folder loads: the content root, the link index, the problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from .links import LinkIndex
from .problems import Problem
from .render import Rendered


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=_HasId)


@dataclass
class Context:
    root: Path
    links: LinkIndex
    problems: list[Problem] = field(default_factory=list)
    # Texts rendered ahead of parsing (prerender.py), each as render_markdown would give it.
    rendered: dict[str, Rendered] = field(default_factory=dict)

    def name(self, path: Path) -> str:
        """A file's name as authors see it: its path relative to the content root."""
        return path.relative_to(self.root).as_posix()

    def report(self, file: str, field: str, message: str) -> None:
        self.problems.append(Problem(file, field, message))

    def unique(self, what: str, found: Iterable[tuple[str, str, Item | None]]) -> dict[str, Item]:
        """Items by id, from (file, field of the id, item).

        An id seen before is a problem at the second place that names the first.
        """
        out: dict[str, Item] = {}
        first: dict[str, tuple[str, str]] = {}
        for file, id_field, item in found:
            if item is None or not item.id:
                continue
            if item.id in first:
                first_file, first_field = first[item.id]
                where = first_field if first_file == file else first_file
                self.report(
                    file, id_field, f"duplicate {what} id {item.id!r}, already used in {where}"
                )
            else:
                first[item.id] = (file, id_field)
            out[item.id] = item
        return out
