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

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..facts.candidates import Candidates, build_candidates, pin_to_starts, restrict
from ..facts.levers import capacity_use
from ..facts.solution import Solution
from ..model.build import Built, build_model
from ..model.capacity import LeverOptions
from ..model.objective import Level
from ..result.result import LevelReport, Result, make_result
from ..scenario.errors import Problem, ScenarioError
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario
from .construct import first_fit, keep_first, unplaced_held
from .level import search_level
from .options import SolveArgumentError, SolveOptions
from .outcome import Budget
from .progress import report_progress
from .repair import repaired
from .runner import Runner
from .stop import StopFlag

log = logging.getLogger("optimizer.solve")


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


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
        ``whatif``'s use of the extra sessions (:class:`LeverOptions`): as options the
        model may take at their cost; the result is then one of the scenario with the
        sessions taken made real (``result.added``). Overtime and the reserve need
        nothing here: the policy sets them.

    Raises
    ------
    SolveArgumentError
        (a ``ValueError``) an argument is out of its range; the message names it
        and the allowed values; or both ``options`` and keyword options are given.
    """
    given = {
        "time_limit": time_limit, "work_limit": work_limit, "seed": seed, "workers": workers,
        "target": target, "max_options": max_options, "params": params,
        "cpsat_params": cpsat_params, "log_search": log_search or None,
    }  # fmt: skip
    given = {k: v for k, v in given.items() if v is not None}
    if options is None:
        options = SolveOptions.checked(**given)
    elif given:
        raise SolveArgumentError(f"give options or {', '.join(sorted(given))}, not both")
    return search(scenario, options, hint=hint, stop=stop, levers=levers)


def search(
    scenario: Scenario,
    options: SolveOptions,
    *,
    hint: Solution | None = None,
    stop: StopFlag | None = None,
    levers: LeverOptions | None = None,
) -> Result:
    """The lexicographic search with ``options`` (one object, from the CLI or the API),
    until done or ``stop`` is requested; see :func:`solve` for what each option means."""
    started = time.monotonic()
    if options.target is not None:
        policy = scenario.policy.model_copy(update={"target_ratio": options.target})
        scenario = scenario.model_copy(update={"policy": policy})
    run = _Run.start(scenario, options, hint, stop or StopFlag(), started, levers)
    for k, level in enumerate(run.built.levels):
        run.solve_level(k, level)
    return run.result(scenario)


@dataclass
class _Run:
    """One search: the model, its budget, the best schedule so far, the levels' reports."""

    built: Built
    cand: Candidates
    runner: Runner
    params: SolverParams
    started: float
    time_limit: float | None
    work_left: float | None
    stop: StopFlag
    incumbent: Solution
    settings: dict[str, Any]
    reports: list[LevelReport] = field(default_factory=list)
    solver_used: bool = False

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
        time_limit = opts.time_limit
        if time_limit is None:
            time_limit = scenario.policy.time_limit_s or params.default_time_limit_s
        given_time_limit, clock = time_limit, "applied"
        if opts.work_limit is not None:
            # A work-limited run is reproducible whatever the machine's speed: the
            # wall clock never cuts a level short (only a stop request does).
            time_limit, clock = None, "not applied: the work limit governs"
        extras = levers is not None and levers.extras
        most = levers.most_extras if levers is not None else None
        full = build_candidates(
            scenario, extras=extras, most_extras=most, max_options=params.max_built_options
        )
        if hint is not None:
            starts = [hint]
        else:
            starts = [first_fit(full, keep_in_place=True), keep_first(full)]
            if sum(len(o) for o in full.room_options) <= params.lns_min_options:
                starts.append(first_fit(full, keep_in_place=False))
            refuse_unplaced_held(full, starts)
        max_options = params.max_options if opts.max_options is None else opts.max_options
        cand, days_ahead = restrict(full, starts, max_options)
        pinned_note = ""
        model_options = sum(len(o) for o in cand.room_options)
        if model_options > params.max_model_options:
            cand, days_ahead = pin_to_starts(full, starts), 0
            pinned_note = (
                f" (the dates alone would have given the model {model_options} options, above "
                f"{params.max_model_options}: each case keeps only the starting schedules' "
                "placements and one option on its planned date)"
            )
        built = build_model(cand, levers)
        incumbent = min(starts, key=lambda sol: [level.value(sol) for level in built.levels])
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
        settings = {
            "seed": seed,
            "workers": workers,
            "time_limit_s": given_time_limit,
            "work_limit": opts.work_limit,
            "wall_clock": clock,
            "days_ahead": days_ahead if days_ahead is not None else full.days_ahead,
            "options_restricted": restriction,
        }
        return cls(
            built, cand, runner, params, started, time_limit, opts.work_limit, stop, incumbent,
            settings,
        )  # fmt: skip

    def solve_level(self, k: int, level: Level) -> None:
        """Search level ``k`` if there is something to gain and budget left, then fix it."""
        value = level.value(self.incumbent)
        if value <= level.lower_bound:  # already at its bound: proven without a search
            self._report(level, value, value, "OPTIMAL", 0.0, searched=False)
        elif self._out_of_budget():
            status = "INTERRUPTED" if self.stop.requested else "UNKNOWN"
            self._report(level, value, None, status, 0.0, searched=False)
        else:
            value = self._search(k, level, value)
        self.built.model.add(level.expr <= value)

    def _out_of_budget(self) -> bool:
        elapsed = time.monotonic() - self.started
        out_of_time = self.time_limit is not None and elapsed >= self.time_limit
        out_of_work = self.work_left is not None and self.work_left <= 0
        return self.stop.requested or out_of_time or out_of_work

    def _budget(self, k: int) -> Budget:
        """Level ``k``'s fair part of what is left, in time and in work."""
        remaining_levels = len(self.built.levels) - k
        seconds = share = None
        if self.time_limit is not None:
            left = self.time_limit - (time.monotonic() - self.started)
            share = max(0.05, left / remaining_levels)
            # A level may run past its share, up to what later levels need to start,
            # but only while it keeps improving (see Watchdog).
            seconds = max(share, left - self.params.level_reserve_s * (remaining_levels - 1))
        work = None if self.work_left is None else max(0.01, self.work_left / remaining_levels)
        return Budget(seconds, work, share)

    def _search(self, k: int, level: Level, value: int) -> int:
        """Search level ``k``, keep what it found (repaired), report; the level's value."""
        self.built.model.minimize(level.expr)
        self.solver_used = True
        n = len(self.built.levels)
        report_progress(k + 1, n, level.name, value * level.unit, None)
        self.runner.on_improvement = lambda best, bound: report_progress(
            k + 1, n, level.name, best * level.unit, max(bound, level.lower_bound) * level.unit
        )
        out = search_level(self.runner, self.incumbent, level, self._budget(k), self.params)
        if self.work_left is not None:
            self.work_left = max(0.0, self.work_left - out.work)
        # The repair runs on what the search found, or on the incumbent when it found
        # nothing better: either way the later levels get a refitted start.
        found = out.found if out.found is not None and level.value(out.found) <= value else None
        self.incumbent = repaired(self.cand, self.built.levels, found or self.incumbent, k)
        value = level.value(self.incumbent)
        status, bound = out.status, out.bound
        if self.settings["options_restricted"] is not None:
            # CP-SAT searched a restricted model: its bound and OPTIMAL hold for that
            # model only (see settings["options_restricted"]).
            bound = None
            status = "FEASIBLE" if status == "OPTIMAL" else status
        if bound is not None:
            bound = max(level.lower_bound, min(value, bound))
            if bound == value:
                status = "OPTIMAL"
        self._report(level, value, bound, status, out.wall, searched=True)
        log.info("level %s: %s value=%s", level.name, status, value)
        report_progress(
            k + 1, n, level.name, value * level.unit, None if bound is None else bound * level.unit
        )
        return value

    def _report(
        self,
        level: Level,
        value: int,
        bound: int | None,
        status: str,
        wall: float,
        *,
        searched: bool,
    ) -> None:
        if level.by_class is None:
            self.reports.append(
                LevelReport(
                    level.name,
                    value * level.unit,
                    None if bound is None else bound * level.unit,
                    status,
                    wall,
                    searched=searched,
                    kind=level.kind,
                )
            )
            return
        # Encoded weights read back as misses per class: the value is their count, the
        # bound the lexicographically smallest misses it allows (a total only once proven).
        by_class = level.by_class(value)
        bound_by_class = None if bound is None else level.by_class(bound)
        total = sum(by_class.values())
        self.reports.append(
            LevelReport(
                level.name,
                total,
                total if bound == value else None,
                status,
                wall,
                searched=searched,
                by_class=by_class,
                bound_by_class=bound_by_class,
                kind=level.kind,
            )
        )

    def result(self, scenario: Scenario) -> Result:
        settings = dict(self.settings)
        days_ahead = settings.pop("days_ahead")
        settings.update(cp_sat_used=self.solver_used, days_ahead=days_ahead)
        lev, cand, added = self.cand.levers, self.cand, None
        if lev is not None and lev.extras:  # the extra sessions taken become real sessions
            used = capacity_use(lev, cand.cases, self.incumbent).extras
            added = tuple(scenario.extra_sessions[lev.extras[n].index] for n in sorted(used))
            scenario = scenario.with_extra_sessions(added)
            # the same cap as the search's: a region's full option set would not fit in memory
            cand = build_candidates(scenario, max_options=self.params.max_built_options)
        return make_result(
            scenario,
            cand,
            self.incumbent,
            self.reports,
            wall_time=time.monotonic() - self.started,
            interrupted=self.stop.requested,
            settings=settings,
            added=added,
            lang=scenario.policy.language,
        )


def refuse_unplaced_held(cand: Candidates, starts: list[Solution]) -> None:
    """Bad input: a case fixed on a date (and room) that no starting schedule could place
    there with the other held cases (the loader checks each alone; together they may
    still not fit: the planner must change one).

    Raises
    ------
    ScenarioError
        Naming, in ``cases.csv``, each fixed case left out.
    """
    left = set.intersection(*(set(unplaced_held(cand, s)) for s in starts)) if starts else set()
    if not left:
        return
    problems = []
    for i in sorted(left):
        c = cand.cases[i]
        problems.append(
            Problem(
                "cases.csv",
                None,
                "fixed_date" if c.fixed_date is not None else "pinned",
                f"case {c.case_id} is fixed on {c.fixed_date or c.planned_date}, but cannot be "
                "operated there together with the other pinned and fixed cases (their rooms, "
                "surgeons, anaesthetists or beds): change or clear its fixed_date",
            )
        )
    raise ScenarioError(problems)
