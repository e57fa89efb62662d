"""The lexicographic driver: solve the levels in order, each fixed before the next.

One CP-SAT model is built once. For each level in turn the model is solved
with that level as objective and the best schedule so far as a hint; the
level's value is then fixed (``expr <= value``) before moving on. A level the
current schedule already meets at its trivial bound (no miss, no shortfall,
every plannable case kept...) is fixed without a search. Whatever happens —
time out, Ctrl-C, CP-SAT finding nothing — the best schedule so far is
returned, and the constructive schedule is always there to fall back on.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..model.build import Built
from ..model.capacity import LeverOptions
from ..model.objective import Level
from ..result.result import LevelReport, Result
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario
from .anchor import anchored
from .benders import MasterOutcome, decompose
from .blocks import improve_in_blocks
from .budget import Plan
from .canon import canonical
from .finish import run_result
from .level import search_level
from .level_rounds import by_rounds, search_in_rounds, whole_after
from .options import SolveArgumentError, SolveOptions, a_scenario, default_workers, with_target
from .outcome import Budget, level_report
from .progress import report_progress
from .repair import repaired
from .runner import Runner, searched_whole
from .settle import settled
from .start import Clock, Searcher, make_start
from .steps import search_in_steps
from .stop import StopFlag

log = logging.getLogger("optimizer.solve")
# A solve that used this share of its seconds but not of its work was cut by the clock.
CUT = 0.95


def solve(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
    target: float | None = None,
    log_search: bool = False,
    hint: Solution | None = None,
    params: SolverParams | Mapping[str, Any] | None = None,
    cpsat_params: Mapping[str, Any] | None = None,
    stop: StopFlag | None = None,
    max_options: int | None = None,
    levers: LeverOptions | None = None,
    options: SolveOptions | None = None,
    started: float | None = None,
) -> Result:
    """Revise the schedule of ``scenario`` with the capacity it has left.

    The keyword options (``time_limit`` to ``max_options``) are gathered into one
    :class:`SolveOptions`, which :func:`search` takes; or give that object as
    ``options`` (then none of them).

    Parameters
    ----------
    scenario
        A validated scenario (see :func:`optimizer.load_scenario`).
    time_limit
        Wall-clock bound in seconds for the whole search (all levels), 0.1 s to a
        week; ``None``: the policy's ``time_limit_s``, else
        ``params.default_time_limit_s`` (30 s). It bounds time only: use
        ``work_limit`` for a reproducible run. Not applied when ``work_limit`` is
        given (summary ``run.wall_clock`` says so).
    work_limit
        Deterministic work budget (CP-SAT's ``max_deterministic_time``, summed
        over levels). With ``workers=1`` and the same seed, the same input gives
        the same schedule, byte for byte, whatever the machine's speed: the
        wall-clock limit is then not applied (only ``stop`` ends the run early).
    seed
        Random seed of the search, 0 to 2**31 - 1 (default: the policy's ``seed``).
    workers
        Search workers, 1 to 64 (default: the machine's cores, at most 8).
    target
        Kept-ratio target (0 to 1) overriding the policy's ``target_ratio``.
    hint
        A schedule to start from instead of the constructive one.
    params
        The search's tuning values (:class:`optimizer.scenario.params.SolverParams`, or a
        mapping of its fields); default: the policy's ``[solver]`` table.
    cpsat_params
        Extra CP-SAT parameters, by name (until 0.1.0 this was ``params``).
    stop
        A flag a signal handler may set to end the search early.
    max_options
        Overrides ``params.max_options``: above this many (case, date, room)
        options the model keeps, per case, its planned date, the dates up to its
        deadline and its first few other dates (reported as ``days_ahead`` in the
        summary); bounds then hold for that restricted model only.
    levers
        ``whatif``'s use of the extra sessions, beds and anaesthetists
        (:class:`LeverOptions`): as options the model may take at their cost; the result
        is then one of the scenario with those taken made real (``result.added``,
        ``result.added_resources``). Overtime and the reserve need nothing here: the
        policy sets them.
    started
        When the run began, a ``time.monotonic()`` (the CLI: before it loaded the
        scenario); default: now. The time limit and ``wall_time_s`` count from it.

    Raises
    ------
    SolveArgumentError
        (a ``ValueError``) an argument is out of its range; the message names it
        and the allowed values; or both ``options`` and keyword options are given.
    """
    a_scenario(scenario)
    given = {
        "time_limit": time_limit, "work_limit": work_limit, "seed": seed, "workers": workers,
        "target": target, "max_options": max_options, "params": params,
        "cpsat_params": cpsat_params, "log_search": log_search or None,
    }  # fmt: skip
    given = {k: v for k, v in given.items() if v is not None}
    if options is None:
        options = SolveOptions.checked(**given)
    elif given:
        raise SolveArgumentError("search.both", names=", ".join(sorted(given)))
    return search(scenario, options, hint=hint, stop=stop, levers=levers, started=started)


def search(
    scenario: Scenario,
    options: SolveOptions,
    *,
    hint: Solution | None = None,
    stop: StopFlag | None = None,
    levers: LeverOptions | None = None,
    started: float | None = None,
) -> Result:
    """The lexicographic search with ``options`` (one object, from the CLI or the API) until
    done or ``stop`` is requested (:func:`solve` says what each option means), its time limit
    and ``wall_time_s`` counted from ``started`` (a ``time.monotonic()``; default: now)."""
    started = time.monotonic() if started is None else started
    scenario = with_target(scenario, options.target)
    stop = stop or StopFlag()
    blocks = None
    if options.block_days is not None and hint is None and levers is None:
        hint, blocks, options = improve_in_blocks(
            scenario, options, search_solution, stop=stop, started=started
        )
    run = _Run.searched(scenario, options, hint, stop, started, levers)
    if blocks is not None:
        run.settings["blocks"] = blocks.summary()
    return run.result(scenario)


@dataclass(frozen=True)
class Searched:
    """A search's schedule without its result (no reasons, no checker): ``insert``'s options."""

    cand: Candidates
    solution: Solution
    settings: Mapping[str, Any]  # as the result's: seed, workers, limits, proved_by...
    wall_time_s: float  # from ``started`` to the search's end


def search_found(
    scenario: Scenario,
    options: SolveOptions,
    *,
    hint: Solution | None = None,
    stop: StopFlag | None = None,
    started: float | None = None,
) -> Searched:
    """:func:`search` (its blocks aside) without its result: its reasons and checker are
    most of a short search's cost on a large hospital, and only a result written needs them."""
    started = time.monotonic() if started is None else started
    scenario = with_target(scenario, options.target)
    run = _Run.searched(scenario, options, hint, stop or StopFlag(), started)
    return Searched(run.cand, run.incumbent, run.settings, time.monotonic() - started)


def search_solution(
    scenario: Scenario, options: SolveOptions, hint: Solution
) -> tuple[Candidates, Solution]:
    """:func:`search_found` for a caller that merges schedules (a block's task, :mod:`.blocks`)."""
    found = search_found(scenario, options, hint=hint)
    return found.cand, found.solution


@dataclass
class _Run:
    """One search: the model, its budget, the best schedule so far, the levels' reports."""

    built: Built
    cand: Candidates
    runner: Runner
    params: SolverParams
    clock: Clock
    work_left: float | None
    stop: StopFlag
    incumbent: Solution
    settings: dict[str, Any]
    plan: Plan
    master: Built | None = None
    reports: list[LevelReport] = field(default_factory=list)
    solver_used: bool = False
    not_first_fit: bool = False  # the best start beats first fit (the steps of start.py)

    @classmethod
    def searched(
        cls,
        scenario: Scenario,
        opts: SolveOptions,
        hint: Solution | None,
        stop: StopFlag,
        started: float,
        levers: LeverOptions | None = None,
    ) -> _Run:
        """The run with every level searched (or fixed) in turn."""
        run = cls.start(scenario, opts, hint, stop, started, levers)
        for k, level in enumerate(run.built.levels):
            run.solve_level(k, level)
        return run

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        opts: SolveOptions,
        hint: Solution | None,
        stop: StopFlag,
        started: float,
        levers: LeverOptions | None = None,
    ) -> _Run:
        """Build the model and pick the better starting schedule, level by level."""
        params = scenario.policy.solver if opts.params is None else opts.params
        seed = scenario.policy.seed if opts.seed is None else opts.seed
        workers = default_workers() if opts.workers is None else opts.workers
        time_limit: float | None = opts.time_limit_of(scenario)
        given_time_limit, wall_clock = time_limit, "applied"
        if opts.work_limit is not None:
            # A work-limited run is reproducible whatever the machine's speed: the
            # wall clock never cuts a level short (only a stop request does).
            time_limit, wall_clock = None, "not applied: the work limit governs"
        clock = Clock.of(started, time_limit, len(scenario.cases), params)
        max_options = params.max_options if opts.max_options is None else opts.max_options
        params = params.for_time_limit(time_limit, max_options)
        searcher = Searcher(seed, workers, stop, opts.work_limit, opts.scheduler, opts.dask_workers)
        begun = make_start(scenario, params, clock, hint, max_options, levers, searcher)
        full, cand, built, starts = begun.full, begun.cand, begun.built, begun.starts
        clock = begun.clock
        days_ahead, pinned_note = begun.days_ahead, begun.pinned_note
        scored = [[level.value(sol) for level in built.levels] for sol in starts]
        best = min(range(len(starts)), key=scored.__getitem__)
        incumbent = starts[best]
        # a start the other steps made (search/start.py) beats first fit: not first fit's
        not_first_fit = hint is None and scored[best] < scored[0]
        incumbent = settled(cand, built.levels, incumbent, deadline=clock.search_end)
        runner = Runner(built, cand, seed, workers, stop, opts.log_search, opts.cpsat_params)
        restriction = None
        if full.days_ahead is not None or days_ahead is not None:
            k = days_ahead if days_ahead is not None else full.days_ahead
            restriction = (
                f"options cut to {sum(len(o) for o in cand.room_options)}: each case keeps its "
                f"planned date, the dates up to its deadline, the dates the starting schedules "
                f"use and its first {k} other dates with a session; a bound CP-SAT proves holds "
                "for these options only, so no level searched is reported OPTIMAL" + pinned_note
            )
        settings: dict[str, Any] = {
            "seed": seed,
            "workers": workers,
            "time_limit_s": given_time_limit,
            "work_limit": opts.work_limit,
            "wall_clock": wall_clock,
            # under a wall clock, each level's steps use one worker (params.steady_levels)
            "level_workers": (
                1
                if params.steady_levels
                and opts.work_limit is None
                and searched_whole(built, params)
                else workers
            ),
            "days_ahead": days_ahead if days_ahead is not None else full.days_ahead,
            "options_restricted": restriction,
            # level -> how it was proven optimal (a level met at its trivial bound: not listed)
            "proved_by": {},
            "start_windows": begun.windows,  # the start's windows (search/neighbourhoods.py)
        }
        # a large model's levels the start's windows improved: searched by those windows
        by_windows = begun.windows is not None and not searched_whole(built, params)
        rounds = [k for k, lv in enumerate(built.levels) if by_windows and by_rounds(lv.kind, cand)]
        steps = params.steady_levels and searched_whole(built, params)
        plan = Plan(built.levels, params, frozenset(rounds), steps, time_limit)
        return cls(
            built, cand, runner, params, clock, opts.work_limit, stop, incumbent, settings, plan,
            begun.master, not_first_fit=not_first_fit,
        )  # fmt: skip

    def solve_level(self, k: int, level: Level) -> None:
        """Search level ``k`` if there is something to gain and budget left, then fix it."""
        value = level.value(self.incumbent)
        if value <= level.lower_bound:  # already at its bound: proven without a search
            self._report(level, value, value, "OPTIMAL", 0.0, searched=False)
        elif self._out_of_budget(k) or self.plan.too_short(k, self.clock.left()):
            status = "FEASIBLE" if self._improved_start() else "UNKNOWN"
            status = "INTERRUPTED" if self.stop.requested else status
            self._report(level, value, None, status, 0.0, searched=False)
        else:
            value = self._search(k, level, value)
        self.built.model.add(level.expr <= value)
        self.incumbent, self.work_left = canonical(
            self.runner, self.incumbent, k + 1, self.params, self.clock.left(), self.work_left
        )
        if self.master is not None:  # the master stays a relaxation of the whole model
            self.master.model.add(self.master.levels[k].expr <= value)

    def _improved_start(self) -> bool:
        """Whether the schedule is no longer first fit's before any level's search: a start
        the other steps made beats it, or the start's windows improved it."""
        improved = (self.settings["start_windows"] or {}).get("improved")
        return self.not_first_fit or bool(improved)

    def _out_of_budget(self, k: int) -> bool:
        left = self.plan.left(k, self.clock.left())
        out_of_time = left is not None and left <= 0
        out_of_work = self.work_left is not None and self.work_left <= 0
        return self.stop.requested or out_of_time or out_of_work

    def _budget(self, k: int) -> Budget:
        """Level ``k``'s part of what is left, in time and in work (search/budget.py)."""
        return self.plan.budget(k, self.clock.left(), self.work_left)

    def _search(self, k: int, level: Level, value: int) -> int:
        """Search level ``k``, keep what it found (repaired), report; the level's value."""
        self.built.model.minimize(level.expr)
        self.solver_used = True
        n = len(self.built.levels)
        report_progress(k + 1, n, level.name, value * level.unit, None)
        self.runner.on_improvement = lambda best, bound: report_progress(
            k + 1, n, level.name, best * level.unit, max(bound, level.lower_bound) * level.unit
        )
        levels = self.built.levels
        first = self._decompose(k, level) if self.master and level.dates_only else None
        if first is not None and first.bound is not None:
            value = level.value(self.incumbent)
            if value <= first.bound:  # a sequenced schedule reached the master's bound
                return self._proven_by_master(k, level, value, first.wall)
        budget = self.plan.steady(k, self.clock.left(), self.work_left)
        if k in self.plan.rounds:
            out, exhausted = search_in_rounds(
                self.cand, self.incumbent, level.kind, self.params, seed=self.runner.seed,
                workers=self.runner.workers, stop=self.stop, seconds=budget.seconds,
                work=budget.work,
            )  # fmt: skip
            if exhausted:  # the rest of its time to the model searched whole
                out = whole_after(self.runner, self.incumbent, k, out, budget, self.params)
        elif self._steps() and budget.work is not None:
            out = search_in_steps(self._level_runner(), self.incumbent, level, budget, self.params)
        else:
            out = search_level(self._level_runner(), self.incumbent, level, budget, self.params)
        if self.work_left is not None:
            self.work_left = max(0.0, self.work_left - out.work)
        # What the search found replaces the incumbent only when lexicographically better
        # from this level on: an equal schedule elsewhere would move patients for nothing.
        # The repair runs on it, or on the incumbent: either way the later levels get a
        # refitted start, and the cases it need not move are put back.
        found = out.found
        if found is not None and [lv.value(found) for lv in levels[k:]] >= [
            lv.value(self.incumbent) for lv in levels[k:]
        ]:
            found = None
        if (
            found is not None
            and self._steps()
            and self.params.anchor_work > 0
            and not level.per_day
        ):
            # settled first: the anchoring starts closer and has fewer cases to free
            found = self._anchored(k, level, settled(self.cand, levels, found, k))
        self.incumbent = repaired(self.cand, levels, found or self.incumbent, k)
        if k + 1 not in self.plan.rounds:  # (the rounds look at dates only: settled after)
            self.incumbent = settled(self.cand, levels, self.incumbent, k)
        value = level.value(self.incumbent)
        status, bound = out.status, out.bound
        if status == "UNKNOWN" and self._improved_start():
            status = "FEASIBLE"  # nothing found here, but the start is no longer first fit's
        method = out.method or "CP-SAT, whole model"
        if first is not None and first.bound is not None and (bound is None or first.bound > bound):
            bound, method = first.bound, "decomposition's master bound, CP-SAT's schedule"
        if self.settings["options_restricted"] is not None:
            # CP-SAT searched a restricted model: its bound and OPTIMAL hold for that
            # model only (see settings["options_restricted"]).
            bound = None
            status = "FEASIBLE" if status == "OPTIMAL" else status
        if bound is not None:
            bound = max(level.lower_bound, min(value, bound))
            if bound == value:
                status = "OPTIMAL"
        if status == "OPTIMAL":
            self.settings["proved_by"][level.name] = method
        wall = out.wall + (first.wall if first is not None else 0.0)
        self._report(level, value, bound, status, wall, searched=True)
        log.info("level %s: %s value=%s", level.name, status, value)
        report_progress(
            k + 1, n, level.name, value * level.unit, None if bound is None else bound * level.unit
        )
        return value

    def _level_runner(self) -> Runner:
        """The run's runner, or one of a single worker under a wall clock (steady_levels):
        one worker finds the same schedules in the same order whatever the machine's load,
        the clock deciding only how far down that sequence a level gets."""
        if self._steps() and self.work_left is None:
            return dataclasses.replace(self.runner, workers=1, proof_thread=self.runner.workers > 1)
        return self.runner

    def _steps(self) -> bool:
        """Whether the levels are searched in steps and their gains anchored (Plan.steps)."""
        return self.plan.steps

    def _anchored(self, k: int, level: Level, found: Solution) -> Solution:
        """``found``'s value on ``level`` reached moving the fewest cases from the incumbent
        (search/anchor.py), or ``found`` when that search finds nothing. Under a clock,
        within the share of level ``k``'s fair time kept for it (at load 4 its work took 4
        to 6 s of a 10-s run, and the weighted delay had no time left); one the clock cut
        short is not taken (it may have stopped anywhere: two runs would differ)."""
        left = self.plan.left(k, self.clock.left())
        if left is not None and left <= 0:
            return found
        seconds = self._budget(k).share
        if left is not None and seconds is not None:
            left = min(left, max(0.05, seconds * self.params.anchor_share))
        began = time.monotonic()
        work_cap = self.params.anchor_work
        closest, work = anchored(self.runner, self.incumbent, level, found, work_cap, left)
        if self.work_left is not None:
            self.work_left = max(0.0, self.work_left - work)
        cut = left is not None and time.monotonic() - began >= CUT * left and work < CUT * work_cap
        return found if closest is None or cut else closest

    def _decompose(self, k: int, level: Level) -> MasterOutcome:
        """Level ``k`` by decomposition (search/benders.py) with its share of the budget;
        a better schedule found becomes the incumbent."""
        assert self.master is not None
        b, share = self._budget(k), self.params.master_share
        part = Budget(
            None if b.share is None else b.share * share,
            None if b.work is None else b.work * share,
            None,
        )
        levels = self.built.levels
        m = decompose(
            self.runner, self.master, levels, k, self.incumbent, part, self.params.master_rounds
        )
        if self.work_left is not None:
            self.work_left = max(0.0, self.work_left - m.work)
        if m.found is not None:
            self.incumbent = settled(self.cand, levels, m.found, k)
        log.info("level %s: master bound %s after %d round(s)", level.name, m.bound, m.rounds)
        return m

    def _proven_by_master(self, k: int, level: Level, value: int, wall: float) -> int:
        restricted = self.settings["options_restricted"] is not None
        status = "FEASIBLE" if restricted else "OPTIMAL"
        bound = None if restricted else value
        if not restricted:
            self.settings["proved_by"][level.name] = (
                "decomposition: master bound reached by a sequenced schedule"
            )
        self._report(level, value, bound, status, wall, searched=True)
        n = len(self.built.levels)
        report_progress(
            k + 1, n, level.name, value * level.unit, None if bound is None else bound * level.unit
        )
        return value

    def _report(
        self, level: Level, value: int, bound: int | None, status: str, wall: float, *,
        searched: bool,
    ) -> None:  # fmt: skip
        self.reports.append(level_report(level, value, bound, status, wall, searched=searched))

    def result(self, scenario: Scenario) -> Result:
        return run_result(
            scenario, self.cand, self.incumbent, self.reports, self.settings,
            params=self.params, clock=self.clock, interrupted=self.stop.requested,
            solver_used=self.solver_used,
        )  # fmt: skip
