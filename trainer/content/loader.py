"""Reads a content folder into a validated Catalogue, collecting every problem at once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .fields import Fields
from .graph import check_graph
from .model import (
    AGE_GROUPS,
    END,
    RECORD_PARTS,
    SECTORS,
    CaseExample,
    Catalogue,
    Choice,
    Course,
    Framework,
    ModelRecord,
    Module,
    Option,
    Principle,
    Prompt,
    Question,
    Quiz,
    Source,
    Step,
    Term,
)
from .problems import ContentError, Problem
from .render import LinkTarget, Rendered, plain_text, render_markdown

DEFAULT_LINKS = {
    "term": "/glossary#term-{id}",
    "case": "/cases/{id}",
    "module": "/courses/{course}/{id}",
}
MODULE_FILE = re.compile(r"^(?P<position>\d{2})-(?P<id>.+)\.md$")
# CPD time a quiz counts for when its file does not say.
DEFAULT_QUIZ_MINUTES = {"scenario": 20, "check": 10}
QUESTION_TYPES = ("single", "multiple", "true_false", "ordering")
TARGETS = (
    "records",
    "peer_reflections",
    "reflections",
    "minutes",
    "participatory_minutes",
    "activity_types",
)


@dataclass
class _Doc:
    path: Path
    name: str  # path relative to the content root, as authors see it
    meta: Any
    body: str
    version: str


class _Loader:
    def __init__(self, root: Path, links: dict[str, str]) -> None:
        self.root = root
        self.links = links
        self.problems: list[Problem] = []
        self.index: dict[str, dict[str, dict[str, str]]] = {
            k: {} for k in ("term", "case", "module")
        }

    # Reading files -------------------------------------------------------------------------

    def read(self, path: Path, front_matter: bool) -> _Doc | None:
        name = path.relative_to(self.root).as_posix()
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(name, "", f"cannot be read as UTF-8 text ({exc})"))
            return None
        version = hashlib.sha256(raw).hexdigest()[:12]
        body = ""
        if front_matter:
            match = re.match(r"\A---\s*\n(.*?\n)---\s*(?:\n|\Z)(.*)\Z", text, re.DOTALL)
            if not match:
                self.problems.append(
                    Problem(
                        name, "", "expected YAML front matter between two '---' lines at the top"
                    )
                )
                return None
            text, body = match.group(1), match.group(2)
        try:
            meta = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            # The context mark (where a quoted string or block began) is where authors look.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else ""
            what = ", ".join(
                part
                for part in (getattr(exc, "context", None), getattr(exc, "problem", None))
                if part
            )
            self.problems.append(Problem(name, where, f"is not valid YAML: {what or exc}"))
            return None
        return _Doc(path, name, meta, body, version)

    # Links between content -----------------------------------------------------------------

    def resolve(self, kind: str, ref: str) -> LinkTarget | None:
        entry = self.index.get(kind, {}).get(ref)
        if entry is None:
            return None
        href = self.links[kind].format(id=ref, course=entry.get("course", ""))
        return LinkTarget(href=href, label=entry["label"], description=entry.get("description", ""))

    def markdown(self, text: str, file: str, field: str) -> Rendered:
        rendered = render_markdown(text, self.resolve)
        for link in rendered.broken_links:
            kind = link.split(":", 1)[0]
            expected = {
                "term": "a glossary term id",
                "case": "a case example id",
                "module": "a module id",
            }.get(kind, "one of [[term:…]], [[case:…]], [[module:…]]")
            self.problems.append(
                Problem(file, field, f"link [[{link}]] does not resolve: expected {expected}")
            )
        return rendered

    def html(self, fields: Fields, key: str, required: bool = True) -> str:
        text = fields.text(key, required)
        return self.markdown(text, fields.file, fields.name(key)).html if text else ""

    def sources(self, fields: Fields) -> tuple[Source, ...]:
        out = []
        for index, item in enumerate(fields.items("sources")):
            source = fields.child(f"sources[{index}]", item)
            source.only("title", "publisher", "year", "url")
            url = source.text("url", required=False) or None
            if url and not url.startswith(("https://", "http://")):
                source.error("url", "expected an address starting https://")
            out.append(
                Source(
                    title=source.text("title"),
                    publisher=source.text("publisher"),
                    year=source.integer("year", 1900, 2100),
                    url=url,
                )
            )
        return tuple(out)

    def check_id(self, fields: Fields, expected: str) -> str:
        ident = fields.slug("id")
        if ident and ident != expected:
            fields.error("id", f"expected {expected!r} to match the file name, got {ident!r}")
        return ident

    def check_refs(
        self, fields: Fields, key: str, values: tuple[str, ...], known, what: str
    ) -> None:
        for value in values:
            if value not in known:
                fields.error(key, f"unknown {what} {value!r}")

    # The whole folder ----------------------------------------------------------------------

    def load(self) -> Catalogue:
        for folder in ("modules", "quizzes", "case_examples"):
            if not (self.root / folder).is_dir():
                self.problems.append(Problem(folder, "", f"folder is missing from {self.root}"))
        if self.problems:
            raise ContentError(self.problems)

        modules_dir = self.root / "modules"
        glossary = (
            self.read(modules_dir / "glossary.yaml", False)
            if (modules_dir / "glossary.yaml").exists()
            else None
        )
        principles_doc = (
            self.read(modules_dir / "principles.yaml", False)
            if (modules_dir / "principles.yaml").exists()
            else None
        )
        course_docs: list[tuple[_Doc, list[tuple[str, _Doc]]]] = []
        for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
            course_file = folder / "course.yaml"
            if not course_file.exists():
                self.problems.append(
                    Problem(f"modules/{folder.name}", "", "course folder has no course.yaml")
                )
                continue
            course_doc = self.read(course_file, False)
            module_docs = []
            for path in sorted(folder.glob("*.md")):
                match = MODULE_FILE.match(path.name)
                if not match:
                    self.problems.append(
                        Problem(
                            f"modules/{folder.name}/{path.name}",
                            "",
                            "module file name must look like NN-<module-id>.md",
                        )
                    )
                    continue
                doc = self.read(path, True)
                if doc:
                    module_docs.append((match.group("id"), doc))
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix not in (".md", ".yaml"):
                    self.problems.append(
                        Problem(
                            path.relative_to(self.root).as_posix(),
                            "",
                            "unexpected file in a course folder",
                        )
                    )
            if course_doc:
                course_docs.append((course_doc, module_docs))
        case_docs = [
            d
            for p in sorted((self.root / "case_examples").glob("*.md"))
            if (d := self.read(p, True))
        ]
        quiz_docs = [
            d for p in sorted((self.root / "quizzes").glob("*.yaml")) if (d := self.read(p, False))
        ]

        self.build_index(glossary, course_docs, case_docs)
        terms = self.load_terms(glossary)
        principles = self.load_principles(principles_doc)
        quizzes = self.unique([self.load_quiz(d, principles) for d in quiz_docs], "quiz")
        cases = self.unique([self.load_case(d, principles) for d in case_docs], "case example")
        courses: dict[str, Course] = {}
        all_modules: list[Module] = []
        for course_doc, module_docs in course_docs:
            course, modules = self.load_course(course_doc, module_docs, cases, quizzes)
            if course:
                courses[course.id] = course
            all_modules.extend(modules)
        modules = self.unique(all_modules, "module")
        self.check_principle_modules(principles, modules)
        self.check_critical_choices(quizzes, cases)

        frameworks = {}
        if (modules_dir / "frameworks.yaml").exists():
            doc = self.read(modules_dir / "frameworks.yaml", False)
            frameworks = self.load_frameworks(doc) if doc else {}
        disclaimer = ""
        if (modules_dir / "disclaimer.md").exists():
            disclaimer = self.markdown(
                (modules_dir / "disclaimer.md").read_text(encoding="utf-8"),
                "modules/disclaimer.md",
                "",
            ).html
        if self.problems:
            raise ContentError(self.problems)
        return Catalogue(
            courses=dict(
                sorted(courses.items(), key=lambda item: (item[1].position, item[1].title))
            ),
            modules=modules,
            cases=cases,
            quizzes=quizzes,
            terms=terms,
            principles=principles,
            frameworks=frameworks,
            disclaimer_html=disclaimer,
        )

    def unique(self, items: list, what: str) -> dict:
        out = {}
        for item in items:
            if item is None or not item.id:
                continue
            if item.id in out:
                self.problems.append(Problem(what, "id", f"duplicate {what} id {item.id!r}"))
            out[item.id] = item
        return out

    def build_index(self, glossary: _Doc | None, course_docs, case_docs) -> None:
        """Ids and labels every Markdown link may point at, read leniently before validation."""
        if glossary and isinstance(glossary.meta, dict):
            for entry in glossary.meta.get("terms") or []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    definition = entry.get("definition")
                    self.index["term"][entry["id"]] = {
                        "label": str(entry.get("term") or entry["id"]),
                        "description": plain_text(definition)
                        if isinstance(definition, str)
                        else "",
                    }
        for course_doc, module_docs in course_docs:
            course_id = course_doc.meta.get("id") if isinstance(course_doc.meta, dict) else None
            for _, doc in module_docs:
                if isinstance(doc.meta, dict) and isinstance(doc.meta.get("id"), str):
                    self.index["module"][doc.meta["id"]] = {
                        "label": str(doc.meta.get("title") or doc.meta["id"]),
                        "course": str(course_id or ""),
                    }
        for doc in case_docs:
            if isinstance(doc.meta, dict) and isinstance(doc.meta.get("id"), str):
                self.index["case"][doc.meta["id"]] = {
                    "label": str(doc.meta.get("title") or doc.meta["id"])
                }

    # Each kind -----------------------------------------------------------------------------

    def load_terms(self, doc: _Doc | None) -> dict[str, Term]:
        if doc is None:
            return {}
        top = Fields(doc.meta, doc.name, self.problems)
        top.only("terms")
        terms = []
        for index, item in enumerate(top.items("terms")):
            entry = top.child(f"terms[{index}]", item)
            entry.only("id", "term", "definition")
            definition = entry.text("definition")
            terms.append(
                Term(
                    id=entry.slug("id"),
                    term=entry.text("term"),
                    definition_html=self.markdown(
                        definition, doc.name, entry.name("definition")
                    ).html,
                    definition_text=plain_text(definition),
                )
            )
        return self.unique(terms, "glossary term")

    def load_frameworks(self, doc: _Doc) -> dict[str, Framework]:
        top = Fields(doc.meta, doc.name, self.problems)
        top.only("frameworks")
        found = []
        for index, item in enumerate(top.items("frameworks")):
            f = top.child(f"frameworks[{index}]", item)
            f.only("id", "name", "regulator", "summary", "cycle", "targets", "prompts", "source")
            cycle = f.child("cycle", f.data.get("cycle"))
            cycle.only("kind", "ends", "years", "rolling")
            kind = cycle.text("kind")
            ends = ""
            years = 1
            if kind == "registration-year":
                ends = cycle.text("ends")
                if ends and not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", ends):
                    cycle.error("ends", f"expected a month and day written MM-DD, got {ends!r}")
            elif kind == "years":
                years = cycle.integer("years", 1, 10)
            elif kind:
                cycle.error("kind", f"expected 'registration-year' or 'years', got {kind!r}")
            targets = f.child("targets", f.data.get("targets") or {})
            targets.only(*TARGETS)
            prompts = []
            for p_index, p_item in enumerate(f.items("prompts")):
                p = f.child(f"prompts[{p_index}]", p_item)
                p.only("id", "label", "hint")
                prompts.append(
                    Prompt(
                        id=p.slug_or_name("id"),
                        label=p.text("label"),
                        hint=p.text("hint", required=False),
                    )
                )
            source = f.child("source", f.data.get("source"))
            source.only("title", "publisher", "year", "url")
            found.append(
                Framework(
                    id=f.slug("id"),
                    name=f.text("name"),
                    regulator=f.text("regulator") if f.data.get("regulator") else "",
                    summary=f.text("summary"),
                    cycle_kind=kind,
                    cycle_ends=ends,
                    cycle_years=years,
                    is_rolling=bool(cycle.boolean("rolling")),
                    targets={key: targets.integer(key, 1) for key in targets.data},
                    prompts=tuple(prompts),
                    source=Source(
                        title=source.text("title"),
                        publisher=source.text("publisher"),
                        year=source.integer("year", 1900, 2100),
                        url=source.text("url", required=False) or None,
                    ),
                )
            )
        return self.unique(found, "framework")

    def load_principles(self, doc: _Doc | None) -> dict[str, Principle]:
        if doc is None:
            return {}
        top = Fields(doc.meta, doc.name, self.problems)
        top.only("principles", "questions")
        found = []
        for key, kind in (("principles", "principle"), ("questions", "question")):
            for index, item in enumerate(top.items(key, required=False)):
                entry = top.child(f"{key}[{index}]", item)
                entry.only("id", "title", "summary", "module")
                found.append(
                    Principle(
                        id=entry.slug("id"),
                        kind=kind,
                        title=entry.text("title"),
                        summary_html=self.html(entry, "summary"),
                        module_id=entry.slug("module"),
                    )
                )
        return self.unique(found, "principle or question")

    def load_course(self, doc: _Doc, module_docs, cases, quizzes):
        f = Fields(doc.meta, doc.name, self.problems)
        f.only(
            "id", "title", "summary", "audience", "modules", "completion", "cpd_minutes",
            "validity_months", "last_reviewed", "facilitator_notes", "position",
        )  # fmt: skip
        course_id = self.check_id(f, doc.path.parent.name)
        completion = f.child("completion", f.data.get("completion") or {})
        completion.only("quizzes")
        module_ids = f.slugs("modules")
        modules = [self.load_module(d, stem, course_id, cases, quizzes) for stem, d in module_docs]
        present = {m.id for m in modules}
        for module_id in module_ids:
            if module_id not in present:
                f.error(
                    "modules", f"lists module {module_id!r} but there is no NN-{module_id}.md here"
                )
        for module in modules:
            if module.id not in module_ids:
                self.problems.append(
                    Problem(
                        doc.name,
                        "modules",
                        f"does not list module {module.id!r}, so no one can reach it",
                    )
                )
        course = Course(
            id=course_id,
            title=f.text("title"),
            summary=f.text("summary"),
            audience=f.slugs("audience", among=SECTORS),
            module_ids=module_ids,
            completion_quizzes=completion.slugs("quizzes", required=False),
            cpd_minutes=f.integer("cpd_minutes", 1),
            validity_months=f.integer("validity_months", 1, 120),
            last_reviewed=f.day("last_reviewed"),
            facilitator_notes_html=self.html(f, "facilitator_notes", required=False),
            position=f.integer("position", 1, 1000) if "position" in f.data else 100,
            version=hashlib.sha256(
                "".join([doc.version, *(d.version for _, d in module_docs)]).encode()
            ).hexdigest()[:12],
        )
        self.check_refs(completion, "quizzes", course.completion_quizzes, quizzes, "quiz")
        return course, modules

    def load_module(self, doc: _Doc, stem: str, course_id: str, cases, quizzes) -> Module:
        f = Fields(doc.meta, doc.name, self.problems)
        f.only(
            "id", "title", "duration_minutes", "outcomes", "last_reviewed", "sources",
            "case_examples", "quizzes", "facilitator_notes",
        )  # fmt: skip
        body = self.markdown(doc.body, doc.name, "body")
        if not doc.body.strip():
            f.error("body", "expected Markdown text after the front matter")
        module = Module(
            id=self.check_id(f, stem),
            course_id=course_id,
            title=f.text("title"),
            duration_minutes=f.integer("duration_minutes", 1, 600),
            outcomes=f.texts("outcomes"),
            last_reviewed=f.day("last_reviewed"),
            sources=self.sources(f),
            case_examples=f.slugs("case_examples", required=False),
            quizzes=f.slugs("quizzes", required=False),
            html=body.html,
            toc=body.toc,
            facilitator_notes_html=self.html(f, "facilitator_notes", required=False),
        )
        self.check_refs(f, "case_examples", module.case_examples, cases, "case example")
        self.check_refs(f, "quizzes", module.quizzes, quizzes, "quiz")
        return module

    def load_case(self, doc: _Doc, principles: dict[str, Principle]) -> CaseExample:
        f = Fields(doc.meta, doc.name, self.problems)
        f.only(
            "id", "title", "agencies", "age_groups", "themes", "key_questions", "principles",
            "last_reviewed", "facilitator_notes", "risk_of_harm",
        )  # fmt: skip
        body = self.markdown(doc.body, doc.name, "body")
        if not doc.body.strip():
            f.error("body", "expected the case narrative after the front matter")
        case = CaseExample(
            id=self.check_id(f, doc.path.stem),
            title=f.text("title"),
            agencies=f.slugs("agencies", among=SECTORS),
            age_groups=f.slugs("age_groups", among=AGE_GROUPS),
            themes=f.slugs("themes"),
            key_questions=f.slugs("key_questions", required=False),
            principles=f.slugs("principles", required=False),
            last_reviewed=f.day("last_reviewed"),
            html=body.html,
            stages=body.toc,
            facilitator_notes_html=self.html(f, "facilitator_notes", required=False),
            has_risk_of_harm=bool(f.boolean("risk_of_harm")),
        )
        questions = {k for k, p in principles.items() if p.kind == "question"}
        rules = {k for k, p in principles.items() if p.kind == "principle"}
        self.check_refs(f, "key_questions", case.key_questions, questions, "decision question")
        self.check_refs(f, "principles", case.principles, rules, "principle")
        return case

    def load_quiz(self, doc: _Doc, principles: dict[str, Principle]) -> Quiz | None:
        f = Fields(doc.meta, doc.name, self.problems)
        kind = f.text("kind")
        common = ("id", "title", "kind", "pass_mark", "last_reviewed", "duration_minutes")
        if kind == "scenario":
            f.only(*common, "case_example", "steps", "model_record")
        elif kind == "check":
            f.only(*common, "questions")
        elif kind:
            f.error("kind", f"expected 'scenario' or 'check', got {kind!r}")
            return None
        quiz_id = self.check_id(f, doc.path.stem)
        steps: tuple[Step, ...] = ()
        questions: tuple[Question, ...] = ()
        record = None
        case_id = None
        if kind == "scenario":
            case_id = f.slug("case_example")
            if case_id and case_id not in self.index["case"]:
                f.error("case_example", f"unknown case example {case_id!r}")
            steps = tuple(
                self.load_step(f.child(f"steps[{i}]", item), principles)
                for i, item in enumerate(f.items("steps"))
            )
            check_graph(steps, f)
            record_fields = f.child("model_record", f.data.get("model_record"))
            record_fields.only(*(name for name, _label in RECORD_PARTS))
            record = ModelRecord(
                **{name: record_fields.text(name) for name, _label in RECORD_PARTS}
            )
        elif kind == "check":
            questions = tuple(
                self.load_question(f.child(f"questions[{i}]", item), principles)
                for i, item in enumerate(f.items("questions"))
            )
            ids = [q.id for q in questions if q.id]
            if len(set(ids)) != len(ids):
                f.error("questions", "two questions share an id")
        return Quiz(
            id=quiz_id,
            title=f.text("title"),
            kind=kind,
            pass_mark=f.integer("pass_mark", 1, 100),
            last_reviewed=f.day("last_reviewed"),
            duration_minutes=(
                f.integer("duration_minutes", 1, 600)
                if "duration_minutes" in f.data
                else DEFAULT_QUIZ_MINUTES.get(kind, 10)
            ),
            version=doc.version,
            case_example=case_id,
            steps=steps,
            questions=questions,
            model_record=record,
        )

    def rests_on(self, f: Fields, principles: dict[str, Principle]) -> tuple[str, ...]:
        values = f.slugs("rests_on")
        self.check_refs(f, "rests_on", values, principles, "principle or decision question")
        return values

    def load_step(self, f: Fields, principles: dict[str, Principle]) -> Step:
        f.only("id", "text", "choices")
        choices = []
        for index, item in enumerate(f.items("choices")):
            c = f.child(f"choices[{index}]", item)
            c.only(
                "id", "text", "feedback", "score", "rests_on", "next", "critical",
                "critical_reason",
            )  # fmt: skip
            is_critical = bool(c.boolean("critical"))
            reason = c.text("critical_reason", required=is_critical)
            if reason and not is_critical:
                c.error("critical_reason", "only a choice marked 'critical: true' takes a reason")
            choices.append(
                Choice(
                    id=c.slug("id"),
                    text=c.text("text"),
                    feedback_html=self.html(c, "feedback"),
                    score=c.integer("score", 0, 1000),
                    rests_on=self.rests_on(c, principles),
                    next_step=c.slug("next"),
                    is_critical=is_critical,
                    critical_reason=reason if is_critical else "",
                )
            )
        step_id = f.slug("id")
        if step_id == END:
            f.error("id", f"{END!r} is reserved for the end of the scenario")
        return Step(id=step_id, text_html=self.html(f, "text"), choices=tuple(choices))

    def load_question(self, f: Fields, principles: dict[str, Principle]) -> Question:
        f.only("id", "type", "text", "options", "answer", "feedback", "rests_on")
        qtype = f.text("type")
        if qtype and qtype not in QUESTION_TYPES:
            f.error("type", f"expected one of {', '.join(QUESTION_TYPES)}, got {qtype!r}")
        options = []
        for index, item in enumerate(f.items("options", required=qtype != "true_false")):
            o = f.child(f"options[{index}]", item)
            o.only("id", "text", "correct")
            correct = o.boolean("correct")
            if qtype == "ordering" and correct is not None:
                o.error(
                    "correct", "ordering options are written in the right order; remove 'correct'"
                )
            options.append(Option(id=o.slug("id"), text=o.text("text"), is_correct=bool(correct)))
        answer = f.boolean("answer", required=qtype == "true_false")
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            f.error("options", "two options share an id")
        correct_count = sum(o.is_correct for o in options)
        if qtype == "true_false" and options:
            f.error(
                "options",
                "true/false questions take 'answer: true' or 'answer: false', not options",
            )
        if qtype != "true_false" and answer is not None:
            f.error("answer", "only true/false questions take 'answer'")
        if qtype == "single" and options and correct_count != 1:
            f.error(
                "options",
                f"a single-choice question needs exactly one correct option, found {correct_count}",
            )
        if qtype == "multiple" and options and correct_count < 1:
            f.error("options", "a multiple-response question needs at least one correct option")
        if qtype in ("single", "multiple") and 0 < len(options) < 2:
            f.error("options", "expected at least two options")
        if qtype == "ordering" and 0 < len(options) < 3:
            f.error("options", "an ordering question needs at least three options")
        return Question(
            id=f.slug("id"),
            type=qtype,
            text_html=self.html(f, "text"),
            options=tuple(options),
            answer=answer,
            feedback_html=self.html(f, "feedback"),
            rests_on=self.rests_on(f, principles),
        )

    def check_principle_modules(self, principles, modules) -> None:
        for principle in principles.values():
            if principle.module_id and principle.module_id not in modules:
                self.problems.append(
                    Problem(
                        "modules/principles.yaml",
                        principle.id,
                        f"module {principle.module_id!r} does not exist",
                    )
                )

    def check_critical_choices(self, quizzes: dict[str, Quiz], cases) -> None:
        """A scenario on a case with a risk of harm must mark the choices that fail it."""
        for quiz in quizzes.values():
            case = cases.get(quiz.case_example)
            if (
                case
                and case.has_risk_of_harm
                and not any(choice.is_critical for step in quiz.steps for choice in step.choices)
            ):
                self.problems.append(
                    Problem(
                        f"quizzes/{quiz.id}.yaml",
                        "steps",
                        f"case {case.id!r} has a risk of harm, so at least one choice must be "
                        "marked 'critical: true' with a 'critical_reason'",
                    )
                )


def load_catalogue(root: Path | str, links: dict[str, str] | None = None) -> Catalogue:
    """Load and validate every content file under root; raise ContentError listing all problems."""
    return _Loader(Path(root), links or DEFAULT_LINKS).load()
