"""A window's answer that gains on the shortfall or the cases kept, its weighted delay then
lowered by a second, short solve.

A window of those levels often gains by leaving some of its cases out (a long case makes
way for two planned ones), and its model counts any case left out as unscheduled: the
first answer CP-SAT finds leaves out whichever cases make way, and the fill after the level
(:meth:`.neighbourhoods._Search.fill`) puts them on later dates by first fit. On the
generated university of seed 4, given 60 s, the weighted delay after the shortfall's windows
and their fill was 54,469 where their start had 53,487, and the run ended 3.3 % above first
fit's. The second solve holds every level up to the delay at the answer's values and lowers
the delay of the window's cases from that answer, within a share of the window's bounds
(``params.window_tie_break``): only windows that gain pay for it.
"""

from __future__ import annotations

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Solution
from ..model.build import Built, add_hint
from .runner import Runner, work_of


def delay_lowered(
    built: Built,
    cand: Candidates,
    runner: Runner,
    k: int,
    found: Solution,
    seconds: float | None,
    work: float,
    workers: int | None,
) -> tuple[Solution, float]:
    """``found`` (a schedule of ``built``'s window that gains on level ``k``) with its
    weighted delay lowered, every level from ``k`` to the delay held at ``found``'s values
    (the earlier ones are bounded already); with the solve's work. ``found`` itself when the
    delay comes before ``k``, the window has none, or the solve does not lower it."""
    kinds = [lv.kind for lv in built.levels]
    if LevelKind.DELAY not in kinds or kinds.index(LevelKind.DELAY) <= k:
        return found, 0.0
    d = kinds.index(LevelKind.DELAY)
    for lv in built.levels[k:d]:
        built.model.add(lv.expr <= lv.value(found))
    delay = built.levels[d]
    built.model.minimize(delay.expr)
    add_hint(built, cand, found)
    solver = runner.solver(seconds, work, workers=workers)
    again = runner.run(solver).found
    if again is not None and delay.value(again) < delay.value(found):
        return again, work_of(solver)
    return found, work_of(solver)
