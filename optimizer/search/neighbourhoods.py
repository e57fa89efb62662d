"""Large neighbourhood search with a model per window of dates, every option of its dates.

When the whole model cannot hold every (case, date, room) option (a university
of 60 rooms over 20 days has 405,904; the model keeps about 50,000 around the
starting schedules), the window search of :mod:`.windows` can move a case only
among the options the model kept: a postponed case keeps its planned date,
the dates up to its deadline and the dates the starting schedules gave it, so
it cannot go where capacity is free. Here each neighbourhood is a model of its
own (:func:`window_candidates`): a few consecutive dates, the cases that could
move there with every option they have on those dates (and their current place
as a way back), the cases that stay put but share a rule with them (held
cases of those dates, beds over the stays) fixed where they are, and no other
case at all. Such a model is small whatever the horizon, so the option limit
never binds, and each step is cheap to build.

Every rule of a date acts on the cases operated that date, and every case
operated on a window date is in the window's model, so an answer of the model,
merged into the schedule, keeps every rule (the beds, which run across dates,
are counted with every stay that reaches the window's). The cases left out are
where they were: each level's value differs from the model's by the same
amount for every answer, so the model's earlier levels, bounded at their value,
stay as they are, and a better model value is a better schedule.

The windows visited first are where the level can gain: for the shortfall and
the cases kept, the dates that lose planned cases, the most lost first; for
the weighted delay, the dates the postponed cases could move to, the most
delay they could save first. :func:`improve_start` runs this on the starting
schedule, level after level, before the model of the run is built
(:mod:`.start`): the model then holds the improved schedule's places.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind, scaled
from ..facts.narrow import narrowed
from ..facts.solution import Solution
from ..model.build import add_hint, build_model
from ..model.objective import Level, build_levels, need
from ..model.variables import add_variables
from ..scenario.params import SolverParams
from .construct import first_fit
from .pull_in import pulled_in
from .runner import Runner, work_of
from .stop import StopFlag
from .tie_break import delay_lowered
from .window_index import OptionIndex, Placed, window_cases

log = logging.getLogger("optimizer.solve")

# The levels a window of dates can improve, and how its windows are ordered.
IMPROVED = (LevelKind.SHORTFALL, LevelKind.KEPT, LevelKind.KEPT_WEIGHTED, LevelKind.DELAY)
# Each level's part of the time, relative to the others' (what one leaves goes to the next).
WEIGHT = {LevelKind.SHORTFALL: 2.0, LevelKind.KEPT: 2.0, LevelKind.KEPT_WEIGHTED: 2.0}
# The last fill's seconds (a first fit, then the exchanges of pull_in.py), kept back from the
# windows: this many first fits (measured on the university: 1.1 to 2.2 s, a first fit 0.3 s),
# at most this share of the windows' time; a fill before it takes no more.
FILL_FIRST_FITS = 6.0
FILL_SHARE = 0.1


@dataclass(frozen=True)
class Window:
    """One neighbourhood: its model's candidates and the cases in it (the others: none)."""

    cand: Candidates
    members: list[int]


def window_candidates(
    cand: Candidates,
    incumbent: Solution,
    dates: range,
    rooms: frozenset[int] | None = None,
    index: OptionIndex | None = None,
    taken: Collection[int] = (),
    placed: Placed | None = None,
) -> Window:
    """The model of ``dates`` (and of ``rooms`` on them; ``None``: every room) around
    ``incumbent`` (see the module docstring).

    A case is free when it is operated in the window (on one of ``dates``, in one of
    ``rooms``) or transferred on one of ``dates``; or when it is planned on one of
    ``dates``, placed after them or nowhere, and has an option in the window. Not when
    it is held, nor when it is kept on its planned date outside the window's dates
    (moving it would lose that date's kept case, and the levels of a date outside the
    window must stay as they are). A free case gets its options in the window and its
    current place; the other cases operated on ``dates`` are fixed where they are, as are
    the cases of ``taken`` (free in another window solved at the same time). The cases are
    found by :func:`.window_index.window_cases` (``placed``: ``incumbent``'s cases by date,
    when already indexed).
    """
    index = index or OptionIndex(cand)
    if placed is None or placed.sol is not incumbent:
        placed = Placed(cand, incumbent)
    cases = window_cases(cand, placed, dates, rooms, index, taken)
    n = len(cand.cases)
    sub = narrowed(
        cand,
        room_options=[cases.room_options.get(i, []) for i in range(n)],
        transfer_options=[cases.transfers.get(i, []) for i in range(n)],
        pinned=[i in cases.held for i in range(n)],
        out_of_run=[cases.out_of_run(cand, i) for i in range(n)],
    )
    return Window(sub, cases.members)


def scoring_levels(cand: Candidates) -> list[Level]:
    """The levels of ``cand`` as scores of a schedule, without building its model: the
    levels' values read the schedule alone, but for the disruption levels (searched date
    by date: not here), which are left out."""
    n = len(cand.cases)
    empty = dataclasses.replace(
        cand,
        room_options=[[] for _ in range(n)],
        transfer_options=[[] for _ in range(n)],
        pinned=[False] * n,
    )
    model = cp_model.CpModel()
    levels = build_levels(model, empty, add_variables(model, empty))
    return [lv for lv in levels if not lv.per_day]


@dataclass
class _Search:
    """One improvement of a schedule: its budget, what it spent, the schedule so far."""

    cand: Candidates
    levels: list[Level]
    incumbent: Solution
    params: SolverParams
    seed: int
    workers: int
    stop: StopFlag
    deadline: float | None
    work_left: float | None
    windows: int = 0
    improved: int = 0
    index: OptionIndex | None = None

    def spent(self) -> bool:
        out_of_time = self.deadline is not None and time.monotonic() >= self.deadline
        out_of_work = self.work_left is not None and self.work_left <= 0
        return self.stop.requested or out_of_time or out_of_work

    def scores(self, sol: Solution) -> list[int]:
        return [lv.value(sol) for lv in self.levels]

    def fill(self, until: float | None = None) -> None:
        """The cases the schedule leaves out placed by first fit around the others, when that
        is better (a window that keeps more planned cases may leave out cases that fit on a
        later date: the delay level would pay for each until the end of the horizon), then
        the delayed cases brought earlier (:func:`.pull_in.pulled_in`, until ``until`` or the
        search's deadline)."""
        filled = first_fit(self.cand, keep_in_place=True, fixed=self.incumbent)
        if self.scores(filled) < self.scores(self.incumbent):
            self.incumbent = filled
        ends = [t for t in (until, self.deadline) if t is not None]
        pulled = pulled_in(self.cand, self.incumbent, min(ends) if ends else None)
        if self.scores(pulled) < self.scores(self.incumbent):
            self.incumbent = pulled

    def level(self, k: int, until: float | None, work: float | None) -> None:
        """Improve level ``k`` window after window until ``until`` (a ``time.monotonic()``)
        or ``work`` is spent, or a whole round of its windows brings nothing."""
        width = self.params.neighbourhood_days
        used = 0.0
        turn = 0
        while not self.spent():
            gained = False
            hoods = _order(self.cand, self.levels[k], self.incumbent, self.params, turn)
            turn += 1
            for first, rooms in hoods:
                now = time.monotonic()
                if self.spent() or (until is not None and now >= until):
                    return
                if work is not None and used >= work:
                    return
                seconds = None if until is None else until - now
                left_w = None if work is None else work - used
                dates = range(first, min(first + width, len(self.cand.dates)))
                step, better = self.step(k, dates, rooms, seconds, left_w)
                used += step
                if self.work_left is not None:
                    self.work_left -= step
                gained = gained or better
            if not gained:
                return

    def step(
        self,
        k: int,
        dates: range,
        rooms: frozenset[int] | None,
        seconds: float | None,
        work: float | None,
    ) -> tuple[float, bool]:
        """One window's model solved for level ``k``: its work, and whether the schedule
        improved."""
        began = time.monotonic()
        self.index = self.index or OptionIndex(self.cand)
        window = window_candidates(self.cand, self.incumbent, dates, rooms, self.index)
        if not window.members:
            return 0.0, False
        sub = window.cand
        built = build_model(sub)
        if [lv.kind for lv in built.levels[: k + 1]] != [lv.kind for lv in self.levels[: k + 1]]:
            # (the waiting level, say, had no case left): the window as it is, every case in
            sub = dataclasses.replace(sub, out_of_run=self.cand.out_of_run)
            built = build_model(sub)
        built_s = time.monotonic() - began
        mine: Solution = [None] * len(self.cand.cases)
        for i in window.members:
            mine[i] = self.incumbent[i]
        for lv in built.levels[:k]:
            built.model.add(lv.expr <= lv.value(mine))
        target = built.levels[k]
        built.model.add(target.expr <= target.value(mine))
        built.model.minimize(target.expr)
        add_hint(built, sub, mine)
        steady = work is not None
        runner = Runner(built, sub, self.seed, self.workers, self.stop)
        cap_s = None if seconds is None else min(seconds, self.params.neighbourhood_seconds)
        cap_w = self.params.window_work if work is None else min(work, self.params.window_work)
        workers = 1 if steady else None
        solver = runner.solver(cap_s, cap_w, workers=workers)
        found = runner.run(solver).found
        work_done = work_of(solver)
        share = self.params.window_tie_break
        if found is not None and target.value(found) < target.value(mine) and share > 0:
            found, more = delay_lowered(
                built, sub, runner, k, found, None if cap_s is None else share * cap_s,
                share * cap_w, workers,
            )  # fmt: skip
            work_done += more
        self.windows += 1
        log.debug(
            "window %s rooms %s level %d: %d cases, %s -> %s in %.2f s (%.2f s building)",
            list(dates), None if rooms is None else sorted(rooms), k, len(window.members),
            target.value(mine), None if found is None else target.value(found),
            time.monotonic() - began, built_s,
        )  # fmt: skip
        if found is not None and target.value(found) < target.value(mine):
            merged = list(self.incumbent)
            for i in window.members:
                merged[i] = found[i]
            if self.scores(merged)[: k + 1] < self.scores(self.incumbent)[: k + 1]:
                self.incumbent = merged
                self.improved += 1
                return work_done, True
        return work_done, False


def _order(
    cand: Candidates, level: Level, sol: Solution, params: SolverParams, turn: int
) -> list[tuple[int, frozenset[int]]]:
    """The windows (first date, rooms) where ``level`` can gain most first: for each date
    that gains, its rooms in groups of ``params.neighbourhood_rooms``, the rooms most of the
    cases to move could take first (the groups shifted by half a group every other ``turn``,
    so that rooms are grouped anew); on the other turns of the shortfall and the cases kept,
    around each planned case the date loses (:func:`_around`). Dates where nothing can be
    gained have no window."""
    gain: dict[int, int] = {}
    room_gain: dict[int, dict[int, int]] = {}
    seeds: dict[int, list[int]] = {}  # per date, the planned cases it loses

    def add(i: int, d: int, amount: int) -> None:
        gain[d] = gain.get(d, 0) + amount
        per_room = room_gain.setdefault(d, {})
        for o in cand.room_options[i]:
            if o.day == d:
                per_room[o.room] = per_room.get(o.room, 0) + amount

    horizon = len(cand.dates)
    if level.kind is LevelKind.DELAY:
        # a postponed case could move to any earlier date it has an option on, a case
        # sent to a partner to any date before its deadline (its delay there costs less)
        for i, p in enumerate(sol):
            if cand.out_of_run[i] or cand.pinned[i]:
                continue
            w, base = scaled(cand.weight[i]), cand.base_day(i)
            if p is not None and p.partner is not None:
                cost, dl = scaled(cand.transfer_cost[i]), cand.deadline_day[i]
                for d in sorted({o.day for o in cand.room_options[i]}):
                    if (dl is None or d <= dl) and w * (d - base) < cost:
                        add(i, d, cost - w * (d - base))
                continue
            now = horizon if p is None else p.day
            for d in sorted({o.day for o in cand.room_options[i] if o.day < now}):
                if d < now and now > base:
                    add(i, d, w * (now - max(d, base)))
    else:
        short = _short_per_date(cand, sol) if level.kind is LevelKind.SHORTFALL else None
        for i, pd in enumerate(cand.planned_day):
            p = sol[i]
            if pd is None or (p is not None and p.here and p.day == pd):
                continue
            if short is None or short.get(pd, 0) > 0:
                add(i, pd, 1)
                seeds.setdefault(pd, []).append(i)
    size = params.neighbourhood_rooms
    per_date: list[list[frozenset[int]]] = []
    for d in sorted(gain, key=lambda d: (-gain[d], d)):
        per_room = room_gain.get(d, {})
        ranked = sorted(per_room, key=lambda r: (-per_room[r], r))
        if not ranked:
            continue
        if turn % 2 and d in seeds:
            per_date.append(_around(cand, sol, d, seeds[d], ranked, size))
            continue
        shift = (turn // 2 * (size // 2)) % len(ranked) if len(ranked) > size else 0
        ranked = ranked[shift:] + ranked[:shift]
        per_date.append([frozenset(ranked[k : k + size]) for k in range(0, len(ranked), size)])
    dates = [d for d in sorted(gain, key=lambda d: (-gain[d], d)) if room_gain.get(d)]
    # the dates in turn, each date's best rooms first: every date gets a window early
    out: list[tuple[int, frozenset[int]]] = []
    for k in range(max((len(groups) for groups in per_date), default=0)):
        out += [(d, rooms[k]) for d, rooms in zip(dates, per_date, strict=True) if k < len(rooms)]
    return out


def _around(
    cand: Candidates, sol: Solution, day: int, lost: list[int], ranked: list[int], size: int
) -> list[frozenset[int]]:
    """Per planned case ``lost`` on ``day``, the rooms where its surgeon operates that day
    (their cases may move to make the surgeon free), then its own best rooms (in ``ranked``
    order), ``size`` rooms at most; each group once."""
    where: dict[str, list[int]] = {}
    for i, p in enumerate(sol):
        if p is not None and p.here and p.day == day:
            assert p.room is not None
            where.setdefault(cand.cases[i].surgeon_id, []).append(p.room)
    order = {r: k for k, r in enumerate(ranked)}
    groups: list[frozenset[int]] = []
    for i in lost:
        own = sorted({o.room for o in cand.room_options[i] if o.day == day}, key=order.__getitem__)
        rooms = list(dict.fromkeys(sorted(where.get(cand.cases[i].surgeon_id, [])) + own))
        group = frozenset(rooms[:size])
        if group and group not in groups:
            groups.append(group)
    return groups


def _short_per_date(cand: Candidates, sol: Solution) -> dict[int, int]:
    """Per date, the planned cases it keeps short of the kept-ratio target."""
    planned: dict[int, int] = {}
    kept: dict[int, int] = {}
    for i, pd in enumerate(cand.planned_day):
        if pd is None:
            continue
        planned[pd] = planned.get(pd, 0) + 1
        p = sol[i]
        kept[pd] = kept.get(pd, 0) + (p is not None and p.here and p.day == pd)
    target = cand.scenario.policy.target_ratio
    return {d: need(n, target) - kept[d] for d, n in planned.items()}


def improve_start(
    cand: Candidates,
    starts: list[Solution],
    params: SolverParams,
    *,
    seed: int,
    workers: int,
    stop: StopFlag,
    seconds: float | None,
    work: float | None,
    first_fit_s: float | None = None,
    rounds: Callable[[_Search, int, float | None, float | None], object] | None = None,
) -> tuple[Solution, dict[str, float]]:
    """The best of ``starts`` improved window by window on each level of :data:`IMPROVED`, in the
    levels' order, each given a fair part of ``seconds`` (a wall-clock budget) or ``work``
    (deterministic: with one worker, the same answer on any machine), what a level leaves
    going to the next. Between levels, the cases left out are placed by first fit and
    pulled in (:mod:`.pull_in`) when the time left allows two first fits (``first_fit_s``:
    what one takes here; ``None`` with a wall clock: not tried). Returns the schedule and
    what was done (windows solved, steps kept, seconds). ``rounds``: searches a level in its stead
    (:mod:`.parallel_windows`: windows solved a round at a time, on Dask)."""
    levels = scoring_levels(cand)
    began = time.monotonic()
    start = min(starts, key=lambda sol: [lv.value(sol) for lv in levels])
    search = _Search(
        cand, levels, list(start), params, seed, workers, stop,
        None if seconds is None else began + seconds, work,
    )  # fmt: skip
    todo = [k for k, lv in enumerate(levels) if lv.kind in IMPROVED]
    # the last fill's time is kept back from the windows (the others take no more)
    fill_s = None
    if first_fit_s is not None and seconds is not None:
        fill_s = min(FILL_FIRST_FITS * first_fit_s, FILL_SHARE * seconds)
    for n, k in enumerate(todo):
        if search.spent():
            break
        # (the kept level's bound needs the model: never skipped)
        if not levels[k].kind.kept and levels[k].value(search.incumbent) <= 0:
            continue
        part = WEIGHT.get(levels[k].kind, 1) / sum(WEIGHT.get(levels[j].kind, 1) for j in todo[n:])
        until = None
        if search.deadline is not None:
            until = time.monotonic() + (search.deadline - time.monotonic() - (fill_s or 0)) * part
        share = None if search.work_left is None else search.work_left * part
        told = log.isEnabledFor(logging.DEBUG)  # (a region's scores take a while)
        before, at = search.scores(search.incumbent) if told else [], time.monotonic()
        if rounds is None:
            search.level(k, until, share)
        else:
            rounds(search, k, until, share)
        searched, filling = search.scores(search.incumbent) if told else [], time.monotonic()
        left = None if search.deadline is None else search.deadline - filling
        if left is None or (first_fit_s is not None and left > 2 * first_fit_s):
            last = n == len(todo) - 1
            search.fill(None if last or fill_s is None else time.monotonic() + fill_s)
        if told:
            log.debug(
                "windows on %s: %s -> %s in %.1f s, %s after the fill (%.1f s)", levels[k].name,
                before, searched, filling - at, search.scores(search.incumbent),
                time.monotonic() - filling,
            )  # fmt: skip
    log.info(
        "windows with every option: %d solved, %d improved the start",
        search.windows,
        search.improved,
    )
    took = round(time.monotonic() - began, 1)
    return search.incumbent, {
        "windows": search.windows,
        "improved": search.improved,
        "seconds": took,
    }
