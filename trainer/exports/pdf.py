"""Certificates and CPD records as PDFs: what each holds, and how it is laid out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from trainer.formats import hours, long_date


@dataclass(frozen=True)
class CertificateData:
    holder_name: str
    course_title: str
    completed_on: date
    cpd_minutes: int
    refresher_due: date
    code: str
    verify_url: str


def certificate_pdf(data: CertificateData) -> bytes:
    from .document import BLUE, GREY, SERVICE_NAME, Document, XPos, YPos, draw_qr

    pdf = Document(f"Certificate: {data.course_title}", orientation="landscape")
    pdf.add_page()
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(26)
    pdf.line_of(SERVICE_NAME, size=14, bold=True, colour=BLUE, gap=8)
    pdf.line_of("Certificate of completion", size=28, bold=True, gap=8)
    pdf.line_of("This is to certify that", size=12, colour=GREY)
    pdf.line_of(data.holder_name, size=22, bold=True, gap=4)
    pdf.line_of("has completed the course", size=12, colour=GREY)
    pdf.line_of(data.course_title, size=18, bold=True, gap=8)
    facts = [
        ("Completed on", long_date(data.completed_on)),
        ("CPD time", f"{hours(data.cpd_minutes)} hours ({data.cpd_minutes} minutes)"),
        ("Refresher due", long_date(data.refresher_due)),
        ("Verification code", data.code),
    ]
    for label, value in facts:
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(45, 7, label)
        pdf.set_font("DejaVu", "", 11)
        pdf.cell(0, 7, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.line_of(f"Check this certificate at {data.verify_url}", size=10, colour=GREY)
    draw_qr(pdf, data.verify_url, pdf.w - 18 - 45, pdf.h - 18 - 55, 40)
    return bytes(pdf.output())


@dataclass(frozen=True)
class RecordRow:
    on: date
    title: str
    context: str
    activity: str
    minutes: int
    participatory_minutes: int
    outcomes: Sequence[str]
    evidence_url: str
    reflection: Sequence[tuple[str, str]]  # (prompt, answer)
    decision_record: Sequence[tuple[str, str]]
    notes: str = ""
    time_basis: str = ""
    refresher_due: date | None = None


@dataclass(frozen=True)
class RecordData:
    holder_name: str
    framework: str
    period: str
    minutes: int
    participatory_minutes: int
    targets: Sequence[tuple[str, str]]  # (label, "value of target")
    rows: Sequence[RecordRow]


def cpd_record_pdf(data: RecordData) -> bytes:
    from .document import BLUE, GREY, SERVICE_NAME, Document

    pdf = Document(f"CPD record: {data.holder_name}")
    pdf.add_page()
    pdf.line_of(SERVICE_NAME, size=11, bold=True, colour=BLUE)
    pdf.line_of(f"CPD record: {data.holder_name}", size=20, bold=True, gap=3)
    pdf.line_of(f"Framework: {data.framework}", size=11)
    pdf.line_of(f"Period: {data.period}", size=11, gap=4)
    pdf.line_of(
        f"{len(data.rows)} activities · {hours(data.minutes)} hours ({data.minutes} minutes) · "
        f"participatory {hours(data.participatory_minutes)} hours ({data.participatory_minutes} minutes)",
        size=12,
        bold=True,
    )
    for label, value in data.targets:
        pdf.line_of(f"{label}: {value}", size=11, gap=0.5)
    pdf.ln(4)
    pdf.rule()
    for row in data.rows:
        pdf.line_of(f"{long_date(row.on)} · {row.activity}", size=10, colour=GREY, gap=0.5)
        pdf.line_of(row.title, size=13, bold=True, gap=0.5)
        if row.context:
            pdf.line_of(row.context, size=10, colour=GREY, gap=0.5)
        pdf.line_of(
            f"{row.minutes} minutes, of which {row.participatory_minutes} participatory", size=10
        )
        if row.time_basis:
            pdf.line_of(row.time_basis, size=9, colour=GREY, gap=0.5)
        if row.refresher_due:
            pdf.line_of(f"Refresher due {long_date(row.refresher_due)}", size=10, gap=0.5)
        for outcome in row.outcomes:
            pdf.line_of(f"• {outcome}", size=10, gap=0.5)
        if row.evidence_url:
            pdf.line_of(f"Evidence: {row.evidence_url}", size=9, colour=GREY)
        if row.notes:
            pdf.line_of(f"Notes: {row.notes}", size=10)
        for heading, answers in (
            ("Reflection", row.reflection),
            ("My decision record", row.decision_record),
        ):
            if answers:
                pdf.line_of(heading, size=11, bold=True, gap=0.5)
                for prompt, answer in answers:
                    pdf.line_of(prompt, size=10, bold=True, gap=0.3)
                    pdf.line_of(answer, size=10)
        pdf.ln(2)
        pdf.rule()
    return bytes(pdf.output())
