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
) -> WhatIf:
    """The least-cost extra sessions that reach the target on every date below it.

    Parameters
    ----------
    scenario
        A validated scenario with ``extra_sessions`` (none: nothing can be added).
    target
        Kept-ratio target overriding the policy's ``target_ratio``.
    options
        The search's options (:class:`SolveOptions`: budget, seed, workers) for each of
        the two solves.
    baseline
        The scenario solved as it is, if already done (else solved here).
    """
    options = options or SolveOptions()
    scenario = with_target(scenario, target)
    stop = stop or StopFlag()
    if baseline is None:
        baseline = search(scenario, options, stop=stop)
    below = [d for d in baseline.summary["dates"] if not d["target_met"]]
    offered = in_horizon(scenario) or build_resource_options(scenario)
    if not below or not offered or stop.requested:
        return answer(scenario, baseline, (), baseline, None, proven=not below)
    found = search(
        scenario,
        options,
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
) -> list[CurvePoint]:
    """Kept ratio per date with at most ``k`` extra sessions, for ``k = 0`` up to all.

    Point ``k`` is the lexicographic optimum of deadline misses, shortfall, planned
    cases kept, then added cost, with at most ``k`` sessions; each point starts from
    the previous one's schedule (valid with one session more), so with proven
    levels the curve never goes down in that order. Point 0 is the scenario as it is.
    """
    options = options or SolveOptions()
    scenario = with_target(scenario, target)
    stop = stop or StopFlag()
    if baseline is None:
        baseline = search(scenario, options, stop=stop)
    points = [_point(0, (), 0.0, baseline, _status(baseline))]
    previous = baseline
    for k in range(1, len(in_horizon(scenario)) + 1):
        if stop.requested:
            break
        found = search(
            scenario,
            options,
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
