"""A large run's levels of the start's windows searched by those windows on the model's options
(search/level_rounds.py), with the budget of search/budget.py: valid, never worse on an earlier
level, the same schedule twice with one worker and a work limit; the weighted delay gets the
larger part of the time, and a level of the whole model's windows is not begun without a
window's time."""

from __future__ import annotations

import time

import pytest

import optimizer
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.scenario.params import SolverParams
from optimizer.scenario.schema import Scenario
from optimizer.search.budget import ROUNDS_WEIGHT, Plan
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.driver import _Run
from optimizer.search.level_rounds import search_in_rounds, whole_after
from optimizer.search.neighbourhoods import scoring_levels
from optimizer.search.options import SolveOptions
from optimizer.search.outcome import Budget, Outcome
from optimizer.search.runner import searched_whole
from optimizer.search.stop import StopFlag
from tests.support.stays import hospital_with_stays, violations

# The start's windows run (options above max_options) and the model is searched window by
# window (above lns_min_options): the levels of the start's windows go by rounds.
LARGE = SolverParams(lns_min_options=0, max_options=150)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return hospital_with_stays(ward_beds=1)


@pytest.fixture(scope="module")
def cand(scenario: Scenario) -> Candidates:
    return build_candidates(scenario)


def test_the_delay_by_rounds_is_lower_valid_and_the_same_twice(
    scenario: Scenario, cand: Candidates
) -> None:
    start = keep_first(cand)
    levels = scoring_levels(cand)
    k = [lv.kind for lv in levels].index(LevelKind.DELAY)
    outs = [
        search_in_rounds(
            cand,
            start,
            LevelKind.DELAY,
            SolverParams(),
            seed=0,
            workers=w,
            stop=StopFlag(),
            seconds=None,
            work=2.0,
        )  # fmt: skip
        for w in (1, 2)
    ]
    found = outs[0][0].found
    assert found is not None
    before = [lv.value(start) for lv in levels]
    after = [lv.value(found) for lv in levels]
    assert after[:k] <= before[:k] and after[: k + 1] < before[: k + 1]
    assert violations(scenario, cand, found) == []
    assert outs[1][0].found == found  # the rounds' windows on two threads: the same answers


def test_a_large_runs_levels_of_the_windows_go_by_rounds(scenario: Scenario) -> None:
    options = SolveOptions.checked(workers=1, work_limit=3, seed=0, params=LARGE)
    run = _Run.start(scenario, options, None, StopFlag(), time.monotonic())
    kinds = {run.built.levels[k].kind for k in run.plan.rounds}
    assert LevelKind.DELAY in kinds and LevelKind.SHORTFALL in kinds
    assert not any(run.built.levels[k].per_day for k in run.plan.rounds)
    runs = [optimizer.solve(scenario, workers=1, work_limit=3, seed=0, params=LARGE)
            for _ in range(2)]  # fmt: skip
    assert runs[0].violations == ()
    assert runs[0].schedule.equals(runs[1].schedule)


def test_the_delay_gets_the_larger_part_and_no_level_begins_without_a_windows_time(
    scenario: Scenario,
) -> None:
    options = SolveOptions.checked(workers=1, work_limit=3, seed=0, params=LARGE)
    run = _Run.start(scenario, options, None, StopFlag(), time.monotonic())
    levels = run.built.levels
    plan = Plan(levels, LARGE, run.plan.rounds)
    first = min(plan.rounds)
    delay = next(k for k in plan.rounds if levels[k].kind is LevelKind.DELAY)
    parts = {k: plan.budget(k, 60.0, None).seconds for k in plan.rounds}
    assert parts[delay] == max(parts.values())
    # the levels after the rounds keep their reserve only when it lets one begin
    reserve = LARGE.level_reserve_s * sum(
        1 for j in range(first, len(levels)) if j not in plan.rounds
    )
    kept = reserve if reserve >= LARGE.window_seconds else 0.0
    assert parts[first] == pytest.approx(
        (60.0 - kept) / sum(ROUNDS_WEIGHT.get(levels[j].kind, 1.0) for j in plan.rounds)
    )
    later = next(k for k in range(delay + 1, len(levels)) if k not in plan.rounds)
    assert plan.too_short(later, LARGE.window_seconds / 2)
    assert not plan.too_short(later, LARGE.window_seconds * 2)
    assert not plan.too_short(delay, 0.1)  # its windows' time is bounded
    assert not Plan(levels, LARGE).too_short(later, 0.1)  # no rounds: as before


def test_a_level_whose_rounds_ran_out_of_moves_gets_the_whole_model(scenario: Scenario) -> None:
    """What the level's rounds left of its budget goes to the run's model searched whole from
    their schedule: better on the level, no earlier level worse, valid, the same schedule
    twice (one worker, a work bound); nothing when less than a window's work is left or the
    model holds more than max_options options."""
    options = SolveOptions.checked(workers=1, work_limit=3, seed=0, params=LARGE)
    run = _Run.start(scenario, options, None, StopFlag(), time.monotonic())
    levels = run.built.levels
    k = next(k for k, lv in enumerate(levels) if lv.kind is LevelKind.DELAY)
    start = first_fit(run.cand, keep_in_place=True)  # a schedule the model holds
    for lv in levels[:k]:
        run.built.model.add(lv.expr <= lv.value(start))
    run.built.model.minimize(levels[k].expr)
    rounds = Outcome(None, "UNKNOWN", None, 0.5, 0.1)  # (rounds that found nothing)
    params = LARGE.model_copy(update={"max_options": len(run.built.variables.room)})
    outs = [whole_after(run.runner, start, k, rounds, Budget(None, 3.0, None), params)
            for _ in range(2)]  # fmt: skip
    found = outs[0].found
    assert found is not None and outs[1].found == found
    before = [lv.value(start) for lv in levels]
    after = [lv.value(found) for lv in levels]
    assert after[:k] <= before[:k] and after[k] < before[k]
    assert violations(scenario, run.cand, found) == []
    assert outs[0].work > rounds.work and outs[0].wall > rounds.wall  # the rounds' counted too
    short = Budget(None, rounds.work + LARGE.window_work / 2, None)
    assert whole_after(run.runner, start, k, rounds, short, params) is rounds
    smaller = params.model_copy(update={"max_options": len(run.built.variables.room) - 1})
    assert whole_after(run.runner, start, k, rounds, Budget(None, 3.0, None), smaller) is rounds


def test_a_run_whose_rounds_run_out_of_moves_goes_on_with_the_whole_model(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    """End to end: the start's windows run (one option fewer than the scenario has), the model
    holds every option it keeps, the small hospital's rounds run out of moves, and the whole
    model gets their levels' time: a valid schedule, the same bytes twice."""
    n = sum(len(o) for o in build_candidates(scenario).room_options)
    params = SolverParams(lns_min_options=0, max_options=n - 1)
    with caplog.at_level("INFO", logger="optimizer.solve"):
        runs = [optimizer.solve(scenario, workers=1, work_limit=6, seed=0, params=params)
                for _ in range(2)]  # fmt: skip
    assert "its rounds ran out of moves, the model searched whole" in caplog.text
    assert runs[0].violations == ()
    assert runs[0].schedule.equals(runs[1].schedule)


def test_a_longer_time_limit_searches_a_larger_model_whole(scenario: Scenario) -> None:
    """Under a wall clock a model of up to whole_options_per_s options a second of the limit
    (at most max_options) is searched whole; a work-limited run keeps lns_min_options."""
    params = SolverParams(lns_min_options=100, max_options=30_000, whole_options_per_s=1_000)
    assert params.for_time_limit(None, 30_000) is params  # a work limit: as given
    assert params.for_time_limit(0.05, 30_000) is params  # 50 options: below lns_min_options
    assert params.for_time_limit(10, 30_000).lns_min_options == 10_000
    assert params.for_time_limit(60, 30_000).lns_min_options == 30_000  # at most max_options
    assert params.for_time_limit(60, 500).lns_min_options == 500
    off = params.model_copy(update={"whole_options_per_s": 0})
    assert off.for_time_limit(60, 30_000).lns_min_options == 100
    small = SolverParams(lns_min_options=0, whole_options_per_s=1_000)
    timed = SolveOptions.checked(workers=1, time_limit=30, seed=0, params=small)
    run = _Run.start(scenario, timed, None, StopFlag(), time.monotonic())
    assert searched_whole(run.built, run.params)
    worked = SolveOptions.checked(workers=1, work_limit=3, seed=0, params=small)
    run = _Run.start(scenario, worked, None, StopFlag(), time.monotonic())
    assert not searched_whole(run.built, run.params)
