"""The bench contract's JSON report, and docs/performance.md built from those reports.

Every script in bench/ writes, with `--json PATH`, one object:
{"title", "command", "rows": [{"what", "result", "target", "met"}], "notes": [...]}.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from string import Template


@dataclass
class Row:
    what: str
    result: str
    target: str = ""
    met: bool | None = None


@dataclass
class Report:
    """One script's figures: printed as they come, and written as JSON at the end."""

    title: str
    command: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, result: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(what, result, target, met))
        verdict = {True: "  [met]", False: "  [NOT MET]", None: ""}[met]
        aim = f"  (target: {target})" if target else ""
        print(f"{what}: {result}{aim}{verdict}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(" ".join(text.split()))

    def as_data(self) -> dict:
        return {
            "title": self.title,
            "command": self.command,
            "rows": [asdict(row) for row in self.rows],
            "notes": self.notes,
        }

    def write(self, path: Path | None) -> None:
        if path:
            path.write_text(json.dumps(self.as_data(), indent=1), encoding="utf-8")


# Options whose values are this run's temporary paths: shown by what they stand for.
PLACEHOLDERS = {"--data": "DATA", "--folder": "DATA", "--postgres-url": "URL"}


def invocation(module: str, argv: list[str] | None = None) -> str:
    """The command that ran this script, relative to the project folder, without `--json PATH`
    (where the figures went) and with temporary paths written as DATA or URL."""
    argv = list(sys.argv[1:] if argv is None else argv)
    shown, skip = [], False
    for n, part in enumerate(argv):
        if skip:
            skip = False
        elif part == "--json":
            skip = True
        elif part.startswith("--json="):
            continue
        elif n and argv[n - 1] in PLACEHOLDERS:
            shown.append(PLACEHOLDERS[argv[n - 1]])
        else:
            shown.append(part)
    return " ".join([".venv/bin/python", "-m", module, *(shlex.quote(p) for p in shown)])


@dataclass
class Section:
    """One benchmark's part of the document: its report, or why there is none."""

    title: str
    commands: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: str = ""  # "not run: …" or "failed: …", when there are no figures

    @classmethod
    def from_data(cls, data: dict) -> Section:
        """A report as a script wrote it; anything else raises ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("the report is not a JSON object")
        for key, kind in (("title", str), ("command", str), ("rows", list), ("notes", list)):
            if not isinstance(data.get(key), kind):
                raise ValueError(f"the report's {key!r} is missing or not a {kind.__name__}")
        rows = []
        for row in data["rows"]:
            if not isinstance(row, dict) or not {"what", "result"} <= row.keys():
                raise ValueError(f"a row needs 'what' and 'result': {row!r}")
            met = row.get("met")
            if met not in (True, False, None):
                raise ValueError(f"'met' must be true, false or null: {row!r}")
            rows.append(Row(str(row["what"]), str(row["result"]), str(row.get("target", "")), met))
        return cls(data["title"], [data["command"]], rows, [str(n) for n in data["notes"]])

    @classmethod
    def merged(cls, title: str, parts: list[tuple[str, Section]]) -> Section:
        """Several runs of one script (at different sizes) as one table, rows labelled by run;
        the notes of the last run, which is the largest."""
        section = cls(title)
        for label, part in parts:
            section.commands += part.commands
            section.rows += [
                Row(f"{label}: {row.what}", row.result, row.target, row.met) for row in part.rows
            ]
        section.notes = parts[-1][1].notes if parts else []
        return section


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or " "


_MET = {True: "yes", False: "**no**", None: "—"}


def render_section(section: Section) -> str:
    lines = [f"## {section.title}", ""]
    if section.commands:
        lines += ["```sh", *section.commands, "```", ""]
    if section.missing:
        lines += [f"**{section.missing}**", ""]
    if section.rows:
        lines += ["| what | result | target | met |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(r.what)} | {_cell(r.result)} | {_cell(r.target)} | {_MET[r.met]} |"
            for r in section.rows
        ]
        lines.append("")
    for note in section.notes:
        lines += [note, ""]
    return "\n".join(lines)


def render(template: str, values: dict[str, str], sections: list[Section]) -> str:
    """The whole document: the template's introduction filled in, then every section."""
    body = "\n".join(render_section(section) for section in sections)
    return Template(template).substitute(values, sections=body).rstrip() + "\n"
