"""What a level may spend (search/budget.py): in steps under a clock, each later level keeps
a share of the run's time limit when one level runs past its own share."""

from __future__ import annotations

import time

import pytest

from optimizer.generate import generate
from optimizer.scenario.params import SolverParams
from optimizer.search.budget import Plan
from optimizer.search.driver import _Run
from optimizer.search.options import SolveOptions
from optimizer.search.stop import StopFlag

# (the disruption levels' own share apart: the last test)
PARAMS = SolverParams(level_reserve_s=0.4, level_reserve_share=0.05, disruption_share=0.0)


@pytest.fixture(scope="module")
def timed() -> _Run:
    """A small hospital's run under a 60-s clock, searched whole in steps."""
    scenario = generate(rooms=4, days=3, cases_per_day=12, seed=3).disrupted
    options = SolveOptions.checked(workers=1, time_limit=60, seed=0, params=PARAMS)
    return _Run.start(scenario, options, None, StopFlag(), time.monotonic())


def test_a_level_in_steps_leaves_each_later_one_a_share_of_the_limit(timed: _Run) -> None:
    """Three levels after it, 50 s left of a 60-s run: 3 s each (5 % of 60), not 0.4."""
    plan = timed.plan
    assert plan.steps and plan.limit == 60
    levels = plan.levels
    k = len(levels) - 4
    assert plan.budget(k, 50.0, None).seconds == pytest.approx(50 - 3 * 3.0)
    # level_reserve_s when more: a 6-s run; not in steps, or under a work limit: as before
    short = Plan(levels, PARAMS, steps=True, limit=6.0)
    assert short.budget(k, 5.0, None).seconds == pytest.approx(5 - 3 * 0.4)
    for plan in (Plan(levels, PARAMS, limit=60.0), Plan(levels, PARAMS, steps=True)):
        assert plan.budget(k, 50.0, None).seconds == pytest.approx(50 - 3 * 0.4)


def test_a_work_limited_run_has_no_limit_to_share(timed: _Run) -> None:
    scenario = timed.cand.scenario
    options = SolveOptions.checked(workers=1, work_limit=1, seed=0, params=PARAMS)
    run = _Run.start(scenario, options, None, StopFlag(), time.monotonic())
    assert run.plan.limit is None


def test_a_level_by_rounds_keeps_no_reserve_the_levels_after_could_not_begin_with(
    timed: _Run,
) -> None:
    """After a run's levels searched by rounds, another level begins only with
    ``window_seconds`` left (``Plan.too_short``): a reserve under that (3 levels at 0.4 s)
    went unused, and a 3,325-case hospital's 10-s run ended at 0.85 of its limit. The last
    level by rounds gets all that is left; a reserve that lets one begin is kept."""
    levels = timed.plan.levels
    n = len(levels)
    rounds = frozenset(range(n - 3))  # three levels after the rounds
    plan = Plan(levels, PARAMS, rounds, limit=10.0)
    assert plan.budget(n - 4, 2.0, None).seconds == pytest.approx(2.0)
    assert plan.too_short(n - 3, 1.2)
    wide = Plan(levels, PARAMS.model_copy(update={"level_reserve_s": 1.0}), rounds, limit=10.0)
    assert wide.budget(n - 4, 5.0, None).seconds == pytest.approx(5.0 - 3 * 1.0)


def test_the_levels_before_the_disruption_levels_leave_them_their_share_of_the_limit(
    timed: _Run,
) -> None:
    """In steps under a clock the weighted delay and the waiting time took all the time a
    602-case hospital had at 10, 30 and 60 s: the disruption levels were never searched and
    up to 174 patients were moved. Now the levels before them count on the time left less
    ``disruption_share`` of the limit; the disruption levels count on all of it."""
    levels = timed.plan.levels
    first = next(j for j, lv in enumerate(levels) if lv.per_day)
    assert first >= 2
    params = PARAMS.model_copy(update={"disruption_share": 0.1})
    plan = Plan(levels, params, steps=True, limit=60.0)
    assert plan.left(first - 1, 20.0) == pytest.approx(14.0)
    assert plan.left(first, 20.0) == pytest.approx(20.0)
    # the level just before them shares the 14 s with none: the reserves are the tail's
    assert plan.budget(first - 1, 20.0, None).seconds == pytest.approx(14.0)
    # two levels before: the later one keeps its reserve (5 % of 60 s) within the 14 s
    assert plan.budget(first - 2, 20.0, None).seconds == pytest.approx(14.0 - 3.0)
    # the disruption levels as before
    assert plan.budget(first, 20.0, None).seconds == pytest.approx(20.0 - 3.0)
    # not in steps, under a work limit, or off: as before
    for other in (
        Plan(levels, params, limit=60.0),
        Plan(levels, params, steps=True),
        Plan(levels, PARAMS.model_copy(update={"disruption_share": 0.0}), steps=True, limit=60.0),
    ):
        assert other.left(first - 1, 20.0) == pytest.approx(20.0)
