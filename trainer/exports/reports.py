"""Completion reports as a spreadsheet (XLSX) and as a PDF summary for a partnership board.

Pure writers: they take ready rows and figures. The XLSX is written in xlsxwriter's
constant-memory mode, a row at a time, so 100,000 people never sit in memory at once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .csv import FORMULA_START, safe_cell

if TYPE_CHECKING:
    from .document import Document


@dataclass(frozen=True)
class Table:
    """One table of figures: a heading, its column names and its rows."""

    heading: str
    header: Sequence[str]
    rows: Sequence[Sequence]


@dataclass(frozen=True)
class ReportSummary:
    title: str
    produced_on: date
    produced_by: str
    filters: Sequence[tuple[str, str]]  # (label, chosen value)
    tables: Sequence[Table]


# Width, in characters, of each column of the people sheet.
_WIDTHS = {"Name": 28, "Email": 32, "Organisation": 34, "Course": 36, "Status": 24}


def _cell(sheet, row: int, col: int, value, formats: dict) -> None:
    if isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    elif value is None or value == "":
        sheet.write_blank(row, col, None)
    else:
        sheet.write_string(row, col, safe_cell(value))


def _people_rows(sheet, rows: Iterable[Sequence], formats: dict) -> int:
    """Write every person's row under the header; how many there were.

    Each cell is written by its type, with no call to decide it: 100,000 rows are a million
    cells. Empty cells are left out, as xlsxwriter leaves out a blank without a format.
    """
    write_string, write_number, write_datetime = (
        sheet.write_string,
        sheet.write_number,
        sheet.write_datetime,
    )
    date_format = formats["date"]
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            kind = value.__class__
            if kind is str:
                if value:
                    safe = "'" + value if value.startswith(FORMULA_START) else value
                    write_string(count, col, safe)
            elif kind is int:
                write_number(count, col, value)
            elif kind is date:
                write_datetime(count, col, value, date_format)
            elif value is not None:
                _cell(sheet, count, col, value, formats)
    return count


def report_xlsx(header: Sequence[str], rows: Iterable[Sequence], summary: ReportSummary) -> bytes:
    """A workbook: the summary first, then every person, with a frozen header row."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    formats = {
        "bold": book.add_format({"bold": True}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "date": book.add_format({"num_format": "d mmm yyyy"}),
    }
    _summary_sheet(book.add_worksheet("Summary"), summary, formats)
    sheet = book.add_worksheet("People")
    sheet.freeze_panes(1, 0)
    for col, name in enumerate(header):
        sheet.set_column(col, col, _WIDTHS.get(name, 16))
        sheet.write_string(0, col, name, formats["bold"])
    count = _people_rows(sheet, rows, formats)
    if count:
        sheet.autofilter(0, 0, count, len(header) - 1)
    book.close()
    return out.getvalue()


def _summary_sheet(sheet, summary: ReportSummary, formats: dict) -> None:
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 8, 14)
    sheet.write_string(0, 0, safe_cell(summary.title), formats["title"])
    sheet.write_string(1, 0, f"Produced {summary.produced_on:%d %B %Y} by {summary.produced_by}")
    row = 3
    for label, value in summary.filters:
        sheet.write_string(row, 0, label, formats["bold"])
        sheet.write_string(row, 1, safe_cell(value))
        row += 1
    for table in summary.tables:
        row += 1
        sheet.write_string(row, 0, table.heading, formats["title"])
        row += 1
        for col, name in enumerate(table.header):
            sheet.write_string(row, col, name, formats["bold"])
        for values in table.rows:
            row += 1
            for col, value in enumerate(values):
                _cell(sheet, row, col, value, formats)
        row += 1


def report_pdf(summary: ReportSummary) -> bytes:
    """A summary fit for a safeguarding partnership board: figures only, no names."""
    from .document import BLUE, GREY, SERVICE_NAME, Document

    pdf = Document(summary.title, orientation="landscape")
    pdf.add_page()
    pdf.line_of(SERVICE_NAME, size=11, bold=True, colour=BLUE)
    pdf.line_of(summary.title, size=20, bold=True, gap=2)
    pdf.line_of(
        f"Produced {summary.produced_on.day} {summary.produced_on:%B %Y} by {summary.produced_by}",
        size=10,
        colour=GREY,
    )
    for label, value in summary.filters:
        pdf.line_of(f"{label}: {value}", size=10, gap=0.3)
    for table in summary.tables:
        pdf.ln(4)
        pdf.line_of(table.heading, size=14, bold=True, gap=1)
        _pdf_table(pdf, table)
    return bytes(pdf.output())


def _pdf_table(pdf: Document, table: Table) -> None:
    from .document import XPos, YPos

    pdf.set_font("DejaVu", size=9)
    first = 80
    rest = (pdf.w - pdf.l_margin - pdf.r_margin - first) / max(1, len(table.header) - 1)
    widths = [first] + [rest] * (len(table.header) - 1)
    with pdf.table(col_widths=widths, text_align=["LEFT"] + ["RIGHT"] * (len(widths) - 1)) as out:
        heading = out.row()
        for name in table.header:
            heading.cell(name)
        for values in table.rows:
            line = out.row()
            for value in values:
                line.cell("" if value is None else str(value))
    pdf.set_xy(pdf.l_margin, pdf.get_y())
    pdf.cell(0, 2, "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
