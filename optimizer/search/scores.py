"""The levels' values of a schedule, kept up to date as a few of its cases move.

A round of windows (:mod:`.parallel_windows`) merges each answer only when the levels up
to the one searched gain; scored whole, each merge read every case of the run (a region's
50,000, a second a round). A level's value is a sum over the cases of a term that depends
on the case's placement alone (the shortfall: a sum over the planned dates of a term that
depends on the cases that date keeps), so an answer changes it by the terms of the cases it
moves (of the dates they are planned on): :meth:`Scores.after` reads those alone.

The terms restate the levels of ``model/objective.py`` per case. Each level's total is
checked against its own ``value`` when a :class:`Scores` is made; a level whose total
differs (a rule changed there and not here), or of a kind not restated here, is scored
whole, as before: the merges' decisions are the same either way.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping

from ..facts.candidates import Candidates
from ..facts.levels import DATE_CHANGE, ROOM_OR_TIME_CHANGE, LevelKind, scaled
from ..facts.solution import Placement, Solution
from ..model.objective import Level, need

log = logging.getLogger("optimizer.solve")

Term = Callable[[int, Placement | None], int]
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
            term = _term(cand, lv)
            total = None
            if lv.kind is LevelKind.SHORTFALL:
                total = sum(self._short(d, self._kept[d]) for d in self._planned)
            elif term is not None:
                total = sum(term(i, p) for i, p in enumerate(sol))
            if total != value:
                log.warning("level %s scored whole: not a sum of terms restated here", lv.name)
                self.whole.append(lv.name)
                term = _WHOLE
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


def _term(cand: Candidates, lv: Level) -> Term | None:
    """Case ``i``'s part of ``lv``'s value when placed at ``p`` (``None``: not a sum of
    per-case terms, or a kind not restated here)."""
    kind = lv.kind
    out = cand.out_of_run
    weight = [scaled(w) for w in cand.weight]
    horizon = len(cand.dates)
    base = cand.base_days
    if kind.misses:
        return _misses(cand, lv)
    if kind.kept:
        gain = weight if kind is LevelKind.KEPT_WEIGHTED else [1] * len(weight)
        planned = cand.planned_day

        def kept(i: int, p: Placement | None) -> int:
            d = planned[i]
            return -gain[i] if d is not None and p is not None and p.here and p.day == d else 0

        return kept
    if kind is LevelKind.DELAY:
        cost = [scaled(c) for c in cand.transfer_cost]

        def delay(i: int, p: Placement | None) -> int:
            if out[i]:
                return 0
            if p is not None and p.partner is not None:
                return cost[i]
            return weight[i] * ((horizon if p is None else p.day) - base[i])

        return delay
    if kind is LevelKind.WAITING:
        waited = cand.waited

        def waiting(i: int, p: Placement | None) -> int:
            if out[i] or waited[i] <= 0:
                return 0
            day = horizon if p is None else p.day
            return weight[i] * waited[i] * max(day - base[i], 0)

        return waiting
    if kind is LevelKind.ANNOUNCED:
        return _announced(cand)
    return None


def _misses(cand: Candidates, lv: Level) -> Term:
    """A deadline miss: weighted by its class's digit (one level for all classes), or
    counted (one level per class, ``lv.urgency``)."""
    at_risk: Counter[int] = Counter(
        cand.rank[i]
        for i in range(len(cand.cases))
        if cand.deadline_day[i] is not None and not cand.out_of_run[i]
    )
    factor: dict[int, int] = {}
    if lv.kind is LevelKind.MISSES:
        w = 1
        for r in sorted(at_risk, reverse=True):
            factor[r] = w
            w *= at_risk[r] + 1
    else:
        assert lv.urgency is not None
        factor[cand.scenario.policy.urgency_rank[lv.urgency]] = 1
    deadline, rank, out = cand.deadline_day, cand.rank, cand.out_of_run

    def missed(i: int, p: Placement | None) -> int:
        dl = deadline[i]
        if dl is None or out[i] or rank[i] not in factor:
            return 0
        return factor[rank[i]] * (p is None or p.day > dl)

    return missed


def _announced(cand: Candidates) -> Term:
    """An announced appointment changed: its date (or transfer), else its room or start."""
    announced, out = cand.announced, cand.out_of_run

    def changed(i: int, p: Placement | None) -> int:
        slot = announced[i]
        if slot is None or out[i]:
            return 0
        if slot.partner is not None:
            return 0 if slot.transfer_kept(cand, p) else DATE_CHANGE
        if p is None or not p.here or p.day != slot.day:
            return DATE_CHANGE
        if (slot.has_room and p.room != slot.room) or (
            slot.start is not None and p.start != slot.start
        ):
            return ROOM_OR_TIME_CHANGE
        return 0

    return changed
