"""The run's clock leaves the model's build its time: on a large run, building the model and
settling the best start came after the starting schedules and took the run 10 s past a 60-s
limit (a region); the starts now end ``Clock.model_s`` before the search's end."""

from __future__ import annotations

import time

import pytest

from optimizer.generate import generate
from optimizer.scenario import Scenario
from optimizer.scenario.params import SolverParams
from optimizer.search.start import Clock, make_start


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate(rooms=5, days=5, cases_per_day=15, seed=3).disrupted


def _starts(scenario: Scenario, params: SolverParams) -> int:
    clock = Clock.of(time.monotonic(), 20.0, len(scenario.cases), params)
    return len(make_start(scenario, params, clock, None, params.max_options, None).starts)


def test_the_starts_leave_the_model_its_time(scenario: Scenario) -> None:
    """With more kept for the model (70 % of the limit) than the search has (60 %: the
    result keeps 40 % of a 20-s limit, its most), only first fit is made; with the default
    reserve, the other starts too."""
    default = SolverParams()
    assert _starts(scenario, default) > 1
    reserved = default.model_copy(
        update={"model_s_per_case": 1.0, "model_share": 0.7, "finish_s_per_case": 1.0}
    )
    assert _starts(scenario, reserved) == 1


def test_the_reserve_follows_the_machine_and_the_cap() -> None:
    """Per case, or the options' time times model_factor on a slow machine, at most
    model_share of the limit; none without a clock (a work-limited run is unchanged)."""
    params = SolverParams()
    clock = Clock.of(0.0, 60.0, 50_000, params)
    assert clock.model_s == pytest.approx(params.model_s_per_case * 50_000)
    slow = clock.after_options(10.0, 50_000, params)
    assert slow.model_s == pytest.approx(params.model_factor * 10.0)
    assert clock.after_options(100.0, 50_000, params).model_s == pytest.approx(30.0)
    assert Clock.of(0.0, None, 50_000, params).start_left() is None
