"""Each date's rooms and times decided by the cases on it, not by the search's path.

Once every level that looks at dates only is fixed, no level sees the rooms and
starts that the disruption levels leave equal: two cases swapped in a room, a
moved case in one room or another at the same start. The whole-model search
breaks such ties by where it happened to go, so a change far away (a room
closed on another date) reorders a date it does not touch: every such change is
a patient called for nothing.

:func:`canonical` solves each date anew, its cases held on it: a model of that
date alone (built from the date's cases and rules only), no hint but the date's
own first fit, one worker and a work cap per solve, the levels that look at rooms
and starts minimised in their order, then the cases out of their own room (where
the patient was told, else planned). The same cases on a date then get the same
schedule in any run, whatever happened on the other dates; the date's new
schedule is taken when no level is worse.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Placement, Solution
from ..model.build import add_hint, build_model
from ..scenario.params import SolverParams
from .occupancy import Occupancy
from .runner import InternalError, Runner, searched_whole, work_of
from .settle import taken_if_no_worse

# The levels that look at rooms and starts, not only at dates.
TIMED = (LevelKind.ANNOUNCED, LevelKind.COST, LevelKind.MOVED, LevelKind.SHIFTED)


def canonical(
    runner: Runner,
    schedule: Solution,
    k: int,
    params: SolverParams,
    seconds: float | None,
    work_left: float | None,
) -> tuple[Solution, float | None]:
    """``schedule`` with each date solved as the module says where that leaves levels
    ``0..k-1`` as they are and is lexicographically no worse from ``k`` on, and the run's
    work left (``work_left`` less what this spent). ``params.canon_work`` caps each solve
    (0: off); ``seconds`` the whole pass (the dates left are kept as they are).

    Done only on a model searched whole with ``params.steady_levels`` (as the levels'
    steps, ``driver._steps``), when ``k`` is the first disruption level (whose search
    then starts from it) and after the last level (``k == len(levels)``: ties only, as
    every level is reported); otherwise ``schedule`` as it is."""
    levels = runner.built.levels
    first = next((j for j, lv in enumerate(levels) if lv.per_day), len(levels))
    due = params.steady_levels and searched_whole(runner.built, params)
    due = due and k in (first, len(levels))
    if not due or params.canon_work <= 0 or (seconds is not None and seconds <= 0):
        return schedule, work_left
    began = time.monotonic()
    out: Solution = list(schedule)
    best = [lv.value(out) for lv in levels]
    spent = 0.0
    for d in sorted({p.day for p in schedule if p is not None and p.here}):
        left = None if seconds is None else seconds - (time.monotonic() - began)
        if runner.stop.requested or (left is not None and left <= 0):
            break
        placed, used = _date(runner, schedule, d, params.canon_work, left)
        spent += used
        if placed is None:
            continue
        taken = taken_if_no_worse(levels, out, best, placed, k)
        if taken is not None:
            out, best = taken
    return out, None if work_left is None else max(0.0, work_left - spent)


def _date(
    runner: Runner, schedule: Solution, d: int, work: float, seconds: float | None
) -> tuple[dict[int, Placement] | None, float]:
    """Date ``d``'s cases (those ``schedule`` operates on ``d``) placed by the date's own
    model, or ``None`` when a solve finds nothing; the work spent."""
    cand = runner.cand
    here = [i for i, p in enumerate(schedule) if p is not None and p.here and p.day == d]
    sub = cand.on_date(set(here), d, {i for i in here if cand.pinned[i]})
    built = build_model(sub)
    v = built.variables
    if any((i, d) not in v.day for i in here):
        return None, 0.0
    for i in here:
        built.model.add(v.day[i, d] == 1)
    steps: list[tuple[cp_model.LinearExprT, Callable[[Solution], int]]] = [
        (lv.expr, lv.value) for lv in built.levels if lv.kind in TIMED
    ]
    own = [(i, r) for i in here if (r := _own_room(cand, i)) is not None and (i, d, r) in v.room]
    out_of_own: list[cp_model.LinearExprT] = [1 - v.room[i, d, r] for i, r in own]
    steps.append(
        (
            sum(out_of_own),
            lambda sol: sum(1 for i, r in own if (p := sol[i]) is None or p.room != r),
        )
    )
    add_hint(built, sub, _first_fit(sub, here, d))
    date_runner = dataclasses.replace(runner, built=built, cand=sub, workers=1)
    spent = 0.0
    found: Solution | None = None
    for expr, value in (s for s in steps if not isinstance(s[0], int)):  # a constant: no order
        began = time.monotonic()
        built.model.minimize(expr)
        solver = date_runner.solver(seconds, work)
        try:
            out = date_runner.run(solver)
        except InternalError:  # the date's schedule is not one of the model's: left as it is
            return None, spent
        spent += work_of(solver)
        if seconds is not None:
            seconds = max(0.05, seconds - (time.monotonic() - began))
        if out.found is None:
            return None, spent
        found = out.found
        built.model.add(expr <= value(found))
        add_hint(built, sub, found)
    if found is None:  # nothing on the date to order
        return None, spent
    return {i: p for i in here if (p := found[i]) is not None}, spent


def _own_room(cand: Candidates, i: int) -> int | None:
    """The room the patient was told (announced, else planned), on whatever date."""
    slot = cand.announced[i]
    if slot is not None and slot.has_room:
        return slot.room
    return cand.planned_room[i]


def _first_fit(sub: Candidates, here: list[int], d: int) -> Solution:
    """The date's cases in the order of their index, each in its own room at its own
    start if free, else at its earliest start (its own room first): a hint that depends
    on the date's cases alone (a case that fits nowhere is left out)."""
    occ = Occupancy(sub)
    out: Solution = [None] * len(sub.cases)
    for i in here:
        own = _own_room(sub, i)
        options = sorted(
            (o for o in sub.room_options[i] if o.day == d), key=lambda o: (o.room != own, o.room)
        )
        start = sub.cases[i].planned_start if sub.planned_day[i] == d else None
        for o in options:
            t = start if start is not None and o.room == own and occ.fits(o, start) else None
            t = occ.earliest(o) if t is None else t
            if t is not None:
                out[i] = occ.place(o, t)
                break
    return out
