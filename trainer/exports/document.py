"""The PDF page itself, drawn with fpdf2: A4, selectable text, DejaVu Sans embedded.

Imported only when a PDF is made, so a web worker that never makes one never loads fpdf2,
Pillow or the QR code library.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos

__all__ = ["BLUE", "GREY", "SERVICE_NAME", "Document", "XPos", "YPos", "draw_qr"]

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "build" / "fonts"
SERVICE_NAME = "Information Sharing Training"
BLUE = (29, 112, 184)
GREY = (80, 88, 95)


class Document(FPDF):
    def __init__(self, title: str, orientation: str = "portrait") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        if not (FONT_DIR / "DejaVuSans.ttf").exists():
            raise FileNotFoundError(f"{FONT_DIR}/DejaVuSans.ttf is missing: run make assets")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author(SERVICE_NAME)
        self.set_creator(SERVICE_NAME)
        self.set_lang("en-GB")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_font("DejaVu", size=11)

    def line_of(
        self, text: str, size: float = 11, bold: bool = False, colour=(0, 0, 0), gap: float = 1.5
    ) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)
        self.set_text_color(0, 0, 0)

    def rule(self) -> None:
        self.set_draw_color(*GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)


def draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                pdf.rect(x + column * cell, y + row * cell, cell, cell, style="F")
