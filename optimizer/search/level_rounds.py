"""A level of a large run searched by the start's windows, on the run's own options.

When the model is searched window by window (more than ``params.lns_min_options``
options) and its start was improved by windows of dates each a compact model of
its own (:mod:`.parallel_windows`), a window of the whole model
(:mod:`.windows`) is the slower way to the same moves: each one presolves the
whole model with most domains fixed. Measured on the university (60 s, load 2):
the shortfall, kept and delay levels searched so gained nothing in the 5 to
10 s after the model was built (the delay's dates of :mod:`.delay` neither),
while the start's window rounds on the model's options lowered the weighted
delay by 756 in 6 s.

Here a level is searched by those rounds (:class:`.parallel_windows.Rounds`,
the windows of a round on as many threads as the run has workers), on the
model's candidates, so that what they find is a schedule the model holds (the
later levels are fixed at its values); then the cases left out are placed and
the delayed ones pulled in (:mod:`.pull_in`), as between the start's levels.
Each merge keeps every earlier level as it is or better; with one worker and a
work limit, the same schedule on any machine. When the rounds run out of moves
before the level's time is up, the rest goes to the model searched whole
(:func:`whole_after`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..scenario.params import SolverParams
from .neighbourhoods import IMPROVED, _Search, scoring_levels
from .outcome import Budget, Outcome
from .parallel_windows import Rounds
from .runner import Runner
from .stop import StopFlag

log = logging.getLogger("optimizer.solve")
# Of a level's seconds, the share kept for the fill that follows its rounds (a first fit
# and the exchanges of pull_in.py: about 0.3 s on the university's model options).
FILL_SHARE = 0.15


def by_rounds(kind: LevelKind, cand: Candidates) -> bool:
    """Whether a level of ``kind`` can be searched here: one the start's windows improve,
    on a run without levers (the windows do not weigh their cost)."""
    return kind in IMPROVED and cand.levers is None


def search_in_rounds(
    cand: Candidates,
    incumbent: Solution,
    kind: LevelKind,
    params: SolverParams,
    *,
    seed: int,
    workers: int,
    stop: StopFlag,
    seconds: float | None,
    work: float | None,
) -> tuple[Outcome, bool]:
    """The level of ``kind`` improved from ``incumbent`` by rounds of windows on ``cand``
    within ``seconds`` (``None``: no clock) or ``work``, then filled; ``found`` is the
    schedule when it is better on that level or a later one, every earlier one as good.
    With whether the windows ran out of moves before the budget (:meth:`.Rounds.__call__`)."""
    began = time.monotonic()
    levels = scoring_levels(cand)
    k = [lv.kind for lv in levels].index(kind)
    end = None if seconds is None else began + seconds
    until = None if end is None or seconds is None else end - FILL_SHARE * seconds
    search = _Search(cand, levels, list(incumbent), params, seed, 1, stop, end, work)
    threads = ThreadPoolExecutor(workers, "level") if workers > 1 else None
    with threads or contextlib.nullcontext():
        rounds = Rounds(None, "in this process", max(1, workers), threads=threads)
        exhausted = rounds(search, k, until, work)
    if end is None or time.monotonic() < end:
        search.fill(end)
    used = 0.0 if work is None or search.work_left is None else work - search.work_left
    wall = time.monotonic() - began
    before = search.scores(incumbent)
    if search.scores(search.incumbent) < before:
        return Outcome(search.incumbent, "FEASIBLE", None, used, wall), exhausted
    return Outcome(None, "UNKNOWN", None, used, wall), exhausted


def whole_after(
    runner: Runner,
    incumbent: Solution,
    k: int,
    rounds: Outcome,
    budget: Budget,
    params: SolverParams,
) -> Outcome:
    """What is left of level ``k``'s ``budget`` once its rounds ran out of windows that gain,
    spent on the run's model searched whole from their schedule (its objective: the level).

    A window holds a few rooms of one date: moves that run through many dates and
    rooms at once are beyond it. On the real quarter of an OR suite (2,172 cases, 60 s) the
    weighted delay's rounds found nothing in 0.3 s and the run ended at 1,033, where the
    model searched whole reaches 940 in 12 s. One CP-SAT worker: the clock decides only how
    far down one sequence of schedules the search gets (and a work bound gives the same
    schedule on any machine). ``rounds`` itself when less than a window's time or work is
    left, or when the model holds more than ``params.max_options`` options (a region's,
    pinned to its starts: presolving it alone would take the time)."""
    seconds = None if budget.seconds is None else budget.seconds - rounds.wall
    work = None if budget.work is None else budget.work - rounds.work
    short = (seconds is not None and seconds < params.window_seconds) or (
        work is not None and work < params.window_work
    )
    if short or len(runner.built.variables.room) > params.max_options:
        return rounds
    start = rounds.found or incumbent
    levels = runner.built.levels[k:]
    log.info("level %s: its rounds ran out of moves, the model searched whole", levels[0].name)
    more = dataclasses.replace(runner, workers=1).whole(start, Budget(seconds, work, None))
    found = rounds.found
    if more.found is not None and [lv.value(more.found) for lv in levels] < [
        lv.value(start) for lv in levels
    ]:
        found = more.found
    status = "FEASIBLE" if more.status == "UNKNOWN" and found is not None else more.status
    return Outcome(found, status, more.bound, rounds.work + more.work, rounds.wall + more.wall)
