"""The objective levels (optimizer.model.objective): each level's Python score of a
solution equals CP-SAT's value of the level's expression, and both equal the values
worked out by hand on the tiny hospital of ``conftest``; ``need`` counts exactly.

The model is built and solved here directly, level after level, with this file's own
reading of the decision variables: nothing of the search is used.
"""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.model.build import Built, build_model
from optimizer.model.objective import SCALE, need
from optimizer.model.variables import Variables
from optimizer.scenario import Scenario
from optimizer.search.construct import first_fit

# By hand (see the tiny hospital's docstring), in the model's integer units: level 3 is
# minus the count kept, level 4 the weighted delay x SCALE.
OPTIMUM = [0, 0, -1, 3 * SCALE, 0, 0]
FIRST_FIT = [0, 0, -1, 10 * SCALE, 0, 0]  # A, weight 10, postponed a day instead of B


def solver() -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_time_in_seconds = 10
    return s


def read_solution(s: cp_model.CpSolver, v: Variables, n: int) -> Solution:
    """Where CP-SAT put each case, read from the decision variables."""
    out: Solution = [None] * n
    for i in range(n):
        for d in v.days_of.get(i, []):
            if s.boolean_value(v.day[i, d]):
                [room] = [r for r in v.rooms_of[i, d] if s.boolean_value(v.room[i, d, r])]
                out[i] = Placement(day=d, room=room, start=s.value(v.start[i, d]))
        for t, lit in v.transfers.get(i, []):
            if s.boolean_value(lit):
                out[i] = Placement(day=t.day, partner=t.partner)
    return out


def force(built: Built, solution: Solution) -> None:
    """Constrain the decision variables to ``solution``; auxiliaries stay free."""
    model, v = built.model, built.variables
    for i, days in v.days_of.items():
        p = solution[i]
        for d in days:
            on = p is not None and p.here and p.day == d
            model.add(v.day[i, d] == int(on))
            if on:
                assert p is not None and p.start is not None
                model.add(v.start[i, d] == p.start)
                for r in v.rooms_of[i, d]:
                    model.add(v.room[i, d, r] == int(p.room == r))
    for i, options in v.transfers.items():
        p = solution[i]
        for t, lit in options:
            model.add(lit == int(p is not None and p.partner == t.partner))
    for i, u in v.unscheduled.items():
        model.add(u == int(solution[i] is None))


def lexicographic(built: Built) -> tuple[cp_model.CpSolver, list[int]]:
    """Each level minimised in turn, its optimum then held: the values CP-SAT reaches."""
    s, values = solver(), []
    for level in built.levels:
        built.model.minimize(level.expr)
        assert s.solve(built.model) == cp_model.OPTIMAL
        best = round(s.objective_value)
        values.append(best)
        built.model.add(level.expr <= best)
    return s, values


def test_levels_of_the_tiny_hospital(tiny_hospital: Scenario) -> None:
    """Six levels, in the order of importance, with their user units and lower bounds:
    level 3's bound is minus the planned cases that have a place on their date (2)."""
    built = build_model(build_candidates(tiny_hospital))
    assert [lv.name for lv in built.levels] == [
        "deadline misses (most urgent first)",
        "shortfall below target",
        "planned cases kept",
        "weighted delay",
        "patients moved (room or start)",
        "minutes shifted",
    ]
    assert [lv.lower_bound for lv in built.levels] == [0, 0, -2, 0, 0, 0]
    assert [lv.unit for lv in built.levels] == [1.0, 1.0, -1.0, 1 / SCALE, 1.0, 1.0]
    assert [lv.per_day for lv in built.levels] == [False] * 4 + [True, True]
    assert [lv.dates_only for lv in built.levels] == [True] * 4 + [False, False]


def test_python_value_equals_cp_sat_value_on_the_solved_model(tiny_hospital: Scenario) -> None:
    """Solved level by level: CP-SAT reaches the hand-worked optimum, and each level's
    Python score of the solution read back equals CP-SAT's value of its expression."""
    cand = build_candidates(tiny_hospital)
    built = build_model(cand)
    s, values = lexicographic(built)
    assert values == OPTIMUM
    solution = read_solution(s, built.variables, len(cand.cases))
    assert solution == [
        Placement(day=0, room=0, start=480),
        Placement(day=1, room=0, start=480),
        Placement(day=0, room=0, start=540),
    ]
    assert [round(s.value(lv.expr)) for lv in built.levels] == OPTIMUM
    assert [lv.value(solution) for lv in built.levels] == OPTIMUM


def test_python_value_equals_cp_sat_value_on_given_solutions(tiny_hospital: Scenario) -> None:
    """On solutions that are not optimal (the first fit, a transfer and a case left out),
    the model, held to the solution, values each level as Python scores it."""
    cand = build_candidates(tiny_hospital)
    transfer_and_miss = [Placement(day=0, room=0, start=540), Placement(day=1, partner=0), None]
    # A moved from 08:00 to 09:00 on its date (60 minutes); B's transfer costs 281 x SCALE;
    # E unscheduled: its deadline missed, delay = weight 1000 x (2 days - day 0).
    by_hand = [1, 0, -1, 281 * SCALE + 1000 * SCALE * 2, 1, 60]
    for solution, expected in ((first_fit(cand), FIRST_FIT), (transfer_and_miss, by_hand)):
        python = [lv.value(solution) for lv in build_model(cand).levels]
        assert python == expected
        cp_sat = []
        for k in range(len(expected)):
            built = build_model(cand)
            force(built, solution)
            level = built.levels[k]
            built.model.minimize(level.expr)  # the auxiliaries take their tightest value
            s = solver()
            assert s.solve(built.model) == cp_model.OPTIMAL
            cp_sat.append(round(s.objective_value))
        assert cp_sat == expected


def test_weighted_level_three(tiny_hospital: Scenario) -> None:
    """With ``level3 = "weighted"`` level 3 counts each kept case by its class weight:
    A (P2, weight 10) kept is -10 x SCALE; its bound is A and B both kept, -(10 + 3)."""
    policy = tiny_hospital.policy.model_copy(update={"level3": "weighted"})
    cand = build_candidates(tiny_hospital.model_copy(update={"policy": policy}))
    built = build_model(cand)
    level = built.levels[2]
    assert level.name == "planned cases kept (urgency-weighted)"
    assert level.unit == -1 / SCALE
    assert level.lower_bound == -13 * SCALE
    s, values = lexicographic(built)
    assert values[2] == -10 * SCALE
    assert level.value(read_solution(s, built.variables, len(cand.cases))) == -10 * SCALE


@pytest.mark.parametrize(
    ("planned", "target", "needed"),
    [
        (2, 0.5, 1),
        (3, 0.5, 2),  # ceil(1.5)
        (3, 0.9, 3),  # ceil(2.7)
        (10, 0.9, 9),  # exactly 9: no float error pushes it to 10
        (100, 0.07, 7),  # 0.07 * 100 is 7.000000000000001 in floating point
        (5, 1.0, 5),
        (5, 0.0, 0),
        (0, 0.9, 0),
    ],
)
def test_need_is_the_exact_ceiling(planned: int, target: float, needed: int) -> None:
    """``need`` is the fewest kept cases whose ratio reaches the target, computed on the
    decimal the planner wrote, never above the planned count."""
    assert need(planned, target) == needed


@pytest.mark.parametrize(("planned", "target"), [(-1, 0.9), (10, 2.0), (10, 90), (10, -0.1)])
def test_need_refuses_what_is_no_count_or_no_ratio(planned: int, target: float) -> None:
    """``need(10, 90)`` answered 10 (a target of 90 read as a ratio), ``need(-1, 0.9)`` -1."""
    with pytest.raises(ValueError, match="ratio from 0 to 1"):
        need(planned, target)
