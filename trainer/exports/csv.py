"""CSV writers, safe to open in a spreadsheet: a cell never runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

# A cell starting with these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINES_PER_CHUNK = 500


def safe_cell(value) -> str:
    """A value as text that a spreadsheet shows rather than runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    return "".join(stream_csv(header, rows))


def stream_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The same CSV as write_csv, a line at a time, so any number of rows fits in memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, row in enumerate(_safe_rows(header, rows), start=1):
        writer.writerow(row)
        if number % _LINES_PER_CHUNK == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _safe_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[list[str]]:
    yield [safe_cell(value) for value in header]
    for row in rows:
        yield [safe_cell(value) for value in row]
