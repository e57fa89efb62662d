"""The start's windows a round at a time, each round's windows solved in parallel on Dask.

:mod:`.neighbourhoods` improves the starting schedule one window after the
other, each solved on the schedule the previous one left. Here the same
windows, in the same order, go in rounds: a round takes the next windows whose
dates differ (at most :data:`ROUND_WINDOWS`, the same on any cluster: the
rounds, and so the schedule, do not depend on the number of workers), builds
each one's model on the schedule as the round began, and solves them as Dask
tasks (a local cluster, or a running one by its scheduler's address) or in
this process, on as many threads as the search has workers (CP-SAT lets go of
Python's lock while it solves): the same answers, with one CP-SAT worker and a
work bound per window, byte for byte.

Windows of a round cannot undo each other. The rules of a date act on that
date's cases, and each window has its own dates. A case that could move in two
windows of the round is free in the first only (in round order): the later
ones hold it where it is, so that moving it away only frees what they held.
Beds run across dates: each answer is merged, in round order, only when every
bed and date its changes touch stays within its capacity on the schedule
merged so far (the windows' models counted the beds as the round began), and
only when the levels up to the one searched are better, as the serial path
keeps a window.

A task carries only its window's model inputs (:func:`compact`): the window's
cases (free or held) and the cases planned on its dates (the shortfall counts
them), renumbered, with a scenario of those cases and no sessions (their
options are built), not the run's whole options (a university's 405,904, a
region's millions). It is therefore also smaller to build than the serial
path's window model, which keeps every case of the run without options.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..facts.candidates import Candidates
from ..facts.levels import LevelKind
from ..facts.solution import Placement, Solution
from ..model.build import add_hint, build_model
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario
from .cluster import task_client
from .neighbourhoods import _order, _Search, improve_start
from .runner import Runner, work_of
from .scores import Scores
from .stop import StopFlag
from .tie_break import delay_lowered
from .window_index import OptionIndex, Placed, WindowCases, window_cases

log = logging.getLogger("optimizer.solve")

# Windows of a round at most: a fixed number, so that any cluster gives the same schedule
# (a round is at most as many windows as the level has dates to gain on: 5 on the university).
ROUND_WINDOWS = 8
# Seconds a task spends besides its solve (its model's building), before any was measured.
TASK_OVERHEAD_S = 0.3
# A level whose windows bring nothing in a whole pass is searched again with windows of
# twice the rooms, up to this many times ``neighbourhood_rooms``: moves a window of a few
# rooms cannot make (a case to a room outside its group, a chain through three rooms).
WIDEST = 4
# A local cluster's shutdown, as a share of its start (measured on the university: 2 of 4 s).
SHUTDOWN_SHARE = 0.5


@dataclass(frozen=True)
class WindowTask:
    """One window's model inputs: its cases alone (renumbered), their places as the round
    began, the level searched and the solve's bounds."""

    cand: Candidates
    hint: Solution
    kind: LevelKind
    seed: int
    work: float
    seconds: float | None
    tie_break: float = 0.0  # share of the bounds for the delay's solve (search/tie_break.py)


@dataclass(frozen=True)
class WindowAnswer:
    """A task's answer: its cases' places when the level searched gained (else ``None``),
    the solve's deterministic work, the task's seconds and of which the solve's."""

    found: Solution | None
    work: float
    seconds: float
    solve_s: float


def solve_window(task: WindowTask) -> WindowAnswer:
    """The window's model with the levels before the searched one bounded at the hint's
    values, the searched one minimised from the hint, one CP-SAT worker, then its weighted
    delay lowered when it gains (:func:`.tie_break.delay_lowered`): what runs on a Dask
    worker."""
    began = time.monotonic()
    built = build_model(task.cand)
    kinds = [lv.kind for lv in built.levels]
    if task.kind not in kinds:  # (no case of the window counts in it)
        return WindowAnswer(None, 0.0, time.monotonic() - began, 0.0)
    k = kinds.index(task.kind)
    for lv in built.levels[: k + 1]:
        built.model.add(lv.expr <= lv.value(task.hint))
    target = built.levels[k]
    built.model.minimize(target.expr)
    add_hint(built, task.cand, task.hint)
    runner = Runner(built, task.cand, task.seed, 1, StopFlag())
    solver = runner.solver(task.seconds, task.work, workers=1)
    solving = time.monotonic()
    found = runner.run(solver).found
    work = work_of(solver)
    if found is not None and target.value(found) >= target.value(task.hint):
        found = None
    if found is not None and task.tie_break > 0:
        seconds = None if task.seconds is None else task.tie_break * task.seconds
        found, more = delay_lowered(
            built, task.cand, runner, k, found, seconds, task.tie_break * task.work, 1
        )
        work += more
    solve_s = time.monotonic() - solving
    return WindowAnswer(found, work, time.monotonic() - began, solve_s)


def compact(
    cand: Candidates, window: WindowCases, planned: Sequence[int]
) -> tuple[Candidates, list[int]]:
    """The window's model inputs alone: its members and the cases ``planned`` on its dates
    (option-less unless members: the shortfall of a date counts its planned cases),
    renumbered in their order; and each one's index in ``cand``.

    Every level differs from the serial window model's (every case of the run, the others
    without options) by a constant: the same answers improve it."""
    keep = sorted({*window.members, *planned})
    new = {i: j for j, i in enumerate(keep)}
    room_options = [[o._replace(case=new[i]) for o in window.room_options.get(i, ())]
                    for i in keep]  # fmt: skip
    transfers = [[dataclasses.replace(t, case=new[i]) for t in window.transfers.get(i, ())]
                 for i in keep]  # fmt: skip
    days = {o.day for options in room_options for o in options}
    scenario = cand.scenario
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    # the model reads the cases, rooms, resources, partners and policy; the options are built
    fields.update(
        cases=tuple(scenario.cases[i] for i in keep), sessions=(), surgeon_windows=(),
        extra_sessions=(), extra_resources=(), unavailable=(), warnings=(),
    )  # fmt: skip
    levers = cand.levers
    if levers is not None:
        levers = dataclasses.replace(
            levers,
            elective=tuple(levers.elective[i] for i in keep) if levers.elective else (),
            base_span={k: v for k, v in levers.base_span.items() if k[0] in days},
        )
    small = Candidates(
        scenario=Scenario.model_construct(**fields),  # its parts were checked in the run's
        dates=cand.dates,
        rooms=cand.rooms,
        room_options=room_options,
        transfer_options=transfers,
        partner_slots=cand.partner_slots,
        session_span={k: v for k, v in cand.session_span.items() if k[0] in days},
        out_of_run=[window.out_of_run(cand, i) for i in keep],
        earliest_day=[cand.earliest_day[i] for i in keep],
        deadline_day=[cand.deadline_day[i] for i in keep],
        planned_day=[cand.planned_day[i] for i in keep],
        pinned=[i in window.held for i in keep],
        day_of=cand.day_of,
        days_ahead=cand.days_ahead,
        levers=levers,
        cut_short=cand.cut_short,
    )
    return small, keep


@dataclass
class _Pick:
    """A window of a round: its model inputs and which of its cases it may move."""

    dates: range
    keep: list[int]
    free: list[bool]
    task: WindowTask


@dataclass
class Rounds:
    """Searches a level of :func:`~.neighbourhoods.improve_start` a round of windows at a
    time on ``client`` (``None``: in this process), and counts what it did."""

    client: Any
    cluster: str
    slots: int = 1
    rounds: int = 0
    refused_beds: int = 0  # answers a window of the same round made overbook a bed
    tasks_s: float = 0.0  # the tasks' own seconds (model built, solved), summed
    solve_s: float = 0.0  # of which CP-SAT's
    rounds_s: float = 0.0  # the rounds' wall time: windows cut, tasks, merges
    threads: ThreadPoolExecutor | None = None  # in this process, more than one at a time
    _planned: dict[int, list[int]] = field(default_factory=dict)
    _overhead: float = TASK_OVERHEAD_S
    _placed: Placed | None = None  # the schedule's cases by date, followed by the merges
    _scores: Scores | None = None  # its levels' values, followed by the merges

    def _follow(self, search: _Search) -> tuple[Placed, Scores]:
        """The index and scores of ``search.incumbent``, made anew when it is not the
        schedule the merges followed (a new level's, after :meth:`_Search.fill`)."""
        if self._placed is None or self._placed.sol is not search.incumbent:
            self._placed = Placed(search.cand, search.incumbent)
        if self._scores is None or self._scores.sol is not search.incumbent:
            self._scores = Scores(search.cand, search.levels, search.incumbent)
        return self._placed, self._scores

    def __call__(self, search: _Search, k: int, until: float | None, work: float | None) -> bool:
        """Improve level ``k`` round after round until ``until`` or ``work`` is spent, or a
        whole pass over its windows (as :meth:`_Search.level` orders them) brings nothing
        with their rooms grouped :data:`WIDEST` times as wide as at first: then ``True``
        (the windows have nothing more to give)."""
        if not self._planned:
            for i, pd in enumerate(search.cand.planned_day):
                if pd is not None:
                    self._planned.setdefault(pd, []).append(i)
        used = 0.0
        turn = 0
        use = _bed_use(search.cand, search.incumbent)  # kept up to date by the merges
        params = search.params
        while not search.spent():
            gained = False
            pending = _order(search.cand, search.levels[k], search.incumbent, params, turn)
            turn += 1
            while pending:
                now = time.monotonic()
                if search.spent() or (until is not None and now >= until):
                    return False
                if work is not None and used >= work:
                    return False
                began = time.monotonic()
                picks, pending, late = self._round(search, k, pending, work, used, until)
                if late:
                    return False  # no time left for a task
                if not picks:
                    continue
                cut = time.monotonic()
                answers = self._solve([p.task for p in picks])
                spent = sum(a.work for a in answers)
                used += spent
                if search.work_left is not None:
                    search.work_left -= spent
                solved = time.monotonic()
                gained = self._merge(search, k, picks, answers, use) or gained
                self.rounds += 1
                self.rounds_s += time.monotonic() - began
                log.debug(
                    "round %d, level %d: %d windows cut in %.2f s, solved in %.2f s (tasks "
                    "%.2f s), merged in %.2f s: %s", self.rounds, k, len(picks), cut - began,
                    solved - cut, sum(a.seconds for a in answers), time.monotonic() - solved,
                    self._follow(search)[1].values[k],
                )  # fmt: skip
            if not gained:
                rooms = params.neighbourhood_rooms
                if rooms >= WIDEST * search.params.neighbourhood_rooms:
                    return True
                # a whole pass brought nothing: the same windows with twice the rooms
                params = params.model_copy(update={"neighbourhood_rooms": 2 * rooms})
        return False

    def _round(
        self,
        search: _Search,
        k: int,
        pending: list[tuple[int, frozenset[int]]],
        work: float | None,
        used: float,
        until: float | None,
    ) -> tuple[list[_Pick], list[tuple[int, frozenset[int]]], bool]:
        """The next round's windows (the first of ``pending`` on dates no earlier one of the
        round has), each with its bounds; the windows left for later rounds; whether the
        time left is too short for a task."""
        cand, params = search.cand, search.params
        width = params.neighbourhood_days
        search.index = search.index or OptionIndex(cand)
        chosen: list[tuple[range, frozenset[int]]] = []
        later: list[tuple[int, frozenset[int]]] = []
        busy: set[int] = set()
        for first, rooms in pending:
            dates = range(first, min(first + width, len(cand.dates)))
            if len(chosen) >= ROUND_WINDOWS or busy.intersection(dates):
                later.append((first, rooms))
                continue
            chosen.append((dates, rooms))
            busy.update(dates)
        bound = params.window_work
        if work is not None:
            bound = min(bound, (work - used) / max(1, len(chosen)))
        seconds = None
        if until is not None:
            waves = -(-len(chosen) // self.slots)
            seconds = min(params.neighbourhood_seconds,
                          (until - time.monotonic()) / max(1, waves) - self._overhead)  # fmt: skip
            if seconds < 0.05:
                return [], later, True
        taken: set[int] = set()
        picks = []
        placed, _scores = self._follow(search)
        for dates, rooms in chosen:
            window = window_cases(cand, placed, dates, rooms, search.index, taken)
            if not window.members:
                continue
            planned = [i for d in dates for i in self._planned.get(d, [])]
            small, keep = compact(cand, window, planned)
            members = window.room_options
            free = [i in members and i not in window.held for i in keep]
            taken.update(i for i, f in zip(keep, free, strict=True) if f)
            hint = [search.incumbent[i] if i in members else None for i in keep]
            kind = search.levels[k].kind
            task = WindowTask(small, hint, kind, search.seed, max(0.01, bound), seconds,
                              params.window_tie_break)  # fmt: skip
            picks.append(_Pick(dates, keep, free, task))
        return picks, later, False

    def _solve(self, tasks: list[WindowTask]) -> list[WindowAnswer]:
        """Each task's answer, in task order: on the client, else here (on the threads)."""
        if self.client is None:
            answers = list((self.threads.map if self.threads else map)(solve_window, tasks))
        else:
            futures = [self.client.submit(solve_window, t, pure=False, retries=1) for t in tasks]
            try:
                answers = list(self.client.gather(futures))
            finally:
                self.client.cancel(futures)
        self.tasks_s += sum(a.seconds for a in answers)
        self.solve_s += sum(a.solve_s for a in answers)
        if answers:
            self._overhead = max(0.05, sum(a.seconds - a.solve_s for a in answers) / len(answers))
        return answers

    def _merge(
        self,
        search: _Search,
        k: int,
        picks: list[_Pick],
        answers: list[WindowAnswer],
        use: Counter[tuple[str, int]],
    ) -> bool:
        """Each answer merged in round order when it keeps every bed (``use``: the beds the
        schedule holds, updated) and betters the levels up to ``k``; whether any was. Each
        is scored by the cases it moves alone (:class:`.scores.Scores`)."""
        cand = search.cand
        placed, scores = self._follow(search)
        gained = False
        for pick, answer in zip(picks, answers, strict=True):
            search.windows += 1
            if answer.found is None:
                continue
            moves = {
                i: answer.found[j]
                for j, (i, free) in enumerate(zip(pick.keep, pick.free, strict=True))
                if free and answer.found[j] != search.incumbent[i]
            }
            delta: Counter[tuple[str, int]] = Counter()
            for i, p in moves.items():
                delta.subtract(_stay(cand, i, search.incumbent[i]))
                delta.update(_stay(cand, i, p))
            if any(n > 0 and use[key] + n > _capacity(cand, key) for key, n in delta.items()):
                self.refused_beds += 1
                continue
            values = scores.after(moves)
            if values[: k + 1] < scores.values[: k + 1]:
                trial = list(search.incumbent)
                for i, p in moves.items():
                    trial[i] = p
                search.incumbent = trial
                placed.move(trial, moves)
                scores.move(trial, moves, values)
                search.improved += 1
                use.update(delta)
                gained = True
        return gained

    def summary(self) -> dict[str, Any]:
        """What the rounds did, for ``run.start_windows``."""
        return {
            "cluster": self.cluster,
            "rounds": self.rounds,
            "refused_beds": self.refused_beds,
            "tasks_s": round(self.tasks_s, 1),
            "solve_s": round(self.solve_s, 1),
            "rounds_s": round(self.rounds_s, 1),
        }


def _stay(cand: Candidates, i: int, p: Placement | None) -> list[tuple[str, int]]:
    return [] if p is None or not p.here else cand.stay(i, p.day)


def _capacity(cand: Candidates, key: tuple[str, int]) -> int:
    cap = cand.capacity(*key)
    assert cap is not None  # a stay holds counted beds only (Candidates.stay)
    return cap


def _bed_use(cand: Candidates, solution: Solution) -> Counter[tuple[str, int]]:
    """The beds ``solution`` holds, per (bed, day) with a capacity."""
    use: Counter[tuple[str, int]] = Counter()
    if any(cand.bed_stays):
        for i, p in enumerate(solution):
            use.update(_stay(cand, i, p))
    return use


def improve_in_rounds(
    cand: Candidates,
    starts: list[Solution],
    params: SolverParams,
    *,
    seed: int,
    stop: StopFlag,
    seconds: float | None,
    work: float | None,
    first_fit_s: float | None,
    scheduler: str | None,
    dask_workers: int | None,
    workers: int = 1,
) -> tuple[Solution, dict[str, Any]]:
    """:func:`~.neighbourhoods.improve_start` with its levels searched in rounds (see the
    module docstring), on the cluster at ``scheduler``, else a local one of
    ``dask_workers`` processes (0: in this process, on ``workers`` threads). The cluster's
    start counts in ``seconds``, and so does its shutdown (a local cluster's takes about
    half its start, measured). Returns the schedule and what was done."""
    began = time.monotonic()
    with (
        task_client(scheduler, dask_workers) as (client, where, slots),
        _threads(1 if client is not None else workers) as threads,
    ):
        if threads is not None:
            where, slots = f"in this process, {workers} threads", workers
        rounds = Rounds(client, where, slots, threads=threads)
        start = time.monotonic() - began
        stop_s = SHUTDOWN_SHARE * start if client is not None and scheduler is None else 0.0
        left = None if seconds is None else max(0.0, seconds - start - stop_s)
        better, done = improve_start(
            cand, starts, params, seed=seed, workers=1, stop=stop, seconds=left, work=work,
            first_fit_s=first_fit_s, rounds=rounds,
        )  # fmt: skip
    log.info("windows in rounds: %s", rounds.summary())
    return better, {**done, **rounds.summary()}


@contextmanager
def _threads(n: int) -> Iterator[ThreadPoolExecutor | None]:
    """``n`` threads for the tasks in this process (``None`` for one: no pool)."""
    if n <= 1:
        yield None
        return
    with ThreadPoolExecutor(n, thread_name_prefix="window") as pool:
        yield pool
