"""What each date alone proves for the decomposition's master (search/date_cuts.py): caps
and cuts that no valid schedule violates, so the master's bound of the weighted delay
never exceeds the optimum a whole model proves on a tiny instance."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

from optimizer.check import check_schedule
from optimizer.facts.candidates import Candidates, build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.model.build import Built, add_hint, build_model, read_solution
from optimizer.model.master import build_master
from optimizer.scenario import Scenario
from optimizer.scenario.params import SolverParams
from optimizer.search.benders import METHOD, decompose
from optimizer.search.construct import first_fit
from optimizer.search.date_cuts import add_caps, check_date, fill_date, on_dates
from optimizer.search.days import search_days
from optimizer.search.driver import solve
from optimizer.search.outcome import Budget
from optimizer.search.runner import Runner
from optimizer.search.stop import StopFlag
from tests.support.strategies import realistic_scenarios


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    """4 rooms, 4 days, ~60 cases, disrupted: small enough to prove the weighted delay."""
    return generate(rooms=4, days=4, cases_per_day=14, seed=5).disrupted


@pytest.fixture(scope="module")
def proven(scenario: Scenario) -> tuple[Candidates, Built, Runner, Solution, list[int]]:
    """Every level up to the weighted delay solved to the proof on the whole model, each
    fixed at its optimum (the dates' relaxations run on the kept level, as in a search);
    the optimal schedule and the levels' values."""
    cand = build_candidates(scenario)
    built = build_model(cand)
    runner = Runner(built, cand, 0, 1, StopFlag())
    sol = first_fit(cand)
    values: list[int] = []
    for level in built.levels:
        if level.kind.kept:
            search_days(runner, level, sol, Budget(None, 5.0, None))
        built.model.minimize(level.expr)
        add_hint(built, cand, sol)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 60
        assert solver.solve(built.model) == cp_model.OPTIMAL, level.name
        sol = read_solution(solver, cand, built.variables)
        values.append(level.value(sol))
        built.model.add(level.expr <= values[-1])
        if level.kind is LevelKind.DELAY:
            break
    return cand, built, runner, sol, values


def _master(cand: Candidates, built: Built, values: list[int]) -> tuple[Built, int]:
    """The master with every level before the weighted delay fixed at its optimum."""
    master = build_master(cand)
    k = next(n for n, lv in enumerate(built.levels) if lv.kind is LevelKind.DELAY)
    for n in range(k):
        master.model.add(master.levels[n].expr <= values[n])
    return master, k


def test_the_caps_keep_every_optimal_schedule(
    proven: tuple[Candidates, Built, Runner, Solution, list[int]],
) -> None:
    """The master with each date's caps still holds the whole model's optimal schedule
    (its every variable fixed to it, the master is feasible), and some cap was added."""
    cand, built, runner, best, values = proven
    master, k = _master(cand, built, values)
    before = len(master.model.proto.constraints)
    add_caps(runner, master, built.levels, values, None, 5.0)
    assert len(master.model.proto.constraints) > before
    add_hint(master, cand, best)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(master.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_the_decompositions_bound_never_exceeds_the_optimum(
    proven: tuple[Candidates, Built, Runner, Solution, list[int]],
) -> None:
    """Caps, rounds and cuts from first fit's schedule: the bound stays at or below the
    proven optimum, and a schedule found is better than first fit's
    from this level on, every earlier level as first fit has it."""
    cand, built, runner, best, values = proven
    master, k = _master(cand, built, values)
    start = first_fit(cand)
    out = decompose(runner, master, built.levels, k, start, Budget(None, 2.0, None), 4)
    assert out.bound is not None
    assert 0 < out.bound <= values[k]
    if out.found is not None:
        levels = built.levels
        assert [lv.value(out.found) for lv in levels[:k]] == [lv.value(start) for lv in levels[:k]]
        assert levels[k].value(out.found) < levels[k].value(start)


def test_a_core_is_proven_impossible_and_a_schedules_dates_are_possible(
    proven: tuple[Candidates, Built, Runner, Solution, list[int]],
) -> None:
    """Each date of a valid schedule checks as possible (CP-SAT sequences it); every case
    that could go on a date, all at once, cannot: the core named cannot either."""
    cand, _built, runner, best, _values = proven
    for d, cases in on_dates(best).items():
        check = check_date(runner, d, cases, None, 5.0)
        assert check.core is None and check.found is not None
        assert set(check.found) >= set(cases)

    def every(d: int) -> list[int]:
        return [i for i, opts in enumerate(cand.room_options) if any(o.day == d for o in opts)]

    d = max(range(len(cand.dates)), key=lambda d: len(every(d)))
    every_d = every(d)
    check = check_date(runner, d, every_d, None, 5.0)
    assert check.core is not None and 0 < len(check.core) < len(every_d)
    again = check_date(runner, d, check.core, None, 5.0)
    assert again.core is not None


def test_the_weighted_delay_by_decomposition_is_honest_and_reproducible(
    scenario: Scenario, proven: tuple[Candidates, Built, Runner, Solution, list[int]]
) -> None:
    """With ``delay_master_share`` on, one worker and a work limit: the same schedule twice,
    checker clean, and the weighted delay proven by the decomposition (its rounds of cuts
    reach the bound here) at the optimum the whole model proves."""
    _cand, built, _runner, _best, values = proven
    k = next(n for n, lv in enumerate(built.levels) if lv.kind is LevelKind.DELAY)
    params = SolverParams(delay_master_share=0.9)
    one = solve(scenario, work_limit=3, workers=1, seed=0, params=params)
    two = solve(scenario, work_limit=3, workers=1, seed=0, params=params)
    assert one.violations == ()
    assert one.rows == two.rows
    delay = one.levels[k]
    assert delay.kind is LevelKind.DELAY
    assert delay.best_bound is not None and delay.best_bound <= values[k] * built.levels[k].unit
    assert one.settings["proved_by"].get(delay.name) == METHOD
    assert delay.status == "OPTIMAL" and delay.best_bound == delay.value
    assert [lv.value for lv in one.levels[:k]] == [
        lv.value(_best) * lv.unit for lv in built.levels[:k]
    ]
    assert delay.value == values[k] * built.levels[k].unit


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(realistic_scenarios(max_cases=6))
def test_the_delay_by_decomposition_holds_with_beds_and_anaesthetists(
    scenario: Scenario,
) -> None:
    """On random scenarios with stays, beds and anaesthetists for several rooms (which a
    date's model sees only in part): the schedule passes the checker, and the bound the
    decomposition gives never exceeds the weighted delay the whole model proves, every
    earlier level the same (a level it proves is that optimum: measured, most of them)."""
    params = SolverParams(delay_master_share=0.9)
    result = solve(scenario, work_limit=1, workers=1, seed=0, params=params)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    whole = solve(scenario, work_limit=4, workers=1, seed=0)
    k = next(n for n, lv in enumerate(result.levels) if lv.kind is LevelKind.DELAY)
    mine, exact = result.levels[k], whole.levels[k]
    same_before = [lv.value for lv in result.levels[:k]] == [lv.value for lv in whole.levels[:k]]
    if same_before and exact.status == "OPTIMAL" and mine.best_bound is not None:
        assert mine.best_bound <= exact.value
        if result.settings["proved_by"].get(mine.name) == METHOD:
            assert mine.value == exact.value


def test_a_date_is_filled_with_what_fits_the_earlier_levels_cases_first(
    proven: tuple[Candidates, Built, Runner, Solution, list[int]],
) -> None:
    """A date of the optimal schedule is filled whole; given also every case that could come
    in from elsewhere (no deadline, not planned there), it keeps every case planned there or
    with a deadline, and says whole only when CP-SAT finds room for all."""
    cand, _built, runner, best, _values = proven
    dates = on_dates(best)

    def extra(d: int) -> list[int]:
        return [
            i
            for i, opts in enumerate(cand.room_options)
            if any(o.day == d for o in opts)
            and i not in dates[d]
            and cand.planned_day[i] != d
            and cand.deadline_day[i] is None
        ]

    d = max(dates, key=lambda d: len(extra(d)))
    assert extra(d)
    placed, whole = fill_date(runner, d, dates[d], best, None, 5.0)
    assert whole and set(placed) >= set(dates[d])
    cases = dates[d] + extra(d)
    placed, whole = fill_date(runner, d, cases, best, None, 5.0)
    must = [i for i in dates[d] if cand.planned_day[i] == d or cand.deadline_day[i] is not None]
    assert set(placed) >= set(must)
    assert all(p.day == d for p in placed.values())
    assert whole == all(i in placed for i in cases)
    if check_date(runner, d, cases, None, 5.0).core is not None:
        assert not whole
