"""Reading content files: UTF-8 text, YAML, and YAML front matter above a Markdown body.

A file that cannot be read becomes a problem and None, never an exception.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .context import Context
from .fields import Fields

# libyaml's parser when PyYAML was built with it (the wheels are): the same safe subset of
# YAML, about ten times faster, which is most of what start-up spends on content.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Doc:
    path: Path
    name: str  # path relative to the content root, as authors see it
    version: str  # the first 12 hex digits of the SHA-256 of the file's bytes
    meta: Any = None  # the parsed YAML: the whole file, or its front matter
    body: str = ""  # the Markdown after the front matter, or the whole of a Markdown file

    def fields(self, ctx: Context) -> Fields:
        return Fields(self.meta, self.name, ctx.problems)


Reader = Callable[[Context, Path], Doc | None]


def read_yaml(ctx: Context, path: Path) -> Doc | None:
    doc = _read(ctx, path)
    return _with_meta(ctx, replace(doc, body=""), doc.body) if doc else None


def read_front_matter(ctx: Context, path: Path) -> Doc | None:
    doc = _read(ctx, path)
    if doc is None:
        return None
    match = FRONT_MATTER.match(doc.body)
    if not match:
        ctx.report(doc.name, "", "expected YAML front matter between two '---' lines at the top")
        return None
    return _with_meta(ctx, replace(doc, body=match.group(2)), match.group(1))


def read_markdown(ctx: Context, path: Path) -> Doc | None:
    return _read(ctx, path)


def read_if_present(ctx: Context, name: str, reader: Reader) -> Doc | None:
    path = ctx.root / name
    return reader(ctx, path) if path.exists() else None


def _read(ctx: Context, path: Path) -> Doc | None:
    """The file's text as its body, or None (and a problem) if it is not UTF-8 text."""
    name = ctx.name(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        ctx.report(name, "", f"cannot be read as UTF-8 text ({exc})")
        return None
    return Doc(path, name, hashlib.sha256(raw).hexdigest()[:12], body=text)


def _with_meta(ctx: Context, doc: Doc, text: str) -> Doc | None:
    """The doc with text parsed as its YAML, or None (and a problem) if it is not YAML."""
    try:
        meta = yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        # The context mark (where a quoted string or block began) is where authors look.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        what = ", ".join(
            part for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part
        )
        ctx.report(doc.name, where, f"is not valid YAML: {what or exc}")
        return None
    return replace(doc, meta=meta)
