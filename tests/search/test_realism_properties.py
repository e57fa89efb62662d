"""Property tests of the realism rules: on random scenarios with stays, bed rows past the
horizon, anaesthetists for several rooms and inductions, the first fit and the solver
write schedules that pass the independent checker."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.facts.candidates import build_candidates
from optimizer.result.result import make_result
from optimizer.search.construct import first_fit
from tests.support.strategies import realistic_scenarios

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(realistic_scenarios())
def test_first_fit_keeps_beds_and_anaesthetists(scenario):
    """The first fit never puts more stays on a bed date, nor more inductions or running
    cases on the anaesthetists, than the scenario allows."""
    cand = build_candidates(scenario)
    result = make_result(
        scenario, cand, first_fit(cand), [], wall_time=0.0, interrupted=False, settings={}
    )
    assert check_schedule(scenario, result.schedule, result.summary) == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_scenarios(max_cases=6))
def test_solved_schedules_keep_beds_and_anaesthetists(scenario):
    """The solver's schedule obeys the same rules, and every case appears once."""
    result = solve(scenario, time_limit=3, workers=1)
    assert len(result.rows) == len(scenario.cases)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_scenarios(max_cases=6))
def test_the_decomposition_keeps_beds_and_anaesthetists(scenario):
    """With the decomposition on, its master (beds exact, anaesthetists for several rooms
    as energy) stays a relaxation: the schedule passes the checker and a level it proves
    has its bound equal to its value."""
    from optimizer.scenario.params import SolverParams

    params = SolverParams(master_max_options=10**6)
    result = solve(scenario, work_limit=1, workers=1, seed=0, params=params)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    for lv in result.levels:
        if lv.name in result.settings.get("proved_by", ()):
            assert lv.status == "OPTIMAL" and lv.best_bound == lv.value
