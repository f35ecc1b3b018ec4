"""A PDF of headed tables, for registers and summaries: the same rows as the CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    heading: str
    header: Sequence[str]
    rows: Sequence[Sequence]
    note: str = ""


def tables_pdf(title: str, lines: Sequence[str], tables: Sequence[Table]) -> bytes:
    from .document import BLUE, GREY, SERVICE_NAME, Document

    pdf = Document(title, orientation="landscape")
    pdf.add_page()
    pdf.line_of(SERVICE_NAME, size=11, bold=True, colour=BLUE)
    pdf.line_of(title, size=18, bold=True, gap=2)
    for line in lines:
        pdf.line_of(line, size=11, colour=GREY, gap=0.5)
    for table in tables:
        pdf.ln(4)
        pdf.line_of(table.heading, size=13, bold=True, gap=1)
        if table.note:
            pdf.line_of(table.note, size=10, colour=GREY)
        pdf.set_font("DejaVu", size=9)
        with pdf.table(first_row_as_headings=True, line_height=5) as grid:
            for values in [table.header, *table.rows]:
                row = grid.row()
                for value in values:
                    row.cell("" if value is None else str(value))
    return bytes(pdf.output())
