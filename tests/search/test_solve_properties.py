"""Property tests: on random scenarios every schedule passes the independent checker."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

from optimizer import SolverParams, solve
from optimizer.check import check_schedule, evaluate
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.solution import Solution
from optimizer.model.build import Built, add_hint, build_model
from optimizer.result.result import make_result
from optimizer.search.construct import first_fit
from tests.support.level_bounds import bound_problem
from tests.support.strategies import scenarios


def check_level_consistency(built: Built, cand: Candidates, solution: Solution) -> list[str]:
    """Each level's Python value against CP-SAT's, on one solution (the hint, fixed)."""
    solver = cp_model.CpSolver()
    add_hint(built, cand, solution)
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    out = []
    for level in built.levels:
        built.model.minimize(level.expr)
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [f"solution rejected by the model ({solver.status_name(status)})"]
        if round(solver.objective_value) != level.value(solution):
            out.append(f"{level.name}: model {solver.objective_value} vs {level.value(solution)}")
    return out


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(scenarios())
def test_every_solved_schedule_passes_the_checker(scenario):
    """Whatever the scenario, the returned schedule obeys every rule and the summary is right."""
    result = solve(scenario, time_limit=5, workers=1)
    assert len(result.rows) == len(scenario.cases)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    # each level's bound on its own side: a floor for costs, a ceiling for cases kept
    assert [bound_problem(lv) for lv in result.levels] == [None] * len(result.levels)


@SETTINGS
@given(scenarios())
def test_constructive_schedule_passes_the_checker(scenario):
    """The first-fit fallback obeys every rule too (it is written if CP-SAT finds nothing)."""
    cand = build_candidates(scenario)
    result = make_result(
        scenario, cand, first_fit(cand), [], wall_time=0.0, interrupted=False, settings={}
    )
    assert check_schedule(scenario, result.schedule, result.summary) == []


@SETTINGS
@given(scenarios())
def test_objective_levels_agree_with_the_independent_evaluation(scenario):
    """The model's level expressions, their Python scoring and the checker's evaluation agree."""
    cand = build_candidates(scenario)
    solution = first_fit(cand)
    built = build_model(cand)
    assert check_level_consistency(built, cand, solution) == []
    result = make_result(
        scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={}
    )
    ev = evaluate(scenario, result.schedule)
    values = {lv.name: lv.value(solution) for lv in built.levels}
    assert ev["shortfall"] == values["shortfall below target"]
    if scenario.policy.level3 == "weighted":
        kept = -values["planned cases kept (urgency-weighted)"]
        assert kept == round(ev["kept_weighted"] * 100)
    else:
        assert ev["kept"] == -values["planned cases kept"]
    assert round(ev["weighted_delay"] * 100) == values["weighted delay"]
    assert round(ev["waiting"] * 100) == values.get("waiting time (longest waits first)", 0)
    assert ev["deadline_misses"] == sum(r.deadline_missed for r in result.rows)
    assert ev["moved"] == values["patients moved (room or start)"]
    assert ev["shift_min"] == values["minutes shifted"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenarios())
def test_window_search_schedules_pass_the_checker(scenario):
    """The date-window search used on large instances returns valid schedules too."""
    windows_always = SolverParams(lns_min_options=0, window_days=1, whole_options_per_s=0)
    result = solve(scenario, time_limit=3, workers=1, params=windows_always)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
