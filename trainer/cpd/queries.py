"""Read-side helpers for the CPD area: the learner's framework, period and record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trainer.content import Catalogue
from trainer.content.model import RECORD_PARTS, Framework, Prompt
from trainer.exports.pdf import RecordData, RecordRow, hours
from trainer.web import external_url

from .periods import Period, current_cycle
from .record import Entry, Summary, entries_for, summarise


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def framework_of(catalogue: Catalogue, user) -> Framework | None:
    return catalogue.frameworks.get(user.cpd_framework) or catalogue.frameworks.get("other")


# Used when the content folder defines no frameworks at all.
PLAIN_PROMPTS = (
    Prompt("learned", "What did you learn?"),
    Prompt("impact_practice", "How will it change your practice?"),
)


def prompts_for(framework: Framework | None) -> tuple[Prompt, ...]:
    return framework.prompts if framework else PLAIN_PROMPTS


def chosen_period(form, framework: Framework | None, user, today: date) -> Period:
    """The period asked for in the filter; the framework's current cycle by default."""
    if form.period.data == "all":
        return Period(None, None, "everything")
    if form.period.data == "dates" and not form.errors and (form.start.data or form.end.data):
        start, end = form.start.data, form.end.data
        if start and end:
            label = f"{_day(start)} to {_day(end)}"
        else:
            label = f"from {_day(start)}" if start else f"up to {_day(end)}"
        return Period(start, end, label)
    if framework is None:
        return Period(None, None, "everything")
    return current_cycle(framework, today, user.cpd_cycle_start)


@dataclass(frozen=True)
class RecordView:
    framework: Framework | None
    summary: Summary


def record_for(catalogue: Catalogue, user, form, today: date) -> RecordView:
    framework = framework_of(catalogue, user)
    period = chosen_period(form, framework, user, today)
    return RecordView(framework, summarise(entries_for(catalogue, user.id), period, framework))


def _reflection_pairs(entry: Entry, framework: Framework | None) -> list[tuple[str, str]]:
    labels = {p.id: p.label for p in framework.prompts} if framework else {}
    return [
        (labels.get(k, k.replace("_", " ").capitalize()), v)
        for k, v in entry.reflection.items()
        if v
    ]


def export_rows(view: RecordView) -> list[RecordRow]:
    rows = []
    for entry in view.summary.entries:
        record = entry.decision_record
        rows.append(
            RecordRow(
                on=entry.on,
                title=entry.title,
                context=entry.context,
                activity=entry.activity_label,
                minutes=entry.minutes,
                participatory_minutes=entry.participatory_minutes,
                outcomes=entry.outcomes,
                evidence_url=external_url(entry.evidence.endpoint, **entry.evidence.values)
                if entry.evidence
                else "",
                reflection=_reflection_pairs(entry, view.framework),
                decision_record=[(label, getattr(record, name)) for name, label in RECORD_PARTS]
                if record
                else [],
                notes=entry.notes,
                time_basis=entry.time_basis,
                refresher_due=entry.refresher_due,
            )
        )
    return rows


def target_lines(view: RecordView) -> list[tuple[str, str]]:
    lines = []
    for target in view.summary.targets:
        if target.unit == "minutes":
            value = f"{hours(target.value)} of {hours(target.target)} hours"
        else:
            value = f"{target.value} of {target.target}"
        lines.append((target.label, value + (" (met)" if target.is_met else "")))
    return lines


def record_pdf_data(view: RecordView, holder_name: str) -> RecordData:
    return RecordData(
        holder_name=holder_name,
        framework=view.framework.name if view.framework else "None chosen",
        period=view.summary.period.label,
        minutes=view.summary.minutes,
        participatory_minutes=view.summary.participatory_minutes,
        targets=target_lines(view),
        rows=export_rows(view),
    )


CSV_HEADER = (
    "Date",
    "Activity type",
    "Title",
    "Course, case or provider",
    "Minutes",
    "Participatory minutes",
    "Hours",
    "How the time was counted",
    "Refresher due",
    "Learning outcomes",
    "Evidence",
    "Reflection",
    "Decision record",
    "Notes",
)


def csv_rows(view: RecordView) -> list[list]:
    return [
        [
            row.on.isoformat(),
            row.activity,
            row.title,
            row.context,
            row.minutes,
            row.participatory_minutes,
            hours(row.minutes),
            row.time_basis,
            row.refresher_due.isoformat() if row.refresher_due else "",
            "; ".join(row.outcomes),
            row.evidence_url,
            "\n".join(f"{q}: {a}" for q, a in row.reflection),
            "\n".join(f"{q}: {a}" for q, a in row.decision_record),
            row.notes,
        ]
        for row in export_rows(view)
    ]
