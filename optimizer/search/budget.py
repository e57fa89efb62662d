"""What each level of the lexicographic search may spend, in time and in work.

A level gets its fair part of what is left (the time, or the work of a
work-limited run, shared among the levels still to come) and, under a wall
clock, may run past it up to what the later levels need to start, while its
search keeps improving (:class:`.watchdog.Watchdog`).

In steps under a clock, the disruption levels (patients moved, minutes shifted)
keep ``disruption_share`` of the limit whatever the levels before them would take
(:meth:`Plan.left`): the weighted delay's search for its proof and the waiting
time otherwise left them nothing on a 602-case hospital at 10 to 60 s.

The levels searched by the start's windows on the run's options
(:mod:`.level_rounds`) stop only at their time: they share what is left in
:data:`ROUNDS_WEIGHT`'s proportions, the weighted delay the most. Measured on
the university (60 s, 2 workers, load 1 to 3): the start's windows leave the
shortfall and the cases kept near their bounds and the weighted delay above
first fit's (45,394 to 47,575 against 44,720 in four runs); once the model was
built, its levels of planned cases took the 5 to 10 s left and gained at most
a case, at up to 2,500 in delay (a run with a work limit), and the weighted
delay got no time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..facts.levels import LevelKind
from ..model.objective import Level
from ..scenario.params import SolverParams
from .outcome import Budget

# Each level's part of the time the levels searched by rounds share (see the module).
ROUNDS_WEIGHT = {LevelKind.DELAY: 4.0}


@dataclass(frozen=True)
class Plan:
    """The run's levels and how they are searched, for their budgets."""

    levels: Sequence[Level]
    params: SolverParams
    rounds: frozenset[int] = frozenset()  # the levels searched by rounds (level_rounds.py)
    # the levels searched in steps, their gains anchored (steps.py, anchor.py): with
    # steady_levels, on a model the whole of which CP-SAT searches (larger ones go window
    # by window, their time measured apart: benchmarks/)
    steps: bool = False
    limit: float | None = None  # the run's time limit (None: a work limit governs)

    def budget(self, k: int, left: float | None, work_left: float | None) -> Budget:
        """Level ``k``'s part of ``left`` seconds (``None``: no clock) and ``work_left``."""
        remaining = len(self.levels) - k
        seconds = share = None
        if left is not None:
            later, tail = remaining - 1, self._tail(k)
            if tail > 0:  # the disruption levels' time is theirs (see left)
                left, later = left - tail, self._first_per_day() - k - 1
            share = max(0.05, left / (later + 1))
            # A level may run past its share, up to what later levels need to start,
            # but only while it keeps improving (see Watchdog).
            seconds = max(share, left - self._reserve() * later)
            if k in self.rounds:
                seconds = share = self._rounds_part(k, left)
        work = None if work_left is None else max(0.01, work_left / remaining)
        return Budget(seconds, work, share)

    def left(self, k: int, left: float | None) -> float | None:
        """Of ``left`` seconds, those level ``k`` and the levels before the disruption levels
        may count on: in steps under a clock, ``params.disruption_share`` of the limit is
        the disruption levels' own (each date's rooms and starts decided anew,
        search/canon.py, then their search), whatever the levels before them would take."""
        return None if left is None else left - self._tail(k)

    def _tail(self, k: int) -> float:
        """Seconds level ``k`` leaves to the disruption levels after it (see :meth:`left`)."""
        if not self.steps or self.limit is None or k >= self._first_per_day():
            return 0.0
        return self.params.disruption_share * self.limit

    def _first_per_day(self) -> int:
        """The first disruption level (improved by moves within a date), or past the last."""
        return next((j for j, lv in enumerate(self.levels) if lv.per_day), len(self.levels))

    def _reserve(self) -> float:
        """Seconds each later level keeps when a level runs past its share: in steps under a
        clock, also ``params.level_reserve_share`` of the run's time limit. The weighted
        delay's search there runs until its time ends (prove.py): given 60 s, hospital-14's
        left the three levels after it 0.4 s each, and 220 patients moved where 2.4 s each
        give 202 (3 s: 163), the delay the same (1,932)."""
        reserve = self.params.level_reserve_s
        if not self.steps or self.limit is None:
            return reserve
        return max(reserve, self.params.level_reserve_share * self.limit)

    def _rounds_part(self, k: int, left: float) -> float:
        """Level ``k``'s part of ``left`` among the levels still to come searched by rounds,
        once the others after it have their reserve: none when it is under
        ``params.window_seconds``, the least time such a level begins with (:meth:`too_short`).
        Measured on a generated hospital of 3,325 cases at 10 s: the three levels after the
        weighted delay kept 1.2 s, none began, and the run ended at 0.85 of its limit."""
        later = range(k, len(self.levels))
        others = sum(1 for j in later if j not in self.rounds)
        weights = [ROUNDS_WEIGHT.get(self.levels[j].kind, 1.0) for j in later if j in self.rounds]
        mine = ROUNDS_WEIGHT.get(self.levels[k].kind, 1.0)
        reserve = self.params.level_reserve_s * others
        free = left - (reserve if reserve >= self.params.window_seconds else 0.0)
        return max(0.05, free * mine / sum(weights))

    def steady(self, k: int, left: float | None, work_left: float | None) -> Budget:
        """Level ``k``'s budget; in steps under a wall clock, also a work cap
        (``params.level_work``), so that a level not proven within it ends where its
        one-worker search ends on any machine, the clock only cutting it on a slow one."""
        b = self.budget(k, left, work_left)
        if self.steps and b.work is None and b.seconds is not None:
            # the anchoring of what it finds (search/anchor.py) gets the rest of its time; the
            # weighted delay's search takes it all for its proof (prove.py), anchoring after
            lv = self.levels[k]
            anchor = 0.0 if lv.per_day or lv.kind is LevelKind.DELAY else self.params.anchor_share
            return Budget(b.seconds * (1 - anchor), self.params.level_work, None)
        return b

    def too_short(self, k: int, left: float | None) -> bool:
        """Whether level ``k`` is not worth beginning: on a run whose levels of the start's
        windows are searched by rounds (a model searched window by window), any other level
        is searched by windows of the whole model, each of which presolves all of it
        (measured on the university: 2.8 s for a level given 0.08 s); with less than
        ``params.window_seconds`` left it would only run past the search's end."""
        if left is None or self.steps or k in self.rounds or not self.rounds:
            return False
        return left < self.params.window_seconds
