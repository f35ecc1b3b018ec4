"""Per case example: the route each agency took through its scenario and the principles and
decision questions behind the choices that were not the best, counted in aggregate only.

A figure of fewer than 5 people is never shown. Where a total would let someone work one
out by subtraction, one more figure is withheld, and so on until no line of a table has a
single unknown (decision 10).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from trainer.content import SECTORS, Catalogue
from trainer.content.model import CaseExample, Quiz
from trainer.quiz.review import best_choice, missed_principles

SMALLEST_SHOWN = 5
FEWER_THAN = "fewer than 5"
WITHHELD = "not shown"

Route = tuple[tuple[str, str], ...]  # (step id, choice id) in the order taken


@dataclass(eq=False)
class Figure:
    """A count of people, shown or withheld."""

    value: int
    shown: bool = True
    published: bool = False  # shown elsewhere too, so never withheld to protect another

    def __str__(self) -> str:
        if self.shown:
            return str(self.value)
        return FEWER_THAN if self.value < SMALLEST_SHOWN else WITHHELD


def protect(figures: Iterable[Figure], lines: list[tuple[list[Figure], Figure]]) -> None:
    """Withhold every figure under 5, then enough others that none can be worked out.

    Each line is an equation: its members add up to its total. While a line has exactly one
    figure withheld, withhold its total too, or, when the total is published elsewhere, its
    smallest member still shown.
    """
    for figure in figures:
        figure.shown = figure.value >= SMALLEST_SHOWN
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if sum(not f.shown for f in (*members, total)) != 1:
                continue
            if total.shown and not total.published:
                total.shown = False
            else:
                min((f for f in members if f.shown), key=lambda f: f.value).shown = False
            changed = True


@dataclass
class Row:
    label: tuple
    cells: list[Figure]  # one per agency
    total: Figure | None = None  # all agencies


@dataclass
class ScenarioReport:
    quiz: Quiz
    people: Figure  # who finished it
    agencies: list[str]  # names, in the order of the columns
    routes: list[Row]  # labels: (the choices in words, whether it is the best route)
    missed: list[Row]  # labels: (kind, title) of a principle or decision question
    most_missed: list[tuple[str, list[str], Figure]]  # agency, titles, people


def count_routes(choices: Iterable[tuple]) -> dict[Route, Counter]:
    """People per route and agency, from (attempt, agency, step, choice) rows with each
    attempt's choices together and in order."""
    routes: dict[Route, Counter] = defaultdict(Counter)
    for _attempt, rows in groupby(choices, key=itemgetter(0)):
        rows = list(rows)
        routes[tuple((step, str(choice)) for _a, _agency, step, choice in rows)][rows[0][1]] += 1
    return routes


def route_in_words(quiz: Quiz, route: Route) -> list[str]:
    words = []
    for step_id, choice_id in route:
        step = quiz.step(step_id)
        choice = step.choice(choice_id) if step else None
        words.append(choice.text if choice else "A choice since removed from the scenario")
    return words


def is_best_route(quiz: Quiz, route: Route) -> bool:
    return all(
        (step := quiz.step(step_id)) is not None and best_choice(step).id == choice_id
        for step_id, choice_id in route
    )


def _principle(catalogue: Catalogue, principle_id: str) -> tuple[str, str]:
    found = catalogue.principles.get(principle_id)
    if found is None:
        return ("Principle", principle_id)
    return ("Decision question" if found.kind == "question" else "Principle", found.title)


def _most_missed(agencies: list[str], rows: list[Row]) -> list[tuple[str, list[str], Figure]]:
    """Per agency, the principles or questions missed by the most people, among those shown."""
    found = []
    for i, agency in enumerate(agencies):
        shown = [(row.cells[i], row.label[1]) for row in rows if row.cells[i].shown]
        top = max((f.value for f, _title in shown), default=0)
        found.append((agency, [t for f, t in shown if f.value == top], Figure(top)))
    return found


def people_finished(value: int) -> Figure:
    """How many people finished a scenario: published on the list and on the case page."""
    figure = Figure(value, published=True)
    protect([figure], [])
    return figure


def _by_size(rows) -> list[Row]:
    return sorted(rows, key=lambda row: -sum(f.value for f in row.cells))


def _missed_row(catalogue: Catalogue, principle: str, routes: list[Row], width: int) -> Row:
    cells = [Figure(sum(row.cells[i].value for row in routes)) for i in range(width)]
    return Row(_principle(catalogue, principle), cells, Figure(sum(f.value for f in cells)))


def scenario_report(
    catalogue: Catalogue, quiz: Quiz, routes: dict[Route, Counter]
) -> ScenarioReport:
    """A scenario's two tables, protected together, for the figures hang together: all route
    cells add up to the people who finished it; a principle's row adds up to its total; and
    a principle's cell for an agency is the sum of that agency's routes that miss it."""
    agencies = sorted({a for by_agency in routes.values() for a in by_agency}, key=SECTORS.get)
    people = people_finished(sum(sum(by_agency.values()) for by_agency in routes.values()))
    route_rows = {
        route: Row(
            (route_in_words(quiz, route), is_best_route(quiz, route)),
            [Figure(by_agency[a]) for a in agencies],
        )
        for route, by_agency in routes.items()
    }
    missing: dict[str, list[Row]] = defaultdict(list)
    for route, row in route_rows.items():
        for principle in dict.fromkeys(missed_principles(quiz, list(route))):
            missing[principle].append(row)
    missed = [_missed_row(catalogue, p, rows, len(agencies)) for p, rows in missing.items()]
    lines = [([f for row in route_rows.values() for f in row.cells], people)]
    for row, principle in zip(missed, missing, strict=True):
        lines.append((row.cells, row.total))
        lines += [([r.cells[i] for r in missing[principle]], c) for i, c in enumerate(row.cells)]
    protect({f for members, total in lines for f in (*members, total)}, lines)
    names = [SECTORS.get(a, a) for a in agencies]
    missed = _by_size(missed)
    return ScenarioReport(
        quiz, people, names, _by_size(route_rows.values()), missed, _most_missed(names, missed)
    )


def scenarios_by_case(catalogue: Catalogue, course_id: str = "") -> dict[str, list[Quiz]]:
    """The scenarios of each case example, for one course's case examples or for all."""
    cases = set(catalogue.cases)
    if course_id:
        course = catalogue.courses[course_id]
        cases = {c for m in catalogue.modules_of(course) for c in m.case_examples}
    found: dict[str, list[Quiz]] = defaultdict(list)
    for quiz in catalogue.quizzes.values():
        if quiz.kind == "scenario" and quiz.case_example in cases:
            found[quiz.case_example].append(quiz)
    return dict(sorted(found.items(), key=lambda item: catalogue.cases[item[0]].title))


@dataclass(frozen=True)
class CaseLine:
    case: CaseExample
    scenario: Quiz
    people: Figure


def case_lines(
    catalogue: Catalogue, scenarios: dict[str, list[Quiz]], people: dict[str, int]
) -> list[CaseLine]:
    """One line per scenario: its case example and how many people in view finished it."""
    lines = []
    for case_id, quizzes in scenarios.items():
        for quiz in quizzes:
            count = people_finished(people.get(quiz.id, 0))
            lines.append(CaseLine(catalogue.cases[case_id], quiz, count))
    return lines
