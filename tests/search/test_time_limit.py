"""A time limit is a promise: it bounds the whole run, and at the limit the user gets a
valid schedule (the starting one at worst); a work limit keeps the run deterministic."""

from __future__ import annotations

import logging
import time

import pytest

from optimizer.generate import generate
from optimizer.scenario import Scenario
from optimizer.search.driver import solve
from optimizer.search.progress import Stage, progress_log


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """6 rooms, 5 days, ~140 cases, disrupted: every level after the first is searched."""
    return generate(rooms=6, days=5, cases_per_day=25, seed=3).disrupted


def test_a_limit_spent_before_the_search_gives_the_starting_schedule(scenario: Scenario) -> None:
    """When loading took the whole limit, no level is searched, the schedule is valid and
    ``wall_time_s`` counts the loading too."""
    began = time.monotonic()
    result = solve(scenario, time_limit=1.0, workers=1, seed=0, started=began - 5.0)
    assert result.violations == ()
    assert not any(lv.searched for lv in result.levels)
    assert result.wall_time_s >= 5.0
    assert result.summary["solver"]["status"] != "OPTIMAL" or all(
        lv.status == "OPTIMAL" for lv in result.levels
    )


def test_a_short_limit_bounds_the_whole_run(scenario: Scenario) -> None:
    """A 3-s limit: the run, reasons and check included, ends near the limit (a margin for
    a shared machine) with a valid schedule."""
    began = time.monotonic()
    result = solve(scenario, time_limit=3.0, workers=1, seed=0)
    took = time.monotonic() - began
    assert result.violations == ()
    assert took <= 3.0 * 1.1 + 1.5
    assert result.wall_time_s <= took + 0.01


def test_the_construction_is_announced_stage_by_stage(scenario: Scenario) -> None:
    """The options, the first fit, the other starts, the model and the result are each
    announced before the levels' search and after it, in that order."""
    stages: list[str] = []

    class Listen(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stage = getattr(record, "stage", None)
            if isinstance(stage, Stage):
                stages.append(stage.name)

    handler = Listen()
    progress_log.addHandler(handler)
    progress_log.setLevel(logging.DEBUG)
    try:
        solve(scenario, work_limit=0.5, workers=1, seed=0)
    finally:
        progress_log.removeHandler(handler)
        progress_log.setLevel(logging.NOTSET)
    assert stages == ["options", "first_fit", "starts", "model", "result"]


def test_a_work_limit_ignores_the_clock_and_stays_deterministic(scenario: Scenario) -> None:
    """With a work limit, even a run that began long ago searches every level it would and
    gives the same schedule as a fresh one."""
    fresh = solve(scenario, work_limit=1.0, workers=1, seed=0)
    late = solve(scenario, work_limit=1.0, workers=1, seed=0, started=time.monotonic() - 1e4)
    assert late.rows == fresh.rows
    assert [lv.searched for lv in late.levels] == [lv.searched for lv in fresh.levels]
    assert any(lv.searched for lv in late.levels)
    assert late.wall_time_s >= 1e4
