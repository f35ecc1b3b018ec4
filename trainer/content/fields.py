"""Small typed readers for YAML mappings that record a problem instead of raising."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from .problems import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Fields:
    """Reads one YAML mapping; every problem names the file and the field."""

    def __init__(self, data: Any, file: str, problems: list[Problem], prefix: str = "") -> None:
        self.file = file
        self.problems = problems
        self.prefix = prefix
        if not isinstance(data, dict):
            self.error("", "expected a mapping of keys to values")
            data = {}
        self.data: dict[str, Any] = data

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def error(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.name(key) if key else self.prefix, message))

    def only(self, *allowed: str) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(str(key), f"unknown key; allowed keys are: {', '.join(allowed)}")

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                self.error(key, "is required")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.error(key, "expected non-empty text")
            return ""
        return value.strip()

    def slug(self, key: str, required: bool = True) -> str:
        value = self.text(key, required)
        if value and not SLUG.match(value):
            self.error(key, f"expected a lowercase slug (a-z, 0-9, hyphens), got {value!r}")
            return ""
        return value

    def slug_or_name(self, key: str) -> str:
        """An identifier that code reads: lowercase letters and underscores."""
        value = self.text(key)
        if value and not re.fullmatch(r"[a-z][a-z_]*", value):
            self.error(key, f"expected lowercase letters and underscores, got {value!r}")
            return ""
        return value

    def integer(self, key: str, minimum: int = 0, maximum: int | None = None) -> int:
        value = self._get(key, True)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"expected a whole number, got {value!r}")
            return 0
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" to {maximum}" if maximum is not None else " or more"
            self.error(key, f"expected a whole number {minimum}{upper}, got {value}")
        return value

    def day(self, key: str) -> date:
        value = self._get(key, True)
        if isinstance(value, date):
            return value
        if value is not None:
            self.error(key, f"expected a date written YYYY-MM-DD, got {value!r}")
        return date.min

    def boolean(self, key: str, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, bool):
            self.error(key, f"expected true or false, got {value!r}")
            return None
        return value

    def items(self, key: str, required: bool = True) -> list[Any]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, "expected a list")
            return []
        if required and not value:
            self.error(key, "expected at least one entry")
        return value

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        out = []
        for index, item in enumerate(self.items(key, required)):
            if isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                self.error(f"{key}[{index}]", "expected non-empty text")
        return tuple(out)

    def slugs(
        self, key: str, required: bool = True, among: Mapping[str, str] | None = None
    ) -> tuple[str, ...]:
        out = []
        for index, item in enumerate(self.texts(key, required)):
            if not SLUG.match(item):
                self.error(f"{key}[{index}]", f"expected a lowercase slug, got {item!r}")
            elif among is not None and item not in among:
                self.error(
                    f"{key}[{index}]",
                    f"unknown value {item!r}; expected one of: {', '.join(among)}",
                )
            else:
                out.append(item)
        if len(set(out)) != len(out):
            self.error(key, "lists the same value twice")
        return tuple(out)

    def child(self, key: str, data: Any) -> Fields:
        return Fields(data, self.file, self.problems, prefix=f"{self.name(key)}.")

    def id_matching(self, expected: str) -> str:
        """The `id` slug, which must match the file name it was read from."""
        ident = self.slug("id")
        if ident and ident != expected:
            self.error("id", f"expected {expected!r} to match the file name, got {ident!r}")
        return ident

    def check_known(
        self, key: str, values: tuple[str, ...], known: Collection[str], what: str
    ) -> None:
        for value in values:
            if value not in known:
                self.error(key, f"unknown {what} {value!r}")
