"""A learner's CPD record, built from what they did here plus what they added themselves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from trainer.content import Catalogue
from trainer.content.model import Framework
from trainer.credit import final_assessment_minutes, is_read_credited, ledger_for
from trainer.extensions import db
from trainer.formats import london_date
from trainer.models import (
    ACTIVITY_TYPES,
    Attempt,
    Attendance,
    CourseCompletion,
    DecisionRecord,
    ExternalActivity,
    ModuleRead,
    Reflection,
    TrainingSession,
)

from .periods import Period


@dataclass(frozen=True)
class Evidence:
    label: str
    endpoint: str
    values: dict


TIME_COUNTED = "Stated length, counted because its knowledge check was passed"
TIME_NOT_YET_COUNTED = "Not counted yet: pass the module's knowledge check to count its time"
PEER_PROMPT = "peer"  # the prompt that records a discussion with a colleague


@dataclass(frozen=True)
class Entry:
    key: str
    on: date
    activity_type: str
    title: str
    context: str  # the course, case or provider
    minutes: int
    participatory_minutes: int
    outcomes: tuple[str, ...] = ()
    time_basis: str = ""  # why the minutes are what they are, where that needs saying
    refresher_due: date | None = None
    evidence: Evidence | None = None
    reflection: dict = field(default_factory=dict)
    decision_record: DecisionRecord | None = None
    notes: str = ""

    @property
    def activity_label(self) -> str:
        return ACTIVITY_TYPES.get(self.activity_type, self.activity_type)

    @property
    def has_reflection(self) -> bool:
        return any(value.strip() for value in self.reflection.values())

    @property
    def has_peer_reflection(self) -> bool:
        return bool(self.reflection.get(PEER_PROMPT, "").strip())

    def is_reflective_account(self, framework: Framework) -> bool:
        """A written reflective account answers every prompt but the optional peer one."""
        required = [p.id for p in framework.prompts if p.id != PEER_PROMPT]
        return bool(required) and all(self.reflection.get(p, "").strip() for p in required)


def entries_for(catalogue: Catalogue, user_id: int) -> list[Entry]:
    """Every CPD entry for the learner, newest first, with their own reflections."""
    reflections = {
        r.entry_key: r.answers
        for r in db.session.scalars(db.select(Reflection).where(Reflection.user_id == user_id))
    }
    entries = [
        replace(entry, reflection=reflections.get(entry.key, {}))
        for source in (
            _module_reads,
            _scenarios,
            _completions,
            _sessions_attended,
            _activities_elsewhere,
        )
        for entry in source(catalogue, user_id)
    ]
    return sorted(entries, key=lambda e: (e.on, e.key), reverse=True)


def _module_reads(catalogue: Catalogue, user_id: int) -> Iterator[Entry]:
    """Each module read, as e-learning: its stated time once its knowledge check is passed."""
    ledger = ledger_for(user_id)
    for read in db.session.scalars(db.select(ModuleRead).where(ModuleRead.user_id == user_id)):
        module = catalogue.modules.get(read.module_id)
        course = catalogue.courses.get(read.course_id)
        if module is None or course is None:
            continue  # content withdrawn since: the fact stays in the database
        is_credited = is_read_credited(catalogue, ledger, module, course.id, read.cycle)
        yield Entry(
            key=f"read-{read.id}",
            on=london_date(read.read_at),
            activity_type="e-learning",
            title=module.title,
            context=course.title,
            minutes=module.duration_minutes if is_credited else 0,
            participatory_minutes=0,
            outcomes=module.outcomes,
            time_basis=TIME_COUNTED if is_credited else TIME_NOT_YET_COUNTED,
            evidence=Evidence(
                "Module", "learn.module", {"course_id": course.id, "module_id": module.id}
            ),
        )


def _scenarios(catalogue: Catalogue, user_id: int) -> Iterator[Entry]:
    """Each finished scenario (knowledge checks count within their course). A scenario's time
    counts once, on its first attempt that scored anything: a retake repeats the same learning,
    and a score of 0% is no evidence of it."""
    finished = db.session.scalars(
        db.select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at, Attempt.id)
    )
    credited: set[str] = set()
    for attempt in finished:
        quiz = catalogue.quizzes.get(attempt.quiz_id)
        if quiz is None or quiz.kind != "scenario":
            continue  # knowledge checks assess the modules; their time is in the course's
        case = catalogue.cases.get(quiz.case_example)
        earns_time = bool(attempt.percent) and quiz.id not in credited
        if earns_time:
            credited.add(quiz.id)
        yield Entry(
            key=f"attempt-{attempt.id}",
            on=london_date(attempt.finished_at),
            activity_type="scenario",
            title=quiz.title,
            context=case.title if case else "",
            minutes=quiz.duration_minutes if earns_time else 0,
            participatory_minutes=0,
            outcomes=(
                f"Scored {attempt.percent}% ({'passed' if attempt.passed else 'not passed'})",
                *_no_time_reason(attempt.percent, earns_time),
            ),
            evidence=Evidence(
                "Result", "learn.attempt", {"quiz_id": quiz.id, "number": attempt.number}
            ),
            decision_record=attempt.decision_record,
        )


def _no_time_reason(percent: int | None, earns_time: bool) -> tuple[str, ...]:
    if earns_time:
        return ()
    if not percent:
        return ("No CPD time: a score of 0% does not count",)
    return ("No CPD time: this scenario's time counted on an earlier attempt",)


def _completions(catalogue: Catalogue, user_id: int) -> Iterator[Entry]:
    """Each course completed: its final assessment's time (the modules count their own)."""
    completions = db.session.scalars(
        db.select(CourseCompletion).where(CourseCompletion.user_id == user_id)
    )
    for completion in completions:
        course = catalogue.courses.get(completion.course_id)
        title = course.title if course else completion.course_id
        yield Entry(
            key=f"completion-{completion.id}",
            on=london_date(completion.completed_at),
            activity_type="e-learning",
            title=f"Completed: {title}",
            context=title,
            minutes=final_assessment_minutes(catalogue, course) if course else 0,
            refresher_due=completion.refresher_due,
            participatory_minutes=0,
            evidence=Evidence(
                "Certificate",
                "cpd.certificate",
                {"course_id": completion.course_id, "completion": completion.id},
            ),
        )


def _sessions_attended(catalogue: Catalogue, user_id: int) -> Iterator[Entry]:
    """Each session the learner was marked present at: all of its time is participatory."""
    attended = db.session.execute(
        db.select(Attendance, TrainingSession)
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(Attendance.user_id == user_id, Attendance.is_present.is_(True))
        .where(TrainingSession.cancelled_at.is_(None))
    )
    for attendance, session in attended:
        course = catalogue.courses.get(session.course_id)
        yield Entry(
            key=f"session-{attendance.id}",
            on=london_date(session.starts_at),
            activity_type="facilitated-session",
            title=f"Session attended: {session.title}",
            context=course.title if course else "",
            minutes=session.minutes,
            participatory_minutes=session.minutes,
            outcomes=tuple(
                f"Case example discussed: {catalogue.cases[case_id].title}"
                for case_id in session.case_ids
                if case_id in catalogue.cases
            ),
            evidence=Evidence("Session", "facilitate.session", {"session_id": session.id}),
        )


def _activities_elsewhere(catalogue: Catalogue, user_id: int) -> Iterator[Entry]:
    """CPD the learner did elsewhere and added by hand."""
    for activity in db.session.scalars(
        db.select(ExternalActivity).where(ExternalActivity.user_id == user_id)
    ):
        yield Entry(
            key=f"activity-{activity.id}",
            on=activity.done_on,
            activity_type=activity.activity_type,
            title=activity.title,
            context=activity.provider,
            minutes=activity.minutes,
            participatory_minutes=activity.participatory_minutes,
            notes=activity.notes,
        )


@dataclass(frozen=True)
class TargetProgress:
    label: str
    value: int
    target: int
    unit: str = ""

    @property
    def is_met(self) -> bool:
        return self.value >= self.target


@dataclass(frozen=True)
class Summary:
    period: Period
    entries: list[Entry]
    minutes: int
    participatory_minutes: int
    targets: list[TargetProgress]


TARGET_LABELS = {
    "records": ("CPD records with a reflection", ""),
    "peer_reflections": ("Records that include peer reflection", ""),
    "reflections": ("Written reflective accounts", ""),
    "minutes": ("CPD time", "minutes"),
    "participatory_minutes": ("Participatory CPD time", "minutes"),
    "activity_types": ("Different types of activity", ""),
}


def summarise(entries: list[Entry], period: Period, framework: Framework | None) -> Summary:
    """The entries in a period and their totals, measured against the framework's targets."""
    chosen = [e for e in entries if period.contains(e.on)]
    values = {
        "records": sum(e.has_reflection for e in chosen),
        "peer_reflections": sum(e.has_peer_reflection for e in chosen),
        "reflections": sum(e.is_reflective_account(framework) for e in chosen) if framework else 0,
        "minutes": sum(e.minutes for e in chosen),
        "participatory_minutes": sum(e.participatory_minutes for e in chosen),
        "activity_types": len({e.activity_type for e in chosen}),
    }
    targets = []
    if framework:
        for key, goal in framework.targets.items():
            label, unit = TARGET_LABELS[key]
            targets.append(TargetProgress(label, values[key], goal, unit))
    return Summary(
        period=period,
        entries=chosen,
        minutes=values["minutes"],
        participatory_minutes=values["participatory_minutes"],
        targets=targets,
    )
