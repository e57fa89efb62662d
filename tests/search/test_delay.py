"""The weighted delay improved date by date (search/delay.py): each step a valid schedule,
the earlier levels as they were, the delay lower, and the same steps on every run."""

from __future__ import annotations

import time

import pytest

from optimizer.check import check_schedule
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.scenario.schema import Scenario
from optimizer.search.delay import improve_delay
from optimizer.search.driver import _Run
from optimizer.search.options import SolveOptions
from optimizer.search.outcome import Budget
from optimizer.search.stop import StopFlag


@pytest.fixture(scope="module")
def at_delay() -> tuple[_Run, int]:
    return _at_delay()


def _at_delay(scenario: Scenario | None = None) -> tuple[_Run, int]:
    """A run of ``scenario`` (default: 6 rooms x 5 days, ~140 cases, disrupted) with every
    level before the weighted delay searched and fixed, and the delay level's index."""
    if scenario is None:
        scenario = generate(rooms=6, days=5, cases_per_day=25, seed=1).disrupted
    options = SolveOptions.checked(work_limit=1, workers=1, seed=0)
    run = _Run.start(scenario, options, None, StopFlag(), time.monotonic())
    levels = run.built.levels
    k = next(j for j, lv in enumerate(levels) if lv.kind is LevelKind.DELAY)
    for j in range(k):
        run.solve_level(j, levels[j])
    return run, k


def _improved(run: _Run, k: int) -> Solution | None:
    level = run.built.levels[k]
    return improve_delay(run.runner, run.incumbent, level, k, Budget(None, 2.0, None), 0.05).found


def test_the_dates_lower_the_delay_and_keep_the_earlier_levels(at_delay: tuple[_Run, int]) -> None:
    """The schedule found misses, keeps and falls short exactly as the incumbent does, has a
    lower weighted delay, and passes the independent checker."""
    run, k = at_delay
    found = _improved(run, k)
    assert found is not None
    levels = run.built.levels
    assert [lv.value(found) for lv in levels[:k]] == [lv.value(run.incumbent) for lv in levels[:k]]
    assert levels[k].value(found) < levels[k].value(run.incumbent)
    scenario = run.cand.scenario
    result = make_result(
        scenario, run.cand, found, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert check_schedule(scenario, result.schedule) == []


def test_the_same_dates_give_the_same_schedule(at_delay: tuple[_Run, int]) -> None:
    """One worker and a work bound per date: two runs of the steps agree, case by case."""
    run, k = at_delay
    assert _improved(run, k) == _improved(run, k)


def test_a_solve_gives_the_delay_its_dates() -> None:
    """The driver's search of the level starts from the dates' schedule: the level ends at
    or below it (the whole model may only improve on it)."""
    run, k = _at_delay()  # a run of its own: solving the level changes its model
    found = _improved(run, k)
    assert found is not None
    level = run.built.levels[k]
    run.solve_level(k, level)
    assert level.value(run.incumbent) <= level.value(found)
