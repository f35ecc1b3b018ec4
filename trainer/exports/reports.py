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
    """A table of figures with a border round every cell, its heading row kept with the first
    row under it and repeated at the top of each page the table runs on to. The first column
    holds labels, the others figures.

    Drawn cell by cell: fpdf2's own tables lay out every cell as a paragraph, which takes
    seconds for the few hundred rows of an administrator's report. Only text too wide for its
    column (a heading or a long label) is broken into lines.
    """
    from .document import XPos, YPos

    pdf.set_font("DejaVu", size=9)
    first = 80
    rest = (pdf.w - pdf.l_margin - pdf.r_margin - first) / max(1, len(table.header) - 1)
    widths = [first] + [rest] * (len(table.header) - 1)
    heading = [
        _pdf_lines(pdf, str(name), width, bold=True)
        for name, width in zip(table.header, widths, strict=True)
    ]
    heading_due = True  # at the top of the table and of each page it runs on to
    for label, *figures in table.rows:
        cells = [_pdf_lines(pdf, _text(label), first), *([_text(figure)] for figure in figures)]
        needed = _pdf_height(pdf, cells) + (_pdf_height(pdf, heading) if heading_due else 0)
        if pdf.will_page_break(needed):
            pdf.add_page()
            heading_due = True
        if heading_due:
            _pdf_row(pdf, heading, widths, bold=True)
            heading_due = False
        _pdf_row(pdf, cells, widths)
    if heading_due:  # a table without rows still shows what it would hold
        _pdf_row(pdf, heading, widths, bold=True)
    pdf.cell(0, 2, "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _text(value) -> str:
    return "" if value is None else str(value)


def _pdf_lines(pdf: Document, text: str, width: float, bold: bool = False) -> list[str]:
    """The text as the lines it takes in a column of that width."""
    pdf.set_font("DejaVu", "B" if bold else "", 9)
    if pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
        return [text]
    return pdf.multi_cell(width, pdf.font_size, text, dry_run=True, output="LINES")


def _pdf_height(pdf: Document, cells: list[list[str]]) -> float:
    """A row's height: two font heights a line, as in fpdf2's tables, for its longest cell."""
    return max(len(lines) for lines in cells) * 2 * pdf.font_size


def _pdf_row(pdf: Document, cells: list[list[str]], widths: list[float], bold: bool = False):
    """One row: each cell's lines in the middle of a bordered box, the label to the left and
    the figures to the right."""
    from .document import XPos, YPos

    pdf.set_font("DejaVu", "B" if bold else "", 9)
    line = 2 * pdf.font_size
    height = _pdf_height(pdf, cells)
    x, y = pdf.l_margin, pdf.get_y()
    for column, (lines, width) in enumerate(zip(cells, widths, strict=True)):
        pdf.rect(x, y, width, height)
        pdf.set_xy(x, y + (height - len(lines) * line) / 2)
        for text in lines:
            pdf.cell(
                width, line, text, align="R" if column else "L", new_y=YPos.NEXT, new_x=XPos.LEFT
            )
        x += width
    pdf.set_xy(pdf.l_margin, y + height)
    pdf.set_font("DejaVu", size=9)
