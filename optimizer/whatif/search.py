"""Finding what it would take, by the optimizer itself: extra sessions, beds and anaesthetists
as optional capacity.

``whatif`` solves twice. First the scenario as it is (the baseline: what is
kept now). Then, when a date is below target, the same model with every extra
session as an option the model may take at its cost (a literal per session; a
case may use its room or hours only when it is taken), the levels being:
deadline misses, shortfall below target, **added cost** (extra sessions, the
beds and anaesthetists of ``extra_resources.csv`` at their cost per unit, and
overtime), then the usual ones. So the answer is the least-cost set of extra
sessions that reaches the target wherever it can be reached (and misses no
more deadlines), found in one search rather than by trying rooms one by one.
It is proven least-cost when CP-SAT proves those three levels optimal. The
schedule found is then a schedule of the scenario with the chosen sessions
made real (the search returns it so), and is written and checked as such.

``curve`` does the same for at most ``k`` sessions (the sessions only: no
extra resource is offered on the curve), ``k = 0, 1, ...`` up to all
of them, with the kept level before the cost: the most kept with ``k``
sessions, at the least cost.
"""

from __future__ import annotations

import time

from ..facts.levels import LevelKind
from ..facts.resource_levers import build_resource_options
from ..model.capacity import LeverOptions
from ..result.result import LevelReport, Result
from ..scenario.schema import ExtraSession, Scenario
from ..search import SolveOptions, StopFlag
from ..search.driver import search
from ..search.options import with_target
from .answer import WhatIf, answer
from .curve import CurvePoint

KEPT = frozenset({LevelKind.KEPT, LevelKind.KEPT_WEIGHTED})  # the curve's last level before cost
# Of the time a wall clock leaves, the baseline's share; the search with the levers (a larger
# model, started from the baseline) has the rest.
BASELINE_SHARE = 0.3
# SolveOptions' least time limit: a search begun past the limit still returns its first-fit
# schedule (search/start.py), in about that time.
MIN_SEARCH_S = 0.1
# With the curve, the curve's share of the run's time limit (``answer_and_write``).
CURVE_SHARE = 0.5
# Seconds per case the answer takes once the searches end (its checker with the sessions
# added, its files): 0.8 s for 3,325 cases (load 2); kept from the limit. Unkept, whatif
# --time-limit 20 of 3,325 cases ran 21.7 to 23.5 s.
ANSWER_S_PER_CASE = 0.00025


def wall_limit(scenario: Scenario, options: SolveOptions) -> float | None:
    """The wall-clock limit the search applies with ``options`` (its default when none is
    given: search/driver.py), ``None`` under a work limit."""
    return None if options.work_limit is not None else options.time_limit_of(scenario)


class _Budget:
    """One wall-clock limit shared by the run's searches: it counts from the run's start
    (``started``, a ``time.monotonic()``: the CLI's is before loading, as ``solve``'s), and
    each search has, from the moment it begins, the share of the time left it is given, the
    last one all of it. A search keeps its own clock (search/start.py: its stages' shares
    count from its own start). Under a work limit (no wall clock) each search has the
    options as they are, so that the run is the same on any machine."""

    def __init__(
        self,
        scenario: Scenario,
        options: SolveOptions,
        started: float | None,
        after_s: float = 0.0,
    ) -> None:
        self.options = options
        limit = wall_limit(scenario, options)
        begun = time.monotonic() if started is None else started
        # the answer's check and files, and what the caller does after (after_s), are kept
        kept = ANSWER_S_PER_CASE * len(scenario.cases) + after_s
        self.end = None if limit is None else begun + limit - kept

    def next(self, share: float = 1.0) -> SolveOptions:
        """The options of the next search, which ends once ``share`` of the time left has
        passed (the limit itself with 1)."""
        if self.end is None:
            return self.options
        left = share * (self.end - time.monotonic())
        return self.options.model_copy(update={"time_limit": max(MIN_SEARCH_S, left)})


def in_horizon(scenario: Scenario) -> list[ExtraSession]:
    p = scenario.policy
    return [e for e in scenario.extra_sessions if p.start_date <= e.date <= p.end_date]


def whatif(
    scenario: Scenario,
    *,
    target: float | None = None,
    options: SolveOptions | None = None,
    baseline: Result | None = None,
    stop: StopFlag | None = None,
    started: float | None = None,
    after_s: float = 0.0,
) -> WhatIf:
    """The least-cost extra sessions that reach the target on every date below it.

    Parameters
    ----------
    scenario
        A validated scenario with ``extra_sessions`` (none: nothing can be added).
    target
        Kept-ratio target overriding the policy's ``target_ratio``.
    options
        The search's options (:class:`SolveOptions`: budget, seed, workers). A time limit
        bounds both solves together (``BASELINE_SHARE`` of it for the baseline); a work
        limit is each solve's.
    baseline
        The scenario solved as it is, if already done (else solved here).
    started
        When the run began, a ``time.monotonic()`` (the CLI: before it loaded the
        scenario); default: now. The time limit counts from it; the answer's check and
        files (``ANSWER_S_PER_CASE``) and ``after_s`` (the caller's, after it) are kept.
    """
    options = options or SolveOptions()
    scenario = with_target(scenario, target)
    stop = stop or StopFlag()
    budget = _Budget(scenario, options, started, after_s)
    if baseline is None:
        baseline = search(scenario, budget.next(BASELINE_SHARE), stop=stop)
    below = [d for d in baseline.summary["dates"] if not d["target_met"]]
    offered = in_horizon(scenario) or build_resource_options(scenario)
    if not below or not offered or stop.requested:
        return answer(scenario, baseline, (), baseline, None, proven=not below)
    found = search(
        scenario,
        budget.next(),
        hint=baseline.solution,
        levers=LeverOptions(extras=True, resources=True),
        stop=stop,
    )
    cost_level, proven = _proof(found.levels)
    return answer(
        scenario, baseline, found.added or (), found, cost_level, proven,
        found.added_resources or (),
    )  # fmt: skip


def _proof(levels: tuple[LevelReport, ...]) -> tuple[LevelReport | None, bool]:
    """The added-cost level, and whether it and every level before it is proven optimal."""
    for k, lv in enumerate(levels):
        if lv.kind is LevelKind.COST:
            return lv, all(x.proven for x in levels[: k + 1])
    return None, False


def curve(
    scenario: Scenario,
    *,
    target: float | None = None,
    options: SolveOptions | None = None,
    baseline: Result | None = None,
    stop: StopFlag | None = None,
    started: float | None = None,
    after_s: float = 0.0,
) -> list[CurvePoint]:
    """Kept ratio per date with at most ``k`` extra sessions, for ``k = 0`` up to all.

    Point ``k`` is the lexicographic optimum of deadline misses, shortfall, planned
    cases kept, then added cost, with at most ``k`` sessions; each point starts from
    the previous one's schedule (valid with one session more), so with proven
    levels the curve never goes down in that order. Point 0 is the scenario as it is.
    A time limit bounds the whole curve, counted from ``started`` (default: now), each
    point having an equal share of the time left; a work limit is each point's.
    """
    options = options or SolveOptions()
    scenario = with_target(scenario, target)
    stop = stop or StopFlag()
    offered = len(in_horizon(scenario))
    budget = _Budget(scenario, options, started, after_s)  # kept as whatif's (see it)
    if baseline is None:
        baseline = search(scenario, budget.next(1 / (offered + 1)), stop=stop)
    points = [_point(0, (), 0.0, baseline, _status(baseline))]
    previous = baseline
    for k in range(1, offered + 1):
        if stop.requested:
            break
        found = search(
            scenario,
            budget.next(1 / (offered + 1 - k)),
            hint=previous.solution,
            levers=LeverOptions(extras=True, most_extras=k, cost_after=KEPT,
                                last_level="cost"),
            stop=stop,
        )  # fmt: skip
        used = found.added or ()
        cost = sum(e.cost for e in used)
        points.append(_point(k, used, cost, found, _status(found)))
        previous = found
    return points


def _point(
    k: int, used: tuple[ExtraSession, ...], cost: float, result: Result, status: str
) -> CurvePoint:
    return CurvePoint(k, used, cost, tuple(result.summary["dates"]), status)


def _status(result: Result) -> str:
    """The status of the planned-cases-kept level and the ones before it: OPTIMAL only if
    all are."""
    for lv in result.levels:
        if not lv.proven:
            return lv.status
        if lv.kind is not None and lv.kind.kept:
            return "OPTIMAL"
    return "OPTIMAL"
