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
work limit, the same schedule on any machine.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..scenario.params import SolverParams
from .neighbourhoods import IMPROVED, _Search, scoring_levels
from .outcome import Outcome
from .parallel_windows import Rounds
from .stop import StopFlag

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
) -> Outcome:
    """The level of ``kind`` improved from ``incumbent`` by rounds of windows on ``cand``
    within ``seconds`` (``None``: no clock) or ``work``, then filled; ``found`` is the
    schedule when it is better on that level or a later one, every earlier one as good."""
    began = time.monotonic()
    levels = scoring_levels(cand)
    k = [lv.kind for lv in levels].index(kind)
    end = None if seconds is None else began + seconds
    until = None if end is None or seconds is None else end - FILL_SHARE * seconds
    search = _Search(cand, levels, list(incumbent), params, seed, 1, stop, end, work)
    threads = ThreadPoolExecutor(workers, "level") if workers > 1 else None
    with threads or contextlib.nullcontext():
        Rounds(None, "in this process", max(1, workers), threads=threads)(search, k, until, work)
    if end is None or time.monotonic() < end:
        search.fill(end)
    used = 0.0 if work is None or search.work_left is None else work - search.work_left
    wall = time.monotonic() - began
    before = search.scores(incumbent)
    if search.scores(search.incumbent) < before:
        return Outcome(search.incumbent, "FEASIBLE", None, used, wall)
    return Outcome(None, "UNKNOWN", None, used, wall)
