"""Stable answers (benchmarks/stability.py): a closure moves nothing on dates it does not
touch, a short search calls about as many patients as a long one, two runs under a wall
clock agree, and an improvement moves only the cases it needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from benchmarks.stability import alone_costs, busiest_room_date, changed, closure_effect
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Placement, Solution
from optimizer.generate import generate
from optimizer.model.build import build_model
from optimizer.result.result import make_result
from optimizer.scenario import Scenario
from optimizer.scenario.edit import close_room
from optimizer.scenario.params import SolverParams
from optimizer.search.anchor import anchored
from optimizer.search.construct import first_fit
from optimizer.search.driver import solve
from optimizer.search.outcome import Budget
from optimizer.search.runner import Runner
from optimizer.search.stop import StopFlag


@pytest.fixture(scope="module", params=[3, 5])
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """6 rooms, 5 days, ~140 cases, disrupted (two seeds)."""
    return generate(rooms=6, days=5, cases_per_day=25, seed=request.param).disrupted


def test_closing_one_room_on_one_date_leaves_the_other_dates_alone(scenario: Scenario) -> None:
    """Closing the busiest open room-date changes no case whose old and new dates are both
    other dates, unless leaving them alone is proven worse on a level before the disruption
    levels; and never a case on a date whose cases are the same in both runs."""
    room, date = busiest_room_date(scenario)
    base = solve(scenario, work_limit=2, workers=1, seed=0)
    closed_scenario = close_room(scenario, room, dt.date.fromisoformat(date))
    closed = solve(closed_scenario, work_limit=2, workers=1, seed=0)
    effect = closure_effect(base, closed, room, date, work=1.0)
    assert changed(base, closed)  # the closure did change something
    assert effect.elsewhere == [] or effect.earlier_level_gains
    assert effect.same_dates == []


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
    # Leaving cases where the run itself has them costs no level: the run is one such schedule.
    ids = [c.case_id for c in scenario.cases]
    kept_apart = [c for c, p in zip(ids, result.solution or [], strict=True) if p is not None]
    assert alone_costs(result, result, kept_apart[::3], date, 1.0) is None


@pytest.fixture(scope="module")
def small() -> Scenario:
    """4 rooms, 4 days, ~60 cases, disrupted: small enough for several searches."""
    return generate(rooms=4, days=4, cases_per_day=15, seed=3).disrupted


def test_two_runs_under_a_wall_clock_agree(
    small: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers asked and the wall clock governing: each level is searched by one
    worker within a work cap (``steady_levels``), so two runs with time to spare return
    the same schedule whatever the machine's load. On a model this small two workers
    may agree too, so the test also checks the mechanism: every solve of the levels had
    one worker (and two without ``steady_levels``), as the summary says."""
    workers: list[int] = []
    made = Runner.solver

    def counted(self: Runner, *args: Any, **kwargs: Any) -> Any:
        solver = made(self, *args, **kwargs)
        workers.append(solver.parameters.num_workers)
        return solver

    monkeypatch.setattr(Runner, "solver", counted)
    params = SolverParams(level_work=0.1, anchor_work=0.1, window_work=0.1)
    first = solve(small, time_limit=900, workers=2, seed=0, params=params)
    assert workers and set(workers) == {1}
    second = solve(small, time_limit=900, workers=2, seed=0, params=params)
    assert first.summary["run"]["wall_clock"] == "applied"
    assert first.summary["run"]["level_workers"] == 1
    assert changed(first, second) == []
    workers.clear()
    free = solve(small, time_limit=900, workers=2, seed=0,
                 params=params.model_copy(update={"steady_levels": False}))  # fmt: skip
    assert 2 in workers and free.summary["run"]["level_workers"] == 2


def _cost(cand: Candidates, reference: Solution, sol: Solution) -> int:
    """search/anchor.py's distance, computed on plain schedules."""
    total = 0
    for i, (p, q) in enumerate(zip(reference, sol, strict=True)):
        if p is None or q is None or p.day != q.day or p.partner != q.partner:
            total += 2 + (p is not None and p.here)
            total += p is not None and p.here and _stays(cand, i, p)
            continue
        if p.here and p.room != q.room:
            total += 1
        if p.here and _stays(cand, i, p) and not _stays(cand, i, q):
            total += 1
    return total


def _stays(cand: Candidates, i: int, p: Placement) -> bool:
    c = cand.cases[i]
    return (
        p.here
        and p.day == cand.planned_day[i]
        and (cand.planned_room[i] is None or p.room == cand.planned_room[i])
        and (c.planned_start is None or p.start == c.planned_start)
    )


def test_an_improvement_moves_only_the_cases_it_needs(small: Scenario) -> None:
    """A level's better value, anchored to the schedule the level started from, is reached
    moving no more cases than the search's own schedule, and is valid."""
    cand = build_candidates(small)
    built = build_model(cand)
    runner = Runner(built, cand, seed=0, workers=1, stop=StopFlag())
    start = first_fit(cand, keep_in_place=True)
    level = next(lv for lv in built.levels if lv.kind is LevelKind.DELAY)
    for earlier in built.levels[: built.levels.index(level)]:
        built.model.add(earlier.expr <= earlier.value(start))
    built.model.minimize(level.expr)
    found = runner.whole(start, Budget(None, 0.5, None)).found
    assert found is not None and level.value(found) < level.value(start)
    closest, _work = anchored(runner, start, level, found, 0.5, None)
    assert closest is not None
    assert level.value(closest) <= level.value(found)
    assert _cost(cand, start, closest) <= _cost(cand, start, found)
    result = make_result(small, cand, closest, [], wall_time=0.0, interrupted=False, settings={})
    assert result.violations == ()
