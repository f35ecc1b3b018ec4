"""Training content for the benchmarks, written as real content files.

A copy of the project's curriculum, plus generated courses, modules, case examples and
quizzes in every format the loader reads (docs/authoring.md), or plus copies of the real
curriculum under new ids, so that the content grows 10 or 100 times. Everything written
passes `trainer check-content`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from trainer.content.model import AGE_GROUPS, SECTORS

FOLDERS = ("modules", "quizzes", "case_examples")
REVIEWED = date(2026, 11, 20)
LINK = re.compile(r"\[\[(module|case):([a-z0-9-]+)")
# libyaml when PyYAML was built with it, as the content loader uses: copies are many files.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Sizes:
    """How much generated content to add beside the real curriculum."""

    modules: int = 100
    cases: int = 50
    quizzes: int = 50
    modules_per_course: int = 10

    @property
    def courses(self) -> int:
        return -(-self.modules // self.modules_per_course)


@dataclass(frozen=True)
class Generated:
    courses: int
    modules: int
    cases: int
    quizzes: int

    def summary(self) -> str:
        counts = (
            (self.courses, "course"),
            (self.modules, "module"),
            (self.cases, "case example"),
            (self.quizzes, "quiz"),
        )
        words = [
            f"{n:,} {word}{'' if n == 1 else 'zes' if word == 'quiz' else 's'}"
            for n, word in counts
        ]
        return ", ".join(words[:-1]) + f" and {words[-1]}"


def copy_real(source: Path, dest: Path) -> None:
    """The content folders of source, copied into dest."""
    for folder in FOLDERS:
        shutil.copytree(source / folder, dest / folder, dirs_exist_ok=True)


def _ids(path: Path, *sections: str) -> list[str]:
    data = _load(path.read_text(encoding="utf-8")) or {}
    return [item["id"] for section in sections for item in data.get(section) or ()]


def _front_matter(meta: dict, body: str) -> str:
    return f"---\n{_yaml(meta)}---\n\n{body.strip()}\n"


def _yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100)


def _load(text: str):
    return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)


def add_generated(dest: Path, sizes: Sizes) -> Generated:
    """Generated courses, modules, case examples and quizzes, beside what dest already holds.

    One final assessment per course comes first among the quizzes; the rest alternate
    between scenarios (on the generated cases, in turn) and knowledge checks.
    """
    if sizes.quizzes < sizes.courses:
        raise ValueError(f"{sizes.quizzes} quizzes cannot give {sizes.courses} courses a final")
    if sizes.cases < 1:
        raise ValueError("generated modules and scenarios need at least one case example")
    basis = _ids(dest / "modules/principles.yaml", "principles", "questions")
    terms = _ids(dest / "modules/glossary.yaml", "terms")
    cases = [f"gen-case-{n:03}" for n in range(1, sizes.cases + 1)]
    for n, case_id in enumerate(cases):
        _write_case(dest, case_id, n, basis, terms)
    finals = [f"gen-final-{c:02}" for c in range(1, sizes.courses + 1)]
    others = [
        f"gen-scenario-{n:03}" if n % 2 else f"gen-check-{n:03}"
        for n in range(1, sizes.quizzes - sizes.courses + 1)
    ]
    for n, quiz_id in enumerate(others):
        if quiz_id.startswith("gen-scenario"):
            _write_scenario(dest, quiz_id, cases[n % len(cases)], basis)
        else:
            _write_check(dest, quiz_id, basis)
    module_ids = [f"gen-module-{n:03}" for n in range(1, sizes.modules + 1)]
    for c, final_id in enumerate(finals):
        chunk = module_ids[c * sizes.modules_per_course : (c + 1) * sizes.modules_per_course]
        course_id = f"gen-course-{c + 1:02}"
        _write_course(dest, course_id, c, chunk, final_id, cases, others, basis, terms)
        _write_final(dest, final_id, chunk, basis)
    return Generated(sizes.courses, sizes.modules, sizes.cases, len(finals) + len(others))


def _write_course(dest, course_id, c, module_ids, final_id, cases, quizzes, basis, terms):
    folder = dest / "modules" / course_id
    folder.mkdir(parents=True)
    course = {
        "id": course_id,
        "title": f"Generated course {c + 1}: sharing in practice",
        "summary": "A generated course of the same shape as the real ones, for benchmarks.",
        "audience": list(SECTORS)[: 3 + c % 5],
        "modules": module_ids,
        "completion": {"quizzes": [final_id]},
        "cpd_minutes": 30 * len(module_ids),
        "validity_months": 24,
        "last_reviewed": REVIEWED,
        "position": 10 + c,
        "facilitator_notes": "Run the modules in order; " + _links("module", module_ids[:3]),
    }
    (folder / "course.yaml").write_text(_yaml(course), encoding="utf-8")
    for position, module_id in enumerate(module_ids, start=1):
        n = c * len(module_ids) + position
        meta = {
            "id": module_id,
            "title": f"Generated module {n}: deciding what to share",
            "duration_minutes": 20,
            "outcomes": [
                "Explain why the purpose of sharing comes first.",
                "Decide what is relevant, adequate and accurate to share.",
            ],
            "last_reviewed": REVIEWED,
            "sources": [
                {
                    "title": "Information sharing: advice for practitioners",
                    "publisher": "HM Government",
                    "year": 2024,
                }
            ],
            "case_examples": [cases[n % len(cases)]],
            "quizzes": [quizzes[n % len(quizzes)]] if quizzes else [],
            "facilitator_notes": "Ask each agency what it would record.",
        }
        previous = module_ids[position - 2] if position > 1 else None
        body = _module_body(n, cases[n % len(cases)], terms, previous)
        (folder / f"{position:02}-{module_id}.md").write_text(
            _front_matter(meta, body), encoding="utf-8"
        )


def _links(kind: str, ids: list[str]) -> str:
    return ", ".join(f"[[{kind}:{i}]]" for i in ids) + "."


def _module_body(n: int, case_id: str, terms: list[str], previous: str | None) -> str:
    term = terms[n % len(terms)] if terms else ""
    see_term = f"[[term:{term}]]" if term else "the glossary"
    back = f"It builds on [[module:{previous}]]." if previous else "It is the first of its course."
    paragraph = (
        "Practitioners who work with children and families share information every day. "
        "Each time, the question is the same: what is the purpose, what is the least that "
        "meets it, and who needs to know? This paragraph stands in for the kind of prose a "
        "real module holds, so that the page weighs what a real page weighs. "
    )
    sections = []
    for s in range(1, 5):
        sections.append(
            f"## Part {s}: thinking it through\n\n{paragraph * 3}\n\n"
            f"See {see_term} and the case [[case:{case_id}]].[^{s}]\n\n"
            "| question | what to ask yourself |\n|---|---|\n"
            "| purpose | Why am I sharing, and with whom? |\n"
            "| basis | What lets me share: a duty, public task, consent? |\n"
            "| amount | What is the least that meets the purpose? |\n\n"
            '!!! note "Remember"\n    Record what you shared, with whom, when and why.\n\n'
            "Proportionate\n:   No more than the purpose needs.\n"
        )
    footnotes = "\n".join(f"[^{s}]: Generated source note {s}." for s in range(1, 5))
    return f"{back}\n\n{paragraph}\n\n" + "\n".join(sections) + f"\n{footnotes}\n"


def _write_case(dest: Path, case_id: str, n: int, basis: list[str], terms: list[str]) -> None:
    sectors, ages = list(SECTORS), list(AGE_GROUPS)
    meta = {
        "id": case_id,
        "title": f"Generated case {n + 1}: a family known to several agencies",
        "agencies": [sectors[n % len(sectors)], sectors[(n + 3) % len(sectors)]],
        "age_groups": [ages[n % len(ages)]],
        "themes": ["generated", f"theme-{n % 7}"],
        "key_questions": [q for q in basis if q.startswith("q-")][:2],
        "principles": [p for p in basis if not p.startswith("q-")][:2],
        "risk_of_harm": n % 2 == 0,
        "last_reviewed": REVIEWED,
        "facilitator_notes": "Take each stage in turn and ask what each agency knows.",
    }
    term = f"[[term:{terms[n % len(terms)]}]]" if terms else "the glossary"
    stages = "\n\n".join(
        f"## Stage {s}: what happens next\n\n"
        "A practitioner notices something that worries them and must decide whether to share, "
        f"what to share and with whom. Think about {term} before you decide.\n\n"
        "- Who already knows?\n- What would happen if nobody shared?\n"
        for s in range(1, 4)
    )
    (dest / "case_examples" / f"{case_id}.md").write_text(
        _front_matter(meta, stages), encoding="utf-8"
    )


def _write_scenario(dest: Path, quiz_id: str, case_id: str, basis: list[str]) -> None:
    def choice(ident, text, score, next_step, critical=False):
        made = {
            "id": ident,
            "text": text,
            "feedback": f"Why {text.lower().rstrip('.')} is or is not the best thing to do.",
            "score": score,
            "rests_on": basis[:1],
            "next": next_step,
        }
        if critical:
            made |= {"critical": True, "critical_reason": "It leaves a child at risk."}
        return made

    steps = [
        {
            "id": f"decide-{s}",
            "text": f"Stage {s}: you have learned something new about the family. What do you do?",
            "choices": [
                choice("share-now", "Share what is relevant now.", 10, nxt),
                choice("ask-advice", "Ask your safeguarding lead first.", 5, nxt),
                choice("wait", "Wait and see what happens.", 0, "end", critical=True),
            ],
        }
        for s, nxt in ((1, "decide-2"), (2, "decide-3"), (3, "end"))
    ]
    quiz = {
        "id": quiz_id,
        "title": f"Scenario: {quiz_id}",
        "kind": "scenario",
        "case_example": case_id,
        "pass_mark": 70,
        "last_reviewed": REVIEWED,
        "steps": steps,
        "model_record": {
            "decision": "Shared the relevant concern.",
            "shared_with": "Children's social care, the duty social worker.",
            "when": "The same day, by phone, confirmed by secure email.",
            "reasons": "A child was at risk of harm.",
            "lawful_basis": "Public task, with the safeguarding condition.",
        },
    }
    (dest / "quizzes" / f"{quiz_id}.yaml").write_text(_yaml(quiz), encoding="utf-8")


def _questions(prefix: str, basis: list[str]) -> list[dict]:
    rests_on = basis[:1]
    options = [
        {"id": "a", "text": "Share what the purpose needs", "correct": True},
        {"id": "b", "text": "Share the whole file"},
        {"id": "c", "text": "Share nothing"},
    ]
    return [
        {
            "id": f"{prefix}single",
            "type": "single",
            "text": "What do you share?",
            "options": options,
            "feedback": "Only what the purpose needs.",
            "rests_on": rests_on,
        },
        {
            "id": f"{prefix}multiple",
            "type": "multiple",
            "text": "Which do you record? Select all that apply.",
            "options": [
                {"id": "a", "text": "What you shared", "correct": True},
                {"id": "b", "text": "Why you shared it", "correct": True},
                {"id": "c", "text": "Your opinion of the family"},
            ],
            "feedback": "What, with whom, when and why.",
            "rests_on": rests_on,
        },
        {
            "id": f"{prefix}true-false",
            "type": "true_false",
            "text": "Consent is always needed before sharing.",
            "answer": False,
            "feedback": "Not when asking would put a child at risk.",
            "rests_on": rests_on,
        },
        {
            "id": f"{prefix}ordering",
            "type": "ordering",
            "text": "Put these steps in order.",
            "options": [
                {"id": "purpose", "text": "Find the purpose"},
                {"id": "basis", "text": "Find the lawful basis"},
                {"id": "record", "text": "Record the decision"},
            ],
            "feedback": "Purpose, basis, record.",
            "rests_on": rests_on,
        },
    ]


def _write_check(dest: Path, quiz_id: str, basis: list[str]) -> None:
    quiz = {
        "id": quiz_id,
        "title": f"Check: {quiz_id}",
        "kind": "check",
        "pass_mark": 75,
        "last_reviewed": REVIEWED,
        "questions": _questions("", basis),
    }
    (dest / "quizzes" / f"{quiz_id}.yaml").write_text(_yaml(quiz), encoding="utf-8")


def _write_final(dest: Path, quiz_id: str, module_ids: list[str], basis: list[str]) -> None:
    questions = [
        {**question, "outcome": module_id}
        for module_id in module_ids
        for question in _questions(f"{module_id}-", basis)[:3]
    ]
    quiz = {
        "id": quiz_id,
        "title": f"Final assessment: {quiz_id}",
        "kind": "check",
        "pass_mark": 80,
        "last_reviewed": REVIEWED,
        "draw_per_outcome": 1,
        "questions": questions,
    }
    (dest / "quizzes" / f"{quiz_id}.yaml").write_text(_yaml(quiz), encoding="utf-8")


def add_copies(source: Path, dest: Path, copies: int) -> None:
    """Copies 2..copies+1 of source's courses, case examples and quizzes, under new ids.

    With the real curriculum copied first, dest then holds it copies + 1 times over; links
    and references inside each copy point at the same copy.
    """
    for k in range(2, copies + 2):
        _add_copy(source, dest, k)


def _add_copy(source: Path, dest: Path, k: int) -> None:
    suffix = f"-x{k}"
    renamed = {"module": {}, "case": {}}
    courses = [p for p in sorted((source / "modules").iterdir()) if (p / "course.yaml").exists()]
    for course in courses:
        for path in course.glob("*.md"):
            module_id = path.stem.split("-", 1)[1]
            renamed["module"][module_id] = module_id + suffix
    for path in (source / "case_examples").glob("*.md"):
        renamed["case"][path.stem] = path.stem + suffix
    quizzes = {p.stem: p.stem + suffix for p in (source / "quizzes").glob("*.yaml")}
    modules = renamed["module"]

    def relinked(text: str) -> str:
        return LINK.sub(lambda m: f"[[{m[1]}:{renamed[m[1]].get(m[2], m[2])}", text)

    for course in courses:
        folder = dest / "modules" / (course.name + suffix)
        folder.mkdir(parents=True)
        data = _load(relinked((course / "course.yaml").read_text(encoding="utf-8")))
        data["id"] += suffix
        data["title"] += f" (copy {k})"
        data["modules"] = [modules[m] for m in data["modules"]]
        if data.get("completion"):
            data["completion"]["quizzes"] = [quizzes[q] for q in data["completion"]["quizzes"]]
        (folder / "course.yaml").write_text(_yaml(data), encoding="utf-8")
        for path in sorted(course.glob("*.md")):
            meta, body = _split(relinked(path.read_text(encoding="utf-8")))
            meta["id"] = modules[meta["id"]]
            meta["case_examples"] = [renamed["case"][c] for c in meta.get("case_examples", ())]
            meta["quizzes"] = [quizzes[q] for q in meta.get("quizzes", ())]
            position = path.name.split("-", 1)[0]
            (folder / f"{position}-{meta['id']}.md").write_text(
                _front_matter(meta, body), encoding="utf-8"
            )
    for path in sorted((source / "case_examples").glob("*.md")):
        meta, body = _split(relinked(path.read_text(encoding="utf-8")))
        meta["id"] += suffix
        meta["title"] += f" (copy {k})"
        (dest / "case_examples" / f"{meta['id']}.md").write_text(
            _front_matter(meta, body), encoding="utf-8"
        )
    for path in sorted((source / "quizzes").glob("*.yaml")):
        data = _load(relinked(path.read_text(encoding="utf-8")))
        data["id"] = quizzes[data["id"]]
        data["title"] += f" (copy {k})"
        if data.get("case_example"):
            data["case_example"] = renamed["case"][data["case_example"]]
        for question in data.get("questions", ()):
            if "outcome" in question:
                question["outcome"] = modules[question["outcome"]]
        (dest / "quizzes" / f"{data['id']}.yaml").write_text(_yaml(data), encoding="utf-8")


def _split(text: str) -> tuple[dict, str]:
    """A Markdown file's front matter and body."""
    _, meta, body = text.split("---\n", 2)
    return _load(meta), body
