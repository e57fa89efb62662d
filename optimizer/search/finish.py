"""A search's result: its schedule with the levels' reports, the reasons and the checker.

Kept apart from the level loop (:mod:`.driver`): a caller that only scores schedules
(``insert``'s options, a block's task) stops before it (:func:`.driver.search_found`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ..facts.candidates import Candidates, build_candidates
from ..facts.levers import capacity_use
from ..facts.resource_levers import taken_rows
from ..facts.solution import Solution
from ..result.result import LevelReport, Result, make_result
from ..scenario.params import SolverParams
from ..scenario.schema import Scenario
from .progress import report_stage
from .start import Clock


def run_result(
    scenario: Scenario,
    cand: Candidates,
    solution: Solution,
    reports: Sequence[LevelReport],
    settings: Mapping[str, Any],
    *,
    params: SolverParams,
    clock: Clock,
    interrupted: bool,
    solver_used: bool,
) -> Result:
    """The result of a search's ``solution`` (``reports``: its levels; ``settings``: its
    run block), the extra sessions and resources a whatif took made real; its
    ``wall_time_s`` the whole run's, from ``clock.started``, the reasons and check included."""
    settings = dict(settings)
    days_ahead = settings.pop("days_ahead")
    settings.update(cp_sat_used=solver_used, days_ahead=days_ahead)
    lev, added, more = cand.levers, None, None
    if lev is not None and (lev.extras or lev.resources):
        # the extra sessions and resources taken become real sessions and capacities
        use = capacity_use(lev, cand.cases, solution)
        if lev.extras:
            added = tuple(scenario.extra_sessions[lev.extras[n].index]
                          for n in sorted(use.extras))  # fmt: skip
            scenario = scenario.with_extra_sessions(added)
        if lev.resources:
            more = taken_rows(scenario, lev.resources, use.resources)
            scenario = scenario.with_extra_resources(more)
        # the same cap as the search's: a region's full option set would not fit in memory
        cand = build_candidates(scenario, max_options=params.max_built_options)
    report_stage("result")
    result = make_result(
        scenario,
        cand,
        solution,
        list(reports),
        wall_time=time.monotonic() - clock.started,
        interrupted=interrupted,
        settings=settings,
        added=added,
        added_resources=more,
        lang=scenario.policy.language,
        reasons_budget=clock.reasons_budget(params),
    )
    # The whole run's time: the reasons and the check are part of it.
    return dataclasses.replace(result, wall_time_s=time.monotonic() - clock.started)
