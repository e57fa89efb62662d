"""The dates that lose planned cases, packed whole: every room of the date at once.

A window of a few rooms (:mod:`.neighbourhoods`) moves a case only among its
rooms, but a date that lost a third of its rooms needs its planned cases packed
again across all of them. As one CP-SAT model the whole date packs slowly (on
the university's first shrunken date, 3 more kept cases in 20 s): choosing the
rooms and sequencing them at once is hard for it. Packing is first a question of
rooms, so each date is solved in two models of its window
(:func:`.neighbourhoods.window_candidates` with every room of the date, the other
dates' cases fixed, the beds over the stays counted):

1. the decomposition's master (:func:`optimizer.model.master.build_master`): each
   case to a room of the date, rooms, surgeons and shared resources as minutes,
   no clock. It finds the rooms of 10 to 15 more kept cases in a second or two;
2. the date sequenced by the whole model, each case allowed on the date only the
   master's room and its own (its way back off the date as it was), hinted with
   the schedule as it is.

Both models bound the levels up to the kept one at their current value and
search the kept level (a date's shortfall follows its kept cases); the answer
is merged only when no earlier level gets worse and the level gains, so every
step is a valid schedule no worse than the one before. The cases a date no
longer holds are placed by first fit at the end.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from ..facts.candidates import Candidates, RoomOption
from ..facts.narrow import narrowed
from ..facts.solution import Placement, Solution
from ..model.build import Built, add_hint, build_model
from ..model.master import build_master
from ..model.objective import Level
from ..scenario.params import SolverParams
from .construct import first_fit
from .neighbourhoods import scoring_levels, window_candidates
from .runner import Runner, work_of
from .stop import StopFlag
from .window_index import OptionIndex
from .windows import _lost_per_date as lost_per_date

log = logging.getLogger("optimizer.solve")

# The master's part of a date's budget: it finds its rooms in a second or two at the
# university's size, and the sequencing climbs from the schedule one kept case at a time.
MASTER_PART = 0.35


@dataclasses.dataclass
class Packer:
    """The packing of one schedule: its budget, what it spent, the schedule so far."""

    cand: Candidates
    levels: list[Level]
    incumbent: Solution
    params: SolverParams
    seed: int
    workers: int
    stop: StopFlag
    index: OptionIndex
    dates: int = 0
    improved: int = 0

    def scores(self, sol: Solution) -> list[int]:
        return [lv.value(sol) for lv in self.levels]

    def date(self, k: int, day: int, seconds: float | None, work: float | None) -> float:
        """Pack ``day`` for level ``k``: the master's rooms, then the date sequenced in them.
        Returns the work spent; the incumbent changes only when level ``k`` gains and no
        earlier level gets worse."""
        began = time.monotonic()
        window = window_candidates(self.cand, self.incumbent, range(day, day + 1), None, self.index)
        free = [i for i in window.members if not window.cand.pinned[i]]
        if not free:
            return 0.0
        self.dates += 1
        mine: Solution = [None] * len(self.cand.cases)
        for i in window.members:
            mine[i] = self.incumbent[i]
        master, sub = self._model(build_master, window.cand, mine, k)
        part_s = None if seconds is None else MASTER_PART * seconds
        part_w = None if work is None else MASTER_PART * work
        assigned, used = self._solve(master, sub, mine, part_s, part_w)
        target = master.levels[k]
        if assigned is None or target.value(assigned) >= target.value(mine):
            return used
        sub = _in_rooms(sub, free, (assigned, self.incumbent), day)
        built, sub = self._model(build_model, sub, mine, k)
        # hinted with the schedule as it is (the master's rooms cannot always be sequenced
        # as they are: a greedy sequencing of them kept fewer cases than the schedule, on
        # the university): a valid start, no earlier level worse
        hint = mine
        left_s = None if seconds is None else seconds - (time.monotonic() - began)
        left_w = None if work is None else work - used
        found, more = self._solve(built, sub, hint, left_s, left_w)
        used += more
        log.debug(
            "pack date %d: %d cases, kept level %d -> master %d -> %s in %.2f s",
            day, len(free), target.value(mine), target.value(assigned),
            None if found is None else built.levels[k].value(found), time.monotonic() - began,
        )  # fmt: skip
        if found is None:
            return used
        merged = list(self.incumbent)
        for i in window.members:
            merged[i] = found[i]
        if self.scores(merged)[: k + 1] < self.scores(self.incumbent)[: k + 1]:
            self.incumbent = merged
            self.improved += 1
        return used

    def _model(
        self, build: Callable[[Candidates], Built], sub: Candidates, mine: Solution, k: int
    ) -> tuple[Built, Candidates]:
        """``build(sub)`` with its levels up to ``k`` at most their value in ``mine`` and
        level ``k`` minimised; built again with every case in the run when its levels are not
        the schedule's (the waiting level, say, had no case left in it)."""
        built = build(sub)
        kinds = [lv.kind for lv in self.levels[: k + 1]]
        if [lv.kind for lv in built.levels[: k + 1]] != kinds:
            sub = narrowed(sub, out_of_run=self.cand.out_of_run)
            built = build(sub)
        for lv in built.levels[: k + 1]:
            built.model.add(lv.expr <= lv.value(mine))
        built.model.minimize(built.levels[k].expr)
        return built, sub

    def _solve(
        self,
        built: Built,
        sub: Candidates,
        hint: Solution,
        seconds: float | None,
        work: float | None,
    ) -> tuple[Solution | None, float]:
        """One solve of ``built`` hinted with ``hint``: what it found, and its work. With a
        work bound, one worker (the same answer on any machine)."""
        add_hint(built, sub, hint)
        runner = Runner(built, sub, self.seed, self.workers, self.stop)
        solver = runner.solver(seconds, work, workers=1 if work is not None else None)
        return runner.run(solver).found, work_of(solver)


def _in_rooms(
    sub: Candidates, free: list[int], schedules: tuple[Solution, ...], day: int
) -> Candidates:
    """The window with each free case allowed, on ``day``, only the rooms ``schedules`` give
    it (the master's, its own, the greedy sequencing's); its other options (its way back
    off the date, its transfers) as they were."""
    room_options = list(sub.room_options)
    for i in free:
        rooms = {s[i].room for s in schedules if _on(s[i], day)}  # type: ignore[union-attr]
        room_options[i] = [o for o in room_options[i] if o.day != day or o.room in rooms]
    return narrowed(sub, room_options=room_options)


def _on(p: Placement | None, day: int) -> bool:
    return p is not None and p.here and p.day == day


def _at(i: int, p: Placement) -> RoomOption:
    """Case ``i``'s option at ``p`` exactly (its room, its start)."""
    assert p.room is not None and p.start is not None
    return RoomOption(i, p.day, p.room, ((p.start, p.start),))


def _room(p: Placement | None) -> int | None:
    return None if p is None else p.room


def lossy_dates(cand: Candidates, sol: Solution) -> list[int]:
    """The dates that lose planned cases, the most lost first."""
    lost = lost_per_date(cand, sol)
    return sorted(lost, key=lambda d: (-lost[d], d))


def pack_start(
    cand: Candidates,
    starts: list[Solution],
    params: SolverParams,
    *,
    seed: int,
    workers: int,
    stop: StopFlag,
    seconds: float | None,
    work: float | None,
) -> tuple[Solution, dict[str, float]]:
    """The best of ``starts`` with its lossy dates packed (see the module docstring), the most
    lost first, ``params.pack_seconds`` (or ``params.pack_work``) each, round after round
    while a round gains, within ``seconds`` (a wall clock) or ``work`` (deterministic: one
    worker, the same answer on any machine). Returns the schedule and what was done (dates
    packed, dates improved, the work spent)."""
    levels = scoring_levels(cand)
    began = time.monotonic()
    start = min(starts, key=lambda sol: [lv.value(sol) for lv in levels])
    packer = Packer(cand, levels, list(start), params, seed, workers, stop, OptionIndex(cand))
    kept = [k for k, lv in enumerate(levels) if lv.kind.kept]
    used = 0.0
    gained = bool(kept)
    while gained:  # rounds, while a round gains
        before = packer.improved
        for day in lossy_dates(cand, packer.incumbent):
            left_s = None if seconds is None else seconds - (time.monotonic() - began)
            left_w = None if work is None else work - used
            # under a clock, a date given much less than its part is not packed (its models'
            # presolve and first solutions alone take about a second at the university's size)
            short_s = left_s is not None and left_s < params.pack_seconds / 2
            if short_s or (left_w is not None and left_w <= 0) or stop.requested:
                break
            part_s = None if left_s is None else min(left_s, params.pack_seconds)
            part_w = None if left_w is None else min(left_w, params.pack_work)
            used += packer.date(kept[0], day, part_s, part_w)
        gained = packer.improved > before
    if packer.improved:  # the cases a packed date no longer holds, placed where they fit
        filled = first_fit(cand, keep_in_place=True, fixed=packer.incumbent)
        if packer.scores(filled) < packer.scores(packer.incumbent):
            packer.incumbent = filled
    log.info("dates packed whole: %d solved, %d improved the start", packer.dates, packer.improved)
    return packer.incumbent, {"dates": packer.dates, "improved": packer.improved, "work": used}
