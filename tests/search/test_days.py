"""The levels of planned cases kept, proven date by date (search/days.py): each date's
relaxation bounds what any valid schedule keeps there, and a level it proves is proven."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.model.build import add_hint, build_model
from optimizer.scenario import Scenario
from optimizer.search.construct import first_fit, keep_first
from optimizer.search.days import planned_on, search_days
from optimizer.search.driver import solve
from optimizer.search.level import METHOD
from optimizer.search.outcome import Budget
from optimizer.search.runner import Runner
from optimizer.search.stop import StopFlag


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """6 rooms, 5 days, ~140 cases, disrupted (rooms closed: dates lose planned cases)."""
    return generate(rooms=6, days=5, cases_per_day=25, seed=3).disrupted


def _kept_on(sol: Solution, cases: list[int], d: int) -> int:
    return sum(1 for i in cases if (p := sol[i]) is not None and p.here and p.day == d)


def test_no_valid_schedule_keeps_more_than_a_dates_bound(scenario: Scenario) -> None:
    """The bound of each date holds for every valid schedule: the constructive ones, and
    the whole model's own optimum of the kept level (solved to the proof)."""
    cand = build_candidates(scenario)
    built = build_model(cand)
    kept = next(lv for lv in built.levels if lv.kind.kept)
    runner = Runner(built, cand, 0, 1, StopFlag())
    start = first_fit(cand)
    out = search_days(runner, kept, start, Budget(None, 5.0, None))
    most = built.dates.most[False]
    assert most, "the disruption leaves some date short: it was solved"
    planned = planned_on(built, cand)
    for sol in (start, keep_first(cand), out.found or start):
        for d, m in most.items():
            assert _kept_on(sol, planned[d], d) <= m

    # the whole model, without the dates' cuts, proves the same optimum or a lower one
    whole = build_model(cand)
    lv = next(lv for lv in whole.levels if lv.kind.kept)
    whole.model.minimize(lv.expr)
    add_hint(whole, cand, out.found or start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30
    assert solver.solve(whole.model) == cp_model.OPTIMAL
    assert out.bound is not None and solver.objective_value >= out.bound


def test_a_level_proven_by_the_dates_is_proven_and_valid(scenario: Scenario) -> None:
    """Shortfall and kept, said proven by the dates' relaxations, are OPTIMAL with their
    bound equal to their value; the schedule passes the checker and is deterministic."""
    one = solve(scenario, work_limit=2, workers=1, seed=0)
    two = solve(scenario, work_limit=2, workers=1, seed=0)
    assert one.violations == ()
    assert one.rows == two.rows
    proved = one.settings["proved_by"]
    assert METHOD in proved.values()
    for lv in one.levels:
        if proved.get(lv.name) == METHOD:
            assert lv.status == "OPTIMAL" and lv.best_bound == lv.value
            assert lv.kind is not None and (lv.kind.kept or lv.kind.name == "SHORTFALL")
