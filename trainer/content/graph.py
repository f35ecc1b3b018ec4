"""Checks on a scenario's graph of steps: every step reachable, every path ends, no loops."""

from __future__ import annotations

from .fields import Fields
from .model import END, Step


def check_graph(steps: tuple[Step, ...], f: Fields) -> None:
    by_id: dict[str, Step] = {}
    known = {s.id for s in steps}
    for index, step in enumerate(steps):
        if step.id in by_id:
            f.error(f"steps[{index}].id", f"duplicate step id {step.id!r}")
        by_id[step.id] = step
        choice_ids = [c.id for c in step.choices]
        if len(set(choice_ids)) != len(choice_ids):
            f.error(f"steps[{index}].choices", "two choices share an id")
        if len(step.choices) < 2:
            f.error(f"steps[{index}].choices", "a step needs at least two choices")
        for c_index, choice in enumerate(step.choices):
            if choice.next_step and choice.next_step != END and choice.next_step not in known:
                f.error(
                    f"steps[{index}].choices[{c_index}].next",
                    f"goes to unknown step {choice.next_step!r}; expected a step id or {END!r}",
                )
    if not steps:
        return
    reachable = _reachable(steps[0].id, by_id)
    for index, step in enumerate(steps):
        if step.id not in reachable:
            f.error(f"steps[{index}]", f"step {step.id!r} cannot be reached from the first step")
    loop = _find_loop(steps[0].id, by_id)
    if loop:
        f.error("steps", "the steps loop: " + " -> ".join(loop) + "; every path must reach the end")
    for index, step in enumerate(steps):
        if step.choices and not _can_end(step.id, by_id):
            f.error(f"steps[{index}]", f"no path from step {step.id!r} reaches the end")


def _targets(step: Step, by_id: dict[str, Step]) -> list[str]:
    return [c.next_step for c in step.choices if c.next_step in by_id]


def _reachable(start: str, by_id: dict[str, Step]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(_targets(by_id[current], by_id))
    return seen


def _find_loop(start: str, by_id: dict[str, Step]) -> list[str] | None:
    trail: list[str] = []
    done: set[str] = set()

    def visit(step_id: str) -> list[str] | None:
        if step_id in trail:
            return [*trail[trail.index(step_id) :], step_id]
        if step_id in done:
            return None
        trail.append(step_id)
        for target in _targets(by_id[step_id], by_id):
            found = visit(target)
            if found:
                return found
        trail.pop()
        done.add(step_id)
        return None

    return visit(start)


def _can_end(start: str, by_id: dict[str, Step]) -> bool:
    return any(
        choice.next_step == END
        for step_id in _reachable(start, by_id)
        for choice in by_id[step_id].choices
    )
