"""Large neighbourhood search over date windows, by editing the model's variable domains.

Every variable of a case away from the window (and every per-date auxiliary
of a date outside it) is fixed to the incumbent's value, so CP-SAT's presolve
leaves a small model: the cases placed in the window, planned in it, or placed
later or not at all but able to move into it. The domains are put back after
each step, so the model is never left changed. Each accepted step is a valid
schedule no worse on the level; no bound is proven this way.
"""

from __future__ import annotations

import random
import time

from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..model.build import add_hint
from ..model.objective import Level
from ..scenario.params import SolverParams
from .outcome import Budget, Outcome
from .runner import Runner, work_of


def search_windows(
    runner: Runner,
    incumbent: Solution,
    level: Level,
    budget: Budget,
    params: SolverParams,
    width: int = 0,
) -> Outcome:
    """Improve ``incumbent`` on ``level`` window after window, in a seeded random order,
    until a full round of windows brings nothing or the budget is spent.

    ``width`` is the window's width in dates (0: ``params.window_days``).
    """
    cand, v = runner.cand, runner.built.variables
    proto = runner.built.model.proto
    case_vars = v.by_case()
    day_vars = v.by_day()
    option_days = {i: set(days) for i, days in v.days_of.items()}
    width = width or params.window_days
    starts = list(range(0, len(cand.dates), width))
    random.Random(runner.seed).shuffle(starts)
    if level.on_lossy_dates and width == 1:
        # Only a date that loses planned cases can do better on these levels: those
        # dates, the most lost first, each with a fair part of the budget.
        lost = _lost_per_date(cand, incumbent)
        starts = sorted((d for d in starts if lost.get(d, 0) > 0), key=lambda d: -lost[d])
        starts = starts or [0]
    seconds, work = budget.seconds, budget.work
    # Date by date on the disruption levels, each step is one worker and a work limit
    # even when a wall clock governs the run: two runs given the same dates then put
    # the same cases in the same places (only running out of time can cut a step).
    steady = params.steady_days and width == 1 and level.per_day and work is None
    began = time.monotonic()
    used_work = 0.0
    value = level.value(incumbent)
    best: Solution | None = None
    status = "UNKNOWN"
    idle = 0
    turn = 0
    hint: dict[int, int] = {}
    original: dict[int, list[int]] = {}  # domains before any fixing, read once
    while idle < len(starts) and not runner.stop.requested:
        elapsed = time.monotonic() - began
        if seconds is not None and elapsed >= seconds:
            break
        if work is not None and used_work >= work:
            break
        first = starts[turn % len(starts)]
        window = set(range(first, first + width))
        turn += 1
        free: set[int] = set()
        for i, p in enumerate(incumbent):
            if i not in case_vars:
                continue
            if (
                (p is not None and p.day in window)
                or cand.planned_day[i] in window
                or ((p is None or p.day > max(window)) and option_days[i] & window)
            ):
                free.add(i)
        if not hint:  # the incumbent changed: hint it again
            hint = add_hint(runner.built, cand, incumbent)
        fixed = [x for i, xs in case_vars.items() if i not in free for x in xs]
        fixed += [x for d, xs in day_vars.items() if d not in window for x in xs]
        for x in fixed:
            if x not in original:
                original[x] = list(proto.variables[x].domain)
        for x in fixed:
            domain = proto.variables[x].domain
            domain.clear()
            domain.extend([hint[x], hint[x]])
        left_s = None if seconds is None else seconds - elapsed
        left_w = None if work is None else work - used_work
        # Few focused windows: each may take its fair part of what is left. With a work
        # budget only the budget stops a window: a wall-clock cap would make the schedule
        # depend on the machine's load (found by the sweep).
        parts = len(starts) if level.on_lossy_dates else 0
        window_s = (
            None
            if left_s is None or left_w is not None
            else _step(left_s, params.window_seconds, parts)
        )
        if steady:
            solver = runner.solver(left_s, params.window_work, workers=1)
        else:
            solver = runner.solver(
                window_s,
                None if left_w is None else _step(left_w, params.window_work, parts),
            )
        try:
            found = runner.run(solver).found
        finally:
            for x in fixed:
                domain = proto.variables[x].domain
                domain.clear()
                domain.extend(original[x])
        used_work += work_of(solver)
        if found is not None:
            status = "FEASIBLE"
            if level.value(found) < value:
                incumbent, value, best, idle = found, level.value(found), found, 0
                hint = {}
                continue
        idle += 1
    return Outcome(best, status, None, used_work, time.monotonic() - began)


def _lost_per_date(cand: Candidates, incumbent: Solution) -> dict[int, int]:
    """Per date, the planned cases the incumbent does not keep on it."""
    lost: dict[int, int] = {}
    for i, p in enumerate(incumbent):
        pd = cand.planned_day[i]
        if pd is not None and not (p is not None and p.here and p.day == pd):
            lost[pd] = lost.get(pd, 0) + 1
    return lost


def _step(left: float, step: float, parts: int) -> float:
    """One window's bound: ``step``, or ``left / parts`` when that is more, within ``left``."""
    return min(left, max(step, left / parts) if parts else step)
