"""A level searched under a wall clock in steps that return the same schedule on any
machine: the clock decides how many steps run, never what a step returns.

Two default runs of the same scenario used to differ on up to 44 % of the demo's
cases: two workers stopped by the wall clock return a different schedule every run,
more so the more loaded the machine. Here every step is one worker and a work limit:
first the dates one by one (a small model each, see :func:`search_windows`; the clock
is read between dates), then the whole model with the rest of the level's work. A
whole-model search the clock cuts short may have stopped anywhere: its schedule is
not taken, only its bound (which holds whatever stopped it), so an early stop keeps
what the completed steps found. One worker also searched the demo's date levels
better than two under load (``benchmarks/README.md``).
"""

from __future__ import annotations

import time

from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..model.objective import Level
from ..scenario.params import SolverParams
from .days import DaysOutcome
from .level import dates_first
from .outcome import Budget, Outcome
from .prove import search_past_cap
from .runner import Runner
from .windows import search_windows

# A whole-model search that spent less than this share of its work was cut by the clock.
COMPLETED = 0.95


def search_in_steps(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    """As :func:`search_level`: the levels of planned cases kept are first bounded and
    searched date by date (``days.py``, ``params.days_share`` of the budget), then the
    steps of :func:`_steps` get the rest."""

    def left(days: DaysOutcome) -> Budget:
        assert budget.work is not None
        return Budget(
            None if budget.seconds is None else max(0.05, budget.seconds - days.wall),
            max(0.01, budget.work - days.work),
            None,
        )

    return dates_first(
        runner, incumbent, level, budget, params,
        lambda start, rest: _steps(runner, start, level, rest, params), left,
    )  # fmt: skip


def _steps(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    """Rounds of :func:`_round`, each from the last one's schedule, while they improve
    the level and the clock allows (one round without a clock): a round that brings
    nothing would bring nothing again, so where the rounds stop is the same on any
    machine that had the time for them."""
    began = time.monotonic()
    best: Solution | None = None
    bound: int | None = None
    status, work, wall, method = "UNKNOWN", 0.0, 0.0, None
    while not runner.stop.requested:
        left = None if budget.seconds is None else budget.seconds - (time.monotonic() - began)
        if left is not None and left <= 0:
            break
        out = _round(runner, best or incumbent, level, Budget(left, budget.work, None), params)
        work, wall = work + out.work, wall + out.wall
        if out.bound is not None and (bound is None or out.bound > bound):
            bound, method = out.bound, out.method
        gained = out.found is not None and level.value(out.found) < level.value(best or incumbent)
        if gained:
            best = out.found
        if out.found is not None or best is not None:
            status = "FEASIBLE"
        if out.status == "OPTIMAL":
            status = "OPTIMAL"
        if budget.seconds is None or not gained or out.status == "OPTIMAL":
            break
    return Outcome(best, status, bound, work, wall, method)


def _round(
    runner: Runner, incumbent: Solution, level: Level, budget: Budget, params: SolverParams
) -> Outcome:
    """Search ``level`` (the model's objective) from ``incumbent`` with ``runner`` (one
    worker under a wall clock): the dates one by one with a third of ``budget.work`` (not
    for deadline misses), then the whole model with the rest, within ``budget.seconds``
    (``None``: a work-limited run, which these steps serve as well)."""
    assert budget.work is not None
    one = runner
    seconds, work = budget.seconds, budget.work
    # A miss is mended across dates: the whole model proves these fast. The weighted delay
    # was improved date by date already (delay.py, cheaper than these windows). Under a
    # clock with less than a window's seconds left, a third of the level's work in windows
    # may not fit (the clock does not cut it: at load 6 it took 4 s of a 0.7-s share once
    # the delay left the later levels time): a per-date level's windows then read the clock
    # between dates (params.steady_days), any other level goes to the whole model.
    short = seconds is not None and seconds < params.window_seconds
    if level.kind.misses or level.kind is LevelKind.DELAY or (short and not level.per_day):
        quick = Outcome(None, "UNKNOWN")
    elif short:
        quick = search_windows(one, incumbent, level, Budget(seconds, None, None), params, width=1)
    else:
        quick = search_windows(
            one, incumbent, level, Budget(seconds, work / 3, None), params, width=1
        )
    rest = max(0.01, work - quick.work)
    left = None if seconds is None else max(0.05, seconds - quick.wall)
    if level.kind is LevelKind.DELAY and seconds is not None and params.delay_proof_work > rest:
        # on past the cap while the level's time lasts, for the proof (prove.py)
        start = quick.found or incumbent
        cap = params.delay_proof_work
        more = search_past_cap(one, start, Budget(left, rest, None), cap, one.master_proof)
    else:
        more = one.whole(quick.found or incumbent, Budget(left, rest, None))
    completed = more.status == "OPTIMAL" or more.work >= COMPLETED * rest
    found = more.found if completed and more.found is not None else quick.found
    status = more.status if completed else ("FEASIBLE" if found is not None else "UNKNOWN")
    work, wall = quick.work + more.work, quick.wall + more.wall
    return Outcome(found, status, more.bound, work, wall, more.method)
