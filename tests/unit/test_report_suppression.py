"""Small numbers in the per-case report: never shown, and never to be worked out from totals."""

from collections import Counter
from pathlib import Path

from trainer.content import load_catalogue
from trainer.reports.cases import FEWER_THAN, WITHHELD, Figure, protect, scenario_report

VALID = Path(__file__).parents[1] / "fixtures" / "content" / "valid"
BEST = (("visit", "refer-today"), ("call", "protect-referrer"))
NAMED = (("visit", "refer-today"), ("call", "name-referrer"))
LATE = (("visit", "wait"), ("later", "refer-now"), ("call", "protect-referrer"))


def test_a_figure_under_five_shows_as_fewer_than_five():
    figures = [Figure(0), Figure(4), Figure(5)]
    protect(figures, [])
    assert [str(f) for f in figures] == [FEWER_THAN, FEWER_THAN, "5"]


def test_a_lone_small_figure_takes_its_total_with_it():
    small, big, total = Figure(3), Figure(7), Figure(10)
    protect([small, big, total], [([small, big], total)])
    assert [str(f) for f in (small, big, total)] == [FEWER_THAN, "7", WITHHELD]


def test_a_published_total_is_kept_and_another_member_withheld_instead():
    small, big, bigger, total = Figure(3), Figure(7), Figure(9), Figure(19, published=True)
    protect([small, big, bigger, total], [([small, big, bigger], total)])
    assert [str(f) for f in (small, big, bigger, total)] == [FEWER_THAN, WITHHELD, "9", "19"]


def unknowns(line) -> int:
    members, total = line
    return sum(not f.shown for f in (*members, total))


def test_no_figure_of_a_scenario_report_can_be_worked_out_by_subtraction():
    catalogue = load_catalogue(VALID)
    quiz = catalogue.quizzes["bruise-scenario"]
    routes = {
        BEST: Counter(health=12, police=3, education=8),
        NAMED: Counter(health=6, police=1, education=7),
        LATE: Counter(health=2, education=9),
    }
    report = scenario_report(catalogue, quiz, routes)
    assert str(report.people) == "48"
    assert report.agencies == ["Health", "Police", "Schools and colleges"]
    cells = [f for row in report.routes for f in row.cells]
    assert unknowns((cells, report.people)) != 1
    for row in report.missed:
        assert unknowns((row.cells, row.total)) != 1
        assert all(f.value >= 5 for f in (*row.cells, row.total) if f.shown)
    assert all(f.value >= 5 for f in cells if f.shown)
    best = next(row for row in report.routes if row.label[1])
    assert best.label[0] == [
        "Refer to children's social care today.",
        "Say you cannot discuss who raised a concern.",
    ]
    assert [str(f) for f in best.cells] == ["12", FEWER_THAN, "8"]
    missed = {row.label: [str(f) for f in row.cells] for row in report.missed}
    assert missed[("Decision question", "Is there a clear purpose?")][0] == "6"
