"""The decomposition (opt-in, ``master_max_options``): a master of room-dates, each date
sequenced apart; its schedules are valid and a level it proves is proven."""

from __future__ import annotations

import pytest

from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.model.build import build_model
from optimizer.model.master import build_master
from optimizer.result.result import make_result
from optimizer.scenario import Scenario
from optimizer.scenario.params import SolverParams
from optimizer.search.benders import sequence
from optimizer.search.construct import first_fit
from optimizer.search.driver import solve


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """6 rooms, 5 days, ~140 cases, disrupted."""
    return generate(rooms=6, days=5, cases_per_day=25, seed=3).disrupted


def test_a_valid_schedule_sequences_back_on_its_dates(scenario: Scenario) -> None:
    """The dates of a valid schedule can all be sequenced again: no room-date fails, and
    every case keeps its date."""
    cand = build_candidates(scenario)
    packed = first_fit(cand)
    again, failed = sequence(cand, packed)
    assert failed == []
    assert [p.day if p else None for p in again] == [p.day if p else None for p in packed]
    result = make_result(scenario, cand, again, [], wall_time=0.0, interrupted=False, settings={})
    assert result.violations == ()


def test_the_master_is_a_relaxation(scenario: Scenario) -> None:
    """The master has the whole model's levels and fewer constraints: every level of a
    valid schedule scores the same in both."""
    cand = build_candidates(scenario)
    whole, master = build_model(cand), build_master(cand)
    packed = first_fit(cand)
    assert [lv.name for lv in master.levels] == [lv.name for lv in whole.levels]
    assert [lv.value(packed) for lv in master.levels] == [lv.value(packed) for lv in whole.levels]
    assert len(master.model.proto.constraints) < len(whole.model.proto.constraints)


def test_a_solve_by_decomposition_is_valid_and_honest(scenario: Scenario) -> None:
    """With the decomposition on, the schedule passes the checker, is deterministic, and
    a level said proven by it is OPTIMAL with its bound equal to its value."""
    params = SolverParams(master_max_options=10**6)
    one = solve(scenario, work_limit=2, workers=1, seed=0, params=params)
    two = solve(scenario, work_limit=2, workers=1, seed=0, params=params)
    assert one.violations == ()
    assert one.rows == two.rows
    proved = one.settings["proved_by"]
    for lv in one.levels:
        if lv.name in proved:
            assert lv.status == "OPTIMAL" and lv.best_bound == lv.value
