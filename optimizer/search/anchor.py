"""Change only what an improvement needs: a level's better value, reached closest to the
schedule the level started from.

A search that finds a better value on a level returns any schedule with that value:
among the many equal ones, CP-SAT picks one that may move hundreds of cases the
improvement does not need (another date for a postponed patient, another kept case
on a date). Every such move is a patient called for nothing, and it differs from
one run to the next. :func:`anchored` solves once more, with the value reached fixed,
for the schedule that moves the fewest cases (dates first, then rooms) from the
``reference``, from the schedule found: one worker and a work limit, so the answer
depends on the machine's load no more than the schedule found does.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from ..facts.solution import Solution
from ..model.build import add_hint
from ..model.objective import Level
from .runner import Runner, work_of

# A case on another date (or status) costs this many room changes: dates are kept first.
DATE_WEIGHT = 2


def distance(runner: Runner, reference: Solution) -> cp_model.LinearExprT:
    """Cases placed differently from ``reference``: ``DATE_WEIGHT + 1`` for another date,
    status or partner, 1 for another room on the same date, 1 for a case the reference
    leaves in its planned slot (room and start) moved from it."""
    v = runner.built.variables
    cand = runner.cand
    stays = [
        p is not None
        and p.here
        and p.day == cand.planned_day[i]
        and (cand.planned_room[i] is None or p.room == cand.planned_room[i])
        and (cand.cases[i].planned_start is None or p.start == cand.cases[i].planned_start)
        for i, p in enumerate(reference)
    ]
    terms: list[cp_model.LinearExprT] = []
    for i, p in enumerate(reference):
        same: cp_model.LinearExprT | None = None
        if p is None:
            same = v.unscheduled.get(i)
        elif p.partner is not None:
            lits = [lit for t, lit in v.transfers.get(i, []) if t.partner == p.partner]
            same = lits[0] if lits else None
        else:
            same = v.day.get((i, p.day))
        if same is None:  # not an option of the model (a held case): nothing to count
            continue
        terms.append(DATE_WEIGHT * (1 - same))
        if p is not None and p.here:
            room = v.room.get((i, p.day, p.room))  # type: ignore[arg-type]
            if room is not None:
                terms.append(1 - room)
            stay = v.stay.get(i)
            if stay is not None and stays[i]:  # the reference leaves it in its planned slot
                terms.append(1 - stay)
    return sum(terms)


def anchored(
    runner: Runner,
    reference: Solution,
    level: Level,
    found: Solution,
    work: float,
    seconds: float | None,
) -> tuple[Solution | None, float]:
    """The schedule as good as ``found`` on ``level`` (the earlier levels are fixed in the
    model) that moves the fewest cases from ``reference``, searched from ``found``, and
    the work spent; ``None`` when nothing better than ``found`` came up.

    Adds ``level.expr <= value`` to the model for good: the driver fixes the level at
    that value or better right after."""
    model = runner.built.model
    model.add(level.expr <= level.value(found))
    model.minimize(distance(runner, reference))
    hint = add_hint(runner.built, runner.cand, found)
    proto = model.proto
    free = _free(found, reference)
    fixed = [x for i, xs in runner.built.variables.by_case().items() if i not in free for x in xs]
    original = {x: list(proto.variables[x].domain) for x in fixed}
    for x in fixed:
        _set(proto.variables[x].domain, [hint[x], hint[x]])
    try:
        solver = runner.solver(seconds, work, workers=1)
        out = runner.run(solver)
    finally:
        for x in fixed:
            _set(proto.variables[x].domain, original[x])
    return out.found, work_of(solver)


def _set(domain: Any, values: list[int]) -> None:
    domain.clear()
    domain.extend(values)


def _free(found: Solution, reference: Solution) -> set[int]:
    """The cases the anchoring may move: those ``found`` places differently from
    ``reference``, and those in a room, on a date, where one of them is or was. The
    others stay as ``found`` has them: the model left is small, its search quick."""
    differ = {i for i, (p, q) in enumerate(zip(found, reference, strict=True)) if p != q}
    rooms = {
        (p.day, p.room)
        for i in differ
        for p in (found[i], reference[i])
        if p is not None and p.here
    }
    return differ | {
        i for i, p in enumerate(found) if p is not None and p.here and (p.day, p.room) in rooms
    }
