"""Stable answers (benchmarks/stability.py): a closure moves nothing on dates it does not
touch, and a short search calls about as many patients as a long one."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.stability import busiest_room_date, changed, closure_effect
from optimizer.generate import generate
from optimizer.scenario import Scenario
from optimizer.scenario.edit import close_room
from optimizer.search.driver import solve


@pytest.fixture(scope="module", params=[3, 5])
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """6 rooms, 5 days, ~140 cases, disrupted (two seeds)."""
    return generate(rooms=6, days=5, cases_per_day=25, seed=request.param).disrupted


def test_closing_one_room_on_one_date_leaves_the_other_dates_alone(scenario: Scenario) -> None:
    """Closing the busiest open room-date changes no case whose old and new dates are both
    other dates, unless the closed run gains on a level before the disruption levels."""
    room, date = busiest_room_date(scenario)
    base = solve(scenario, work_limit=2, workers=1, seed=0)
    closed_scenario = close_room(scenario, room, dt.date.fromisoformat(date))
    closed = solve(closed_scenario, work_limit=2, workers=1, seed=0)
    effect = closure_effect(base, closed, room, date)
    assert changed(base, closed)  # the closure did change something
    assert effect.elsewhere == [] or effect.earlier_level_gains


def test_a_short_search_calls_about_as_many_patients(scenario: Scenario) -> None:
    """A tenth of the work gives a call list within 10 % of the longer search's."""
    short = solve(scenario, work_limit=0.3, workers=1, seed=0)
    long = solve(scenario, work_limit=3, workers=1, seed=0)
    assert abs(len(short.calls) - len(long.calls)) <= 0.1 * len(long.calls)


def test_the_same_result_twice_changes_nothing(scenario: Scenario) -> None:
    """The measure itself: a result compared with itself has no change anywhere."""
    result = solve(scenario, work_limit=0.3, workers=1, seed=0)
    room, date = busiest_room_date(scenario)
    assert changed(result, result) == []
    assert closure_effect(result, result, room, date).elsewhere == []
