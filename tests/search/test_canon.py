"""Each date's rooms and starts decided by the cases on it (search/canon.py): two schedules
with the same cases on each date, arranged differently, come out the same, no level worse."""

from __future__ import annotations

from ortools.sat.python import cp_model

from optimizer.facts.candidates import build_candidates
from optimizer.facts.levels import LevelKind
from optimizer.facts.solution import Solution
from optimizer.generate import generate
from optimizer.model.build import add_hint, build_model, read_solution
from optimizer.result.result import make_result
from optimizer.scenario.params import SolverParams
from optimizer.search.canon import canonical
from optimizer.search.construct import first_fit
from optimizer.search.runner import Runner
from optimizer.search.stop import StopFlag


def test_the_same_cases_on_a_date_get_the_same_schedule() -> None:
    scenario = generate(rooms=5, days=4, cases_per_day=20, seed=3).disrupted
    cand = build_candidates(scenario)
    built = build_model(cand)
    runner = Runner(built, cand, seed=0, workers=1, stop=StopFlag())
    start = first_fit(cand, keep_in_place=True)
    # The same dates, every case as late as it goes: another arrangement of each date.
    v, model = built.variables, built.model
    for (i, d), y in v.day.items():
        p = start[i]
        model.add(y == int(p is not None and p.here and p.day == d))
    for i, options in v.transfers.items():
        for t, lit in options:
            p = start[i]
            model.add(lit == int(p is not None and p.partner == t.partner and p.day == t.day))
    model.maximize(sum(v.start.values()))
    add_hint(built, cand, start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 2.0
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    late = read_solution(solver, cand, v)
    assert late != start
    levels = build_model(cand).levels  # the levels as they are, without the fixing above
    moved = next(k for k, lv in enumerate(levels) if lv.kind is LevelKind.MOVED)
    runner = Runner(build_model(cand), cand, seed=0, workers=1, stop=StopFlag())

    params = SolverParams(canon_work=1.0)

    def canon(schedule: Solution) -> Solution:
        return canonical(runner, schedule, moved, params, None, None)[0]

    a, b = canon(start), canon(late)
    assert a == b
    for schedule in (start, late):
        before = [lv.value(schedule) for lv in levels]
        after = [lv.value(a) for lv in levels]
        assert after[:moved] == before[:moved] and after[moved:] <= before[moved:]
    result = make_result(scenario, cand, a, [], wall_time=0.0, interrupted=False, settings={})
    assert result.violations == ()
