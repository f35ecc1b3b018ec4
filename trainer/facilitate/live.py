"""A case run live: its stages one at a time, the question at each, and the state phones poll.

Pure functions over the catalogue and plain values: no requests, no templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.content import Catalogue
from trainer.content.model import Choice, Quiz, Step
from trainer.quiz.review import best_choice, best_route

# Which buttons the presenter has in each phase, and the phase each one leads to.
MOVES: dict[str, dict[str, str]] = {
    "story": {"open": "voting"},
    "voting": {"pause": "paused", "close": "closed"},
    "paused": {"resume": "voting", "close": "closed"},
    "closed": {"reveal": "results", "open": "voting"},
    "results": {"feedback": "feedback"},
    "feedback": {},
}


@dataclass(frozen=True)
class LiveStage:
    heading: str
    html: str  # the narrative of this stage only
    step: Step | None  # the decision put to the room, if any

    @property
    def best(self) -> Choice | None:
        return best_choice(self.step) if self.step else None


def split_stages(html: str, stages: tuple[tuple[str, str], ...]) -> list[str]:
    """The rendered narrative cut at each stage heading, headings left out.

    Projecting the whole case would give the next stage away, so each part holds only what
    follows its own heading up to the next one.
    """
    if not stages:
        return [html]
    starts = []
    for anchor, _heading in stages:
        found = re.search(rf'<h2 id="{re.escape(anchor)}"[^>]*>.*?</h2>', html, flags=re.S)
        if found is None:
            return [html]
        starts.append(found)
    parts = []
    for index, found in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(html)
        parts.append(html[found.end() : end].strip())
    return parts


def scenario_for(catalogue: Catalogue, case_id: str) -> Quiz | None:
    return next(
        (
            q
            for q in catalogue.quizzes.values()
            if q.kind == "scenario" and q.case_example == case_id
        ),
        None,
    )


def live_stages(catalogue: Catalogue, case_id: str) -> list[LiveStage]:
    """Each stage of the case with the step asked there.

    A room follows one path, so the steps are those of the scenario's best route, in order:
    the n-th stage asks the n-th decision the case turns on.
    """
    case = catalogue.cases.get(case_id)
    if case is None:
        return []
    quiz = scenario_for(catalogue, case_id)
    steps = [step for step, _choice in best_route(quiz)] if quiz else []
    headings = [heading for _anchor, heading in case.stages] or [case.title]
    parts = split_stages(case.html, case.stages)
    return [
        LiveStage(heading, part, steps[index] if index < len(steps) else None)
        for index, (heading, part) in enumerate(zip(headings, parts, strict=True))
    ]


def state_payload(row) -> dict:
    """What every phone needs to follow the presenter, from the session's state columns."""
    return {
        "version": row.state_version,
        "case": row.live_case_id,
        "stage": row.live_stage,
        "phase": row.live_phase,
    }


def split_by_agency(rows, step: Step | None) -> dict:
    """Counts per choice and agency from (choice_id, agency, count) rows, with totals."""
    counts: dict[str, dict[str, int]] = {}
    for choice_id, agency, number in rows:
        counts.setdefault(choice_id, {})[agency] = number
    choices = [c.id for c in step.choices] if step else sorted(counts)
    agencies = sorted({agency for by_agency in counts.values() for agency in by_agency})
    return {
        "total": sum(sum(by_agency.values()) for by_agency in counts.values()),
        "agencies": agencies,
        "choices": {
            choice: {
                "total": sum(counts.get(choice, {}).values()),
                "by_agency": {a: counts.get(choice, {}).get(a, 0) for a in agencies},
            }
            for choice in choices
        },
    }
