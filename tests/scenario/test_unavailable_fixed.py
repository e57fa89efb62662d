"""A range of ``unavailable.csv`` over the date the planner fixed a case on (``fixed_date``:
"the case must be operated exactly there") is bad input, as one over a pinned case's planned
date is: the solve used to stop with an internal error ("rule availability") instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario
from optimizer.scenario.invariants import unavailable_flaws
from optimizer.scenario.problem_words import message
from tests.scenario.test_unavailable import folder, problems

CASES = (
    "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,fixed_date\n"
    "A,gen,S1,60,P2,2024-04-16,2024-04-17\n"
    "B,gen,S2,60,P2,2024-04-16,\n"
)


def test_a_range_over_a_fixed_date_is_named_by_file_row_and_column(tmp_path: Path) -> None:
    """A is fixed on 17/04 and unavailable 17/04: row 2, column from; B's range is fine."""
    src = folder(tmp_path, "case_id,from,to\nA,2024-04-17,2024-04-17\nB,2024-04-17,2024-04-17\n",
                 CASES)  # fmt: skip
    assert problems(src) == [("unavailable.csv", 2, "from")]
    with pytest.raises(ScenarioError) as exc:
        load_scenario(src)
    [problem] = exc.value.problems
    assert "fixed on 2024-04-17" in problem.message
    assert message(problem.message, "fr") != problem.message  # said in French too


def test_the_data_model_refuses_it_too(tmp_path: Path) -> None:
    """The same scenario built without the range, then given it in code: the invariant names
    the case (the data model owns the rule, whatever built the scenario)."""
    src = folder(tmp_path, "case_id,from,to\nA,2024-04-18,2024-04-18\n", CASES)
    scenario = load_scenario(src)
    [u] = scenario.unavailable
    moved = u.model_copy(update={"from_date": u.from_date.replace(day=17)})
    flaws = unavailable_flaws(scenario.cases, [moved])
    assert [(f.column, "fixed on 2024-04-17" in f.message) for f in flaws] == [("from", True)]
