"""A time limit holds at scale: a mid-size hospital given almost no time still ends near its
limit, with a valid schedule, each case's reason given in full or in the short form."""

from __future__ import annotations

import time

import pytest

from optimizer.generate import generate
from optimizer.scenario import Scenario
from optimizer.search.driver import solve


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """20 rooms, 10 days, 70 cases a day (~1,400 cases), disrupted: its options, starting
    schedules and reasons take seconds, more than the limit below."""
    return generate(rooms=20, days=10, cases_per_day=70, seed=2).disrupted


def test_a_tiny_limit_on_a_mid_size_hospital_is_kept(scenario: Scenario) -> None:
    """A 2-s limit: the whole run ends within the limit plus a margin for a loaded machine
    (a run that explains every case in full, or builds every start, takes longer here);
    the schedule passes the checker, every case has its row, and the summary's count of
    short reasons is the number of reasons that say the budget was used up."""
    began = time.monotonic()
    result = solve(scenario, time_limit=2.0, workers=1, seed=0, started=began)
    took = time.monotonic() - began
    assert result.violations == ()
    assert len(result.rows) == len(scenario.cases)
    assert took <= 2.0 * 1.1 + 8.0, took
    short = sum("budget for reasons was used up" in r.reason for r in result.rows)
    counted = result.summary["run"].get("reasons_short", {"cases": 0})["cases"]
    assert counted == short
