"""The levels' values of a schedule, kept up to date as a few of its cases move.

A round of windows (:mod:`.parallel_windows`) merges each answer only when the levels up
to the one searched gain; scored whole, each merge read every case of the run (a region's
50,000, a second a round). A level's value is a sum over the cases of a term that depends
on the case's placement alone (the shortfall: a sum over the planned dates of a term that
depends on the cases that date keeps), so an answer changes it by the terms of the cases it
moves (of the dates they are planned on): :meth:`Scores.after` reads those alone.

Each level owns its per-case term (``Level.term``, ``model/objective.py``); the shortfall,
not such a sum, is restated here per date and checked against its own ``value`` when a
:class:`Scores` is made. A level without a term (or a shortfall whose total differs) is
scored whole, as before: the merges' decisions are the same either way.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Placement, Solution
from ..model.objective import Level, Term, need

log = logging.getLogger("optimizer.solve")

Moves = Mapping[int, Placement | None]


class Scores:
    """The values of ``levels`` for the schedule ``sol`` (``values``), and what they become
    when some of its cases move (:meth:`after`, then :meth:`move`)."""

    def __init__(self, cand: Candidates, levels: list[Level], sol: Solution) -> None:
        self.cand = cand
        self.levels = levels
        self.sol = sol
        self.values = [lv.value(sol) for lv in levels]
        self._planned: Counter[int] = Counter(d for d in cand.planned_day if d is not None)
        self._kept: Counter[int] = Counter(
            d for i, d in enumerate(cand.planned_day) if d is not None and self._keeps(i, sol[i])
        )
        target = cand.scenario.policy.target_ratio
        self._need = {d: need(n, target) for d, n in self._planned.items()}
        self._terms: list[Term | None] = []
        self.whole: list[str] = []  # the levels scored whole (their names)
        for lv, value in zip(levels, self.values, strict=True):
            term: Term | None = lv.term
            if lv.kind is LevelKind.SHORTFALL:
                total = sum(self._short(d, self._kept[d]) for d in self._planned)
                if total != value:
                    log.warning("level %s scored whole: its total differs", lv.name)
                    term = _WHOLE
            elif term is None:
                term = _WHOLE
            if term is _WHOLE:
                self.whole.append(lv.name)
            self._terms.append(term)

    def _keeps(self, i: int, p: Placement | None) -> bool:
        return p is not None and p.here and p.day == self.cand.planned_day[i]

    def _short(self, d: int, kept: int) -> int:
        return max(0, self._need[d] - kept)

    def _kept_change(self, moves: Moves) -> Counter[int]:
        change: Counter[int] = Counter()
        for i, p in moves.items():
            d = self.cand.planned_day[i]
            if d is not None:
                change[d] += self._keeps(i, p) - self._keeps(i, self.sol[i])
        return change

    def after(self, moves: Moves, upto: int | None = None) -> list[int]:
        """The values of the levels (the first ``upto + 1`` of them; ``None``: all) once each
        case ``i`` of ``moves`` is at ``moves[i]``."""
        levels = self.levels if upto is None else self.levels[: upto + 1]
        out = []
        trial: Solution | None = None
        for k, lv in enumerate(levels):
            term = self._terms[k]
            if term is _WHOLE:
                if trial is None:
                    trial = list(self.sol)
                    for i, p in moves.items():
                        trial[i] = p
                out.append(lv.value(trial))
            elif term is None:  # the shortfall: the dates the moved cases are planned on
                change = self._kept_change(moves)
                out.append(self.values[k] + sum(
                    self._short(d, self._kept[d] + n) - self._short(d, self._kept[d])
                    for d, n in change.items()
                ))  # fmt: skip
            else:
                old = self.sol
                out.append(self.values[k] + sum(term(i, p) - term(i, old[i])
                                                for i, p in moves.items()))  # fmt: skip
        return out

    def move(self, sol: Solution, moves: Moves, values: list[int] | None = None) -> None:
        """``sol`` is the schedule scored now: the one before with ``moves`` made
        (``values``: what :meth:`after` gave for them, all the levels)."""
        self.values = self.after(moves) if values is None else values
        self._kept.update(self._kept_change(moves))
        self.sol = sol


def _whole(i: int, p: Placement | None) -> int:
    raise AssertionError("a level scored whole has no term")  # pragma: no cover


_WHOLE: Term = _whole
