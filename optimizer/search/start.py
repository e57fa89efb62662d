"""The run's clock and its start: options, starting schedules and model, within the time limit.

A time limit is a promise: it bounds the whole run (loading, the options, the
starting schedules, the model, every level, the checked result), and at the
limit the user gets the best valid schedule found so far, the first-fit one at
worst. So the first-fit schedule is always built; the other starting
schedules only while the time allows them, and the model, when the time left
would not build it whole, holds only the starting schedules' placements.
Without a wall clock (a work limit) nothing is skipped: the run is the same
on any machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..explain.budget import ReasonsBudget
from ..facts.budget import pin_to_starts, restrict
from ..facts.candidates import Candidates, build_candidates
from ..facts.solution import Placement, Solution
from ..model.build import Built, build_model
from ..model.capacity import LeverOptions
from ..model.master import build_master
from ..result.collector import collector_paused, collector_running
from ..scenario.errors import Problem, ScenarioError
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario
from .construct import OutOfTime, first_fit, keep_first, unplaced_held
from .exchange import exchanged
from .gaps import filled
from .in_time import in_time
from .neighbourhoods import improve_start
from .pack import pack_start
from .parallel_windows import improve_in_rounds
from .progress import report_stage
from .relocate import first_levels, misses_by_class, relocated
from .stop import StopFlag


@dataclass(frozen=True)
class Clock:
    """When the run began and, with a wall clock, when its search must end.

    ``search_end`` leaves the time the checked result takes (its reasons, the
    checker: about ``params.finish_s_per_case`` a case, and, once the options are
    built, ``params.finish_factor`` times what they took: that measures this
    machine's speed now), at most ``params.finish_share`` of the limit. The starting
    schedules and the start's windows end ``model_s`` before it (:meth:`start_left`): the
    model's build and the settling of the best start come after them, and on a region take
    some 14 s (``params.model_s_per_case``, ``params.model_factor``).
    """

    started: float
    time_limit: float | None
    search_end: float | None
    check_s: float = 0.0  # kept at the very end for the checker (see reasons_budget)
    model_s: float = 0.0  # kept after the starts for the model's build (see start_left)

    @classmethod
    def of(
        cls, started: float, time_limit: float | None, cases: int, params: SolverParams
    ) -> Clock:
        if time_limit is None:
            return cls(started, None, None)
        finish = min(params.finish_share * time_limit, params.finish_s_per_case * cases)
        check = min(finish, params.check_s_per_case * cases)
        model = min(params.model_share * time_limit, params.model_s_per_case * cases)
        written = params.write_s + params.write_s_per_case * cases
        return cls(started, time_limit, started + time_limit - finish - written, check + written,
                   model)  # fmt: skip

    def after_options(self, took: float, cases: int, params: SolverParams) -> Clock:
        """The clock once the options took ``took`` seconds to build (see the class)."""
        if self.time_limit is None:
            return self
        finish = min(
            params.finish_share * self.time_limit,
            max(params.finish_s_per_case * cases, params.finish_factor * took),
        )
        check = min(finish, max(params.check_s_per_case * cases, params.check_factor * took))
        model = min(
            params.model_share * self.time_limit,
            max(params.model_s_per_case * cases, params.model_factor * took),
        )
        written = params.write_s + params.write_s_per_case * cases
        return dataclasses.replace(
            self, search_end=self.started + self.time_limit - finish - written,
            check_s=check + written, model_s=model,
        )  # fmt: skip

    def reasons_budget(self, params: SolverParams) -> ReasonsBudget:
        """What each case's reason may cost: with a wall clock, no search of a date's starts
        begins once only the checker's time is left (past the first
        ``params.reasons_min_searches``); with a work limit (no clock), at most
        ``params.reasons_searches`` of them, so that the run is the same on any machine."""
        if self.time_limit is None:
            return ReasonsBudget(searches=params.reasons_searches)
        deadline = self.started + self.time_limit - self.check_s
        return ReasonsBudget(deadline=deadline, floor=params.reasons_min_searches)

    def left(self) -> float | None:
        """Seconds left for the search, ``None`` without a wall clock."""
        return None if self.search_end is None else self.search_end - time.monotonic()

    def start_left(self) -> float | None:
        """Seconds left for the starting schedules and the start's windows: the search's,
        less what the model's build and the settling of the best start take after them
        (``model_s``), so that a large run does not pass its limit building them."""
        left = self.left()
        return None if left is None else left - self.model_s


def options_deadline(clock: Clock, began: float, params: SolverParams) -> float | None:
    """When building the options gives up (the least urgent cases left get their planned
    date alone): ``params.options_share`` of the time left when it ``began``. Counted from
    the run's start (the CLI's: the process's, its imports 1 to 1.4 s), the share was spent
    before the options began at 3 s, and the demo's options were cut (2 deadline misses
    where a run given 1.6 s from its own start kept 1)."""
    if clock.time_limit is None:
        return None
    return began + params.options_share * (clock.started + clock.time_limit - began)


@dataclass(frozen=True)
class Start:
    """What the search starts from."""

    full: Candidates  # every option (or a region's budget of them)
    cand: Candidates  # the model's options
    built: Built
    starts: list[Solution]
    days_ahead: int | None
    pinned_note: str  # why the model holds only the starting placements, or ""
    master: Built | None  # the decomposition's master (model/master.py), when built
    clock: Clock  # the run's clock, its search's end set once the options were built
    windows: dict[str, Any] | None = None  # the start's improvement window by window, if run


@dataclass(frozen=True)
class Searcher:
    """How the run searches (its seed, workers, stop flag and work limit), for the start's
    improvement."""

    seed: int
    workers: int
    stop: StopFlag
    work_limit: float | None = None
    scheduler: str | None = None  # with dask_workers: the windows in rounds, on Dask
    dask_workers: int | None = None  # (search/parallel_windows.py); both None: one by one


@collector_paused()
def make_start(
    scenario: Scenario,
    params: SolverParams,
    clock: Clock,
    hint: Solution | None,
    max_options: int,
    levers: LeverOptions | None,
    searcher: Searcher | None = None,
) -> Start:
    """The options, the starting schedules and the model, each stage announced.

    When the model cannot hold every option (more than ``max_options``), the best
    starting schedule is first improved window by window, each window a model with every
    option of its dates (``params.neighbourhood_share`` of the time left, or
    ``params.neighbourhood_work`` under a work limit), with ``searcher``'s seed, workers and
    stop flag (default: the policy's seed, one worker)."""
    extras = levers is not None and levers.extras
    most = levers.most_extras if levers is not None else None
    more = levers is not None and levers.resources
    report_stage("options")
    began = time.monotonic()
    full = build_candidates(
        scenario,
        extras=extras,
        most_extras=most,
        max_options=params.max_built_options,
        deadline=options_deadline(clock, began, params),
        resources=more,
    )
    clock = clock.after_options(time.monotonic() - began, len(scenario.cases), params)
    took = None  # what a first fit takes here (the improvement's first fits must fit)
    if hint is not None:
        starts = [within(full, hint)]
    else:
        report_stage("first_fit")
        began = time.monotonic()
        first = first_fit(full, keep_in_place=True)
        starts = [first]
        took = time.monotonic() - began
        left = clock.start_left()
        # keep_first costs about twice a first fit (more on a region, where it ejects):
        # build it only with time to spare, and give it up past its share of what is left.
        if left is None or left > params.starts_factor * took:
            report_stage("starts")
            starts += _moved_starts(full, first, params, clock)
            if sum(len(o) for o in full.room_options) <= params.lns_min_options:
                starts.append(first_fit(full, keep_in_place=False))
        refuse_unplaced_held(full, starts)
    windows = None
    if levers is None and sum(len(o) for o in full.room_options) > max_options:
        searcher = searcher or Searcher(scenario.policy.seed, 1, StopFlag())
        with collector_running():  # a search of many solves, not a construction
            starts, windows = _improved(full, starts, params, clock, searcher, took)
    cand, days_ahead = restrict(full, starts, max_options)
    pinned_note = ""
    if full.cut_short:
        days_ahead = 0 if days_ahead is None else days_ahead
        pinned_note = (
            f" (the time limit left {full.cut_short} of the least urgent cases only their "
            "planned date: building every option would have taken past "
            f"{params.options_share:.0%} of the limit)"
        )
    model_options = sum(len(o) for o in cand.room_options)
    left = clock.left()
    if model_options > params.max_model_options:
        cand, days_ahead = pin_to_starts(full, starts), 0
        pinned_note += (
            f" (the dates alone would have given the model {model_options} options, above "
            f"{params.max_model_options}: each case keeps only the starting schedules' "
            "placements and one option on its planned date)"
        )
    elif left is not None and left < params.model_s_per_option * model_options:
        cand, days_ahead = pin_to_starts(full, starts), 0
        pinned_note += (
            f" (the time left would not build a model of {model_options} options: each case "
            "keeps only the starting schedules' placements and one option on its planned date)"
        )
    report_stage("model")
    built = build_model(cand, levers)
    options = sum(len(o) for o in cand.room_options)
    master = None
    left = clock.left()
    if options <= params.master_max_options and (
        left is None or left > 2 * params.model_s_per_option * options
    ):
        master = build_master(cand, levers)
    return Start(full, cand, built, starts, days_ahead, pinned_note, master, clock, windows)


def within(full: Candidates, hint: Solution) -> Solution:
    """``hint`` as a start of ``full``: as it is when ``full`` has an option for each of
    its placements, else those placed again by first fit around the others. A hint comes
    from another run (whatif's baseline, a block's schedule): under a short limit ``full``
    may be cut short (the least urgent cases on their planned date only), and a model
    fixed at a level its placements reach, which it cannot hold, is infeasible."""

    def allowed(i: int, p: Placement | None) -> bool:
        if p is None:
            return True
        if p.partner is not None:
            return any(t.partner == p.partner and t.day == p.day for t in full.transfer_options[i])
        return p.start is not None and any(
            o.day == p.day and o.room == p.room and any(a <= p.start <= b for a, b in o.starts)
            for o in full.room_options[i]
        )

    if all(allowed(i, p) for i, p in enumerate(hint)):
        return hint
    return first_fit(full, fixed=[p if allowed(i, p) else None for i, p in enumerate(hint)])


def _moved_starts(
    full: Candidates, first: Solution, params: SolverParams, clock: Clock
) -> list[Solution]:
    """The starts built from the others, each within ``params.starts_share`` of the time
    left: :func:`keep_first`, with the cases it makes miss their deadline placed in time
    (:func:`in_time`) and, once it misses no more than first fit, its crowded dates
    relieved (:func:`relocated`), their long cases swapped for shorter ones
    (:func:`exchanged`) and their rooms' gaps filled (:func:`filled`); then first fit with
    its crowded dates relieved (it puts each case with a deadline on its earliest date:
    search/relocate.py), swapped and filled, if that is the best start, unless the first
    start is already ahead of first fit on the first levels (on the region, the university
    and hospitals 11 and 14 that start never won, and on the region it took a minute of the
    windows' time). A schedule these steps did not change is not a start twice."""

    def deadline() -> float | None:
        left = clock.start_left()
        return None if left is None else time.monotonic() + params.starts_share * max(0, left)

    starts: list[Solution] = []
    with contextlib.suppress(OutOfTime):
        kept = keep_first(full, deadline=deadline())
        starts.append(kept)
        if misses_by_class(full, kept) > misses_by_class(full, first):
            kept = in_time(full, kept, deadline())
        if misses_by_class(full, kept) <= misses_by_class(full, first):
            relieved = _relieved(full, kept, deadline)
            if relieved != starts[-1]:
                starts.append(relieved)
            if first_levels(full, relieved) < first_levels(full, first):
                return starts  # ahead of first fit: relieving first fit is not worth its time
    relieved = _relieved(full, first, deadline)
    if first_levels(full, relieved) < min(first_levels(full, s) for s in [first, *starts]):
        starts.append(relieved)
    return starts


def _relieved(
    full: Candidates, schedule: Solution, deadline: Callable[[], float | None]
) -> Solution:
    """``schedule``'s crowded dates relieved (:func:`relocated`), their long cases swapped for
    shorter ones (:func:`exchanged`) and their rooms' gaps filled (:func:`filled`), each
    step until its own ``deadline()``."""
    moved = relocated(full, schedule, deadline())
    return filled(full, exchanged(full, moved, deadline()), deadline())


def _improved(
    full: Candidates,
    starts: list[Solution],
    params: SolverParams,
    clock: Clock,
    searcher: Searcher,
    first_fit_s: float | None,
) -> tuple[list[Solution], dict[str, Any] | None]:
    """``starts`` and the best of them improved window by window (search/neighbourhoods.py;
    the windows in rounds, search/parallel_windows.py, unless ``window_rounds`` is off),
    its lossy dates packed whole first when ``pack_share`` asks (search/pack.py), with what
    the improvement did; ``starts`` alone when it has no budget. Under a work limit
    it takes ``params.neighbourhood_share`` of it, ``params.neighbourhood_work`` at most."""
    left = clock.start_left()
    seconds = None if left is None else params.neighbourhood_share * left
    work = None
    if left is None:
        work = params.neighbourhood_work
        if searcher.work_limit is not None:
            work = min(work, params.neighbourhood_share * searcher.work_limit)
    if (seconds is not None and seconds <= 0) or work == 0 or params.neighbourhood_share == 0:
        return starts, None
    report_stage("windows")
    # the dates that lose planned cases packed whole first (search/pack.py), then the windows
    began = time.monotonic()
    seed, workers, stop = searcher.seed, searcher.workers, searcher.stop
    share = params.pack_share
    done = {"dates": 0.0, "improved": 0.0}
    froms = starts
    if share > 0:
        packed, done = pack_start(
            full, starts, params, seed=seed, workers=workers, stop=stop,
            seconds=None if seconds is None else share * seconds,
            work=None if work is None else share * work,
        )  # fmt: skip
        froms = [*starts, packed]
        if seconds is not None:
            seconds -= time.monotonic() - began
        if work is not None:
            work -= done["work"]
    scheduler, dask_workers = searcher.scheduler, searcher.dask_workers
    if scheduler is None and dask_workers is None and not params.window_rounds:
        better, windows = improve_start(
            full, froms, params, seed=seed, workers=workers, stop=stop, seconds=seconds,
            work=work, first_fit_s=first_fit_s,
        )  # fmt: skip
    else:  # in rounds: on Dask when asked, else in this process
        better, windows = improve_in_rounds(
            full, froms, params, seed=seed, stop=stop, seconds=seconds, work=work,
            first_fit_s=first_fit_s, scheduler=scheduler,
            dask_workers=0 if scheduler is None and dask_workers is None else dask_workers,
            workers=workers,
        )  # fmt: skip
    improved = int(windows["improved"] + done["improved"])
    return [*starts, better], {**windows, "dates": int(done["dates"]), "improved": improved}


def refuse_unplaced_held(cand: Candidates, starts: list[Solution]) -> None:
    """Bad input: a case fixed on a date (and room) that no starting schedule could place
    there with the other held cases (the scenario's invariants check each alone; together
    they may still not fit: the planner must change one).

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
