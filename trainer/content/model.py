"""Plain value objects for the training content: what the catalogue holds once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SECTORS: dict[str, str] = {
    "health": "Health",
    "education": "Schools and colleges",
    "early-years": "Early years",
    "childrens-social-care": "Children's social care",
    "police": "Police",
    "youth-justice": "Youth justice",
    "housing": "Housing",
    "adult-services": "Adult services",
    "voluntary": "Voluntary and community sector",
    "other": "Other",
}

AGE_GROUPS: dict[str, str] = {
    "unborn": "Unborn",
    "under-5": "Under 5",
    "5-11": "5 to 11",
    "12-17": "12 to 17",
    "adult": "Adult (parent or carer)",
}

END = "end"


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    year: int
    url: str | None = None


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    summary: str
    audience: tuple[str, ...]
    module_ids: tuple[str, ...]
    completion_quizzes: tuple[str, ...]
    cpd_minutes: int
    validity_months: int
    last_reviewed: date
    facilitator_notes_html: str = ""
    position: int = 100
    version: str = ""  # changes whenever the course file or any of its modules changes
    retake_wait_hours: int = 0  # after a failed final assessment, before the next attempt


@dataclass(frozen=True)
class Module:
    id: str
    course_id: str
    title: str
    duration_minutes: int
    outcomes: tuple[str, ...]
    last_reviewed: date
    sources: tuple[Source, ...]
    case_examples: tuple[str, ...]
    quizzes: tuple[str, ...]
    html: str
    toc: tuple[tuple[str, str], ...] = ()
    facilitator_notes_html: str = ""


@dataclass(frozen=True)
class CaseExample:
    id: str
    title: str
    agencies: tuple[str, ...]
    age_groups: tuple[str, ...]
    themes: tuple[str, ...]
    key_questions: tuple[str, ...]
    principles: tuple[str, ...]
    last_reviewed: date
    html: str
    stages: tuple[tuple[str, str], ...] = ()  # (anchor, heading) of each stage
    facilitator_notes_html: str = ""
    has_risk_of_harm: bool = False  # its scenario must then mark at least one critical choice


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition_html: str
    definition_text: str


@dataclass(frozen=True)
class Principle:
    """A key principle or a decision question: what quiz feedback rests on."""

    id: str
    kind: str  # "principle" or "question"
    title: str
    summary_html: str
    module_id: str


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    feedback_html: str
    score: int
    rests_on: tuple[str, ...]
    next_step: str
    is_critical: bool = False  # leaves someone at risk unprotected or breaks the law
    critical_reason: str = ""


@dataclass(frozen=True)
class Step:
    id: str
    text_html: str
    choices: tuple[Choice, ...]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    is_correct: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # single | multiple | true_false | ordering
    text_html: str
    options: tuple[Option, ...]
    answer: bool | None
    feedback_html: str
    rests_on: tuple[str, ...]
    outcome: str = ""  # in a final assessment's pool: the module whose outcomes it tests


# The parts of a decision record, in order, with the name each is shown under.
RECORD_PARTS: tuple[tuple[str, str], ...] = (
    ("decision", "Decision"),
    ("shared_with", "With whom"),
    ("when", "When"),
    ("reasons", "Why"),
    ("lawful_basis", "Lawful basis"),
)


@dataclass(frozen=True)
class ModelRecord:
    decision: str
    shared_with: str
    when: str
    reasons: str
    lawful_basis: str


@dataclass(frozen=True)
class Quiz:
    id: str
    title: str
    kind: str  # scenario | check
    pass_mark: int
    last_reviewed: date
    version: str
    duration_minutes: int = 10
    case_example: str | None = None
    steps: tuple[Step, ...] = ()
    questions: tuple[Question, ...] = ()
    model_record: ModelRecord | None = None
    draw_per_outcome: int = 0  # a final assessment's pool: questions drawn per outcome, or 0

    @property
    def is_pool(self) -> bool:
        """Each attempt draws its questions from the pool, rather than asking them all."""
        return self.draw_per_outcome > 0

    @property
    def start(self) -> Step:
        return self.steps[0]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class Catalogue:
    courses: dict[str, Course] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    cases: dict[str, CaseExample] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    principles: dict[str, Principle] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    disclaimer_html: str = ""
    version: str = ""  # a fingerprint of every content file: changes when any of them changes

    def counts(self) -> dict[str, int]:
        return {
            "courses": len(self.courses),
            "modules": len(self.modules),
            "case_examples": len(self.cases),
            "quizzes": len(self.quizzes),
            "glossary_terms": len(self.terms),
        }

    def modules_of(self, course: Course) -> list[Module]:
        return [self.modules[module_id] for module_id in course.module_ids]

    def summary(self) -> str:
        """One line for people: "3 courses, 17 modules, 1 case example, ..."."""
        names = {
            "courses": ("course", "courses"),
            "modules": ("module", "modules"),
            "case_examples": ("case example", "case examples"),
            "quizzes": ("quiz", "quizzes"),
            "glossary_terms": ("glossary term", "glossary terms"),
        }
        return ", ".join(
            f"{count} {names[key][count != 1]}" for key, count in self.counts().items()
        )


@dataclass(frozen=True)
class Prompt:
    id: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Framework:
    """A regulator's way of keeping CPD: its cycle, targets and reflection prompts."""

    id: str
    name: str
    regulator: str
    summary: str
    cycle_kind: str  # "registration-year" (ends on a fixed day) or "years" (a period of N years)
    cycle_ends: str  # MM-DD, for registration years
    cycle_years: int
    is_rolling: bool  # the last N years up to today, rather than from the learner's start date
    targets: dict[str, int]
    prompts: tuple[Prompt, ...]
    source: Source
