"""CSV writers, safe to open in a spreadsheet: a cell never runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice

# A cell starting with these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Cells the CSV writer is left to write as they are: none of them can start like a formula
# (None is written as an empty cell, dates as 2026-11-27).
_AS_THEY_ARE = frozenset({type(None), date, datetime})
_LINES_PER_CHUNK = 500


def safe_cell(value) -> str:
    """A value as text that a spreadsheet shows rather than runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_row(row: Iterable) -> list:
    """A row's cells as safe_cell writes them, checking text without a call per cell: an
    export may have a million cells."""
    return [
        ("'" + cell if cell.startswith(FORMULA_START) else cell)
        if cell.__class__ is str
        else cell
        if cell.__class__ in _AS_THEY_ARE
        else safe_cell(cell)
        for cell in row
    ]


def write_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    return "".join(stream_csv(header, rows))


def stream_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The same CSV as write_csv, some hundred lines at a time, so any number of rows fits in
    memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    rows = iter(rows)
    while True:
        writer.writerows(map(safe_row, islice(rows, _LINES_PER_CHUNK)))
        text = out.getvalue()
        if not text:  # the rows have run out
            return
        yield text
        out.seek(0)
        out.truncate()
