"""The bundled demo scenario solves, and stays as good as recorded (by objective and bound)."""

from __future__ import annotations

from pathlib import Path

import pytest

import optimizer
from optimizer.check import check_schedule
from tests.support.level_bounds import bound_problem

# Proven optima of the demo's first three levels (any correct solver must match them).
PROVEN = {
    "deadline misses (most urgent first)": 1.0,  # one emergency miss
    "shortfall below target": 26.0,
    "planned cases kept": 251.0,
}
# The weighted delay this work limit reaches since the demo has stays, one anaesthetist for
# two rooms, unavailable patients and a day's notice for the waiting list (2179, proven,
# before them). Since the kept levels are proven date by date and the delay is searched
# date by date first (issue 20), 2621 is proven optimal within this limit (bound 2597
# before): recorded, not asserted proven, as other work may change what the limit reaches.
RECORDED_DELAY = 2621.0


@pytest.fixture(scope="module")
def result(demo_folder: Path) -> optimizer.Result:
    scenario = optimizer.load_scenario(demo_folder)
    return optimizer.solve(scenario, workers=1, work_limit=3, time_limit=300, seed=0)


def test_demo_schedule_passes_the_checker(result):
    """Every case once, every rule of the contract, a summary that matches the schedule."""
    assert len(result.rows) == len(result.scenario.cases) == 319
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_demo_reaches_the_recorded_optima(result):
    """Levels 1-3 are proven optimal at the recorded values, the delay at least as good as
    recorded; every level keeps its bounds."""
    levels = {lv.name: lv for lv in result.levels}
    for name, value in PROVEN.items():
        assert levels[name].value == value
        assert levels[name].status == "OPTIMAL"
    assert levels["weighted delay"].value <= RECORDED_DELAY
    # each level's bound on its own side: a floor for costs, a ceiling for cases kept
    assert [bound_problem(lv) for lv in result.levels] == [None] * len(result.levels)
    # the one miss left is an emergency whose only partner place that day was taken
    assert result.deadline_misses == ["C00126"]
    assert result.summary["totals"]["transferred"] >= 1
