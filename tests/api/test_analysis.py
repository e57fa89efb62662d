"""Tables for analysts (optimizer.result.analysis): KPIs per specialty and urgency, causes, backlog
and two results compared, against counts worked out by hand on the tiny hospital.

The tiny hospital (see ``conftest``) with E made an orthopaedic case; two hand-made
solutions, no solver involved:

- ``optimum``: A kept (D0 08:00), B postponed to D1 08:00 (1 day), E scheduled D0 09:00;
- ``worse``: A kept, B transferred to P1 on D1, E unscheduled (its deadline, D0, missed).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement, Solution
from optimizer.result.result import Result, make_result
from optimizer.scenario import Scenario


@pytest.fixture
def two_specialties(tiny_hospital: Scenario) -> Scenario:
    cases = list(tiny_hospital.cases)
    cases[2] = cases[2].model_copy(update={"specialty": "ortho"})
    return tiny_hospital.model_copy(update={"cases": tuple(cases)})


def result_of(scenario: Scenario, solution: Solution) -> Result:
    cand = build_candidates(scenario)
    return make_result(scenario, cand, solution, [], wall_time=0.0, interrupted=False, settings={})


@pytest.fixture
def optimum(two_specialties: Scenario) -> Result:
    solution = [
        Placement(day=0, room=0, start=480),
        Placement(day=1, room=0, start=480),
        Placement(day=0, room=0, start=540),
    ]
    return result_of(two_specialties, solution)


@pytest.fixture
def worse(two_specialties: Scenario) -> Result:
    return result_of(
        two_specialties, [Placement(day=0, room=0, start=480), Placement(day=1, partner=0), None]
    )


COLUMNS = ["cases", "planned", "kept", "postponed", "scheduled", "transferred", "unscheduled",
           "kept_ratio", "mean_delay_days", "deadline_misses"]  # fmt: skip
NAN = math.nan


def rows(df: pd.DataFrame) -> dict[object, list[float]]:
    assert list(df.columns) == COLUMNS
    return {k: [float(x) for x in v] for k, v in zip(df.index, df.to_numpy(), strict=True)}


def same(a: dict[object, list[float]], b: dict[object, list[float]]) -> bool:
    return a.keys() == b.keys() and all(
        all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a[k], b[k], strict=True))
        for k in a
    )


def test_kpis_by_urgency_most_urgent_first(optimum: Result) -> None:
    """EMERGENCY (waiting list: nothing planned, no ratio), then P2 kept, then P3 postponed
    one day; the groups in the policy's urgency order, not alphabetical."""
    k = optimum.kpis_by("urgency")
    assert list(k.index) == ["EMERGENCY", "P2", "P3"]
    assert same(
        rows(k),
        {
            "EMERGENCY": [1, 0, 0, 0, 1, 0, 0, NAN, NAN, 0],
            "P2": [1, 1, 1, 0, 0, 0, 0, 1.0, NAN, 0],
            "P3": [1, 1, 0, 1, 0, 0, 0, 0.0, 1.0, 0],
        },
    )


def test_kpis_by_specialty_and_urgency(worse: Result) -> None:
    """Two keys: one row per pair that has cases; the transfer and the miss counted."""
    k = worse.kpis_by(["specialty", "urgency"])
    assert same(
        rows(k),
        {
            ("general", "P2"): [1, 1, 1, 0, 0, 0, 0, 1.0, NAN, 0],
            ("general", "P3"): [1, 1, 0, 0, 0, 1, 0, 0.0, NAN, 0],
            ("ortho", "EMERGENCY"): [1, 0, 0, 0, 0, 0, 1, NAN, NAN, 1],
        },
    )
    assert k.loc[("general", "P3"), "transferred"] == 1


def test_kpis_by_add_up_to_the_totals(optimum: Result) -> None:
    """Per-specialty counts add up to the summary's totals."""
    k = optimum.kpis_by("specialty")
    totals = optimum.summary["totals"]
    for col in ("planned", "kept", "postponed", "scheduled", "transferred", "unscheduled"):
        assert k[col].sum() == totals[col]
    assert k["cases"].sum() == len(optimum.scenario.cases)


def test_kpis_by_a_column_with_empty_cells_keeps_every_case(worse: Result) -> None:
    """Regression (kpis_by dropped cases): grouped by ``planned_date``, the waiting list's E
    (no planned date) was left out, so ``cases`` summed to 2 of 3, and by ``room_id`` only A
    (operated here) was counted. A case with an empty cell now has its own group, labelled
    NaN: A and B on 2024-04-15, E in the empty group; A in R1, B and E in the empty one."""
    by_date = worse.kpis_by("planned_date")
    assert by_date["cases"].sum() == 3
    assert by_date.loc["2024-04-15", "cases"] == 2
    empty = by_date[by_date.index.isna()]
    assert empty["cases"].tolist() == [1] and empty["unscheduled"].tolist() == [1]
    assert worse.kpis_by("room_id")["cases"].sum() == 3
    assert worse.kpis_by(["specialty", "planned_date"])["cases"].sum() == 3


def test_backlog_counts_cases_with_an_empty_group_cell(worse: Result) -> None:
    """Regression: E, unscheduled with no planned date, was no backlog by ``planned_date``."""
    b = optimizer.backlog(worse, 25, by="planned_date")
    assert b["cases"].sum() == 1 and b["minutes"].sum() == 60
    assert b.index.isna().tolist() == [True]


def test_kpis_by_an_unknown_column_says_which_exist(optimum: Result) -> None:
    with pytest.raises(ValueError, match="cannot group by ward: the columns are case_id"):
        optimum.kpis_by("ward")


def test_plan_joins_the_case_list(optimum: Result) -> None:
    """One row per case, in order, with specialty and planned slot; urgency ordered."""
    p = optimum.plan
    assert p["case_id"].tolist() == ["A", "B", "E"]
    assert p["specialty"].tolist() == ["general", "general", "ortho"]
    assert p["planned_date"].iloc[:2].tolist() == ["2024-04-15", "2024-04-15"]
    assert p["planned_start"].iloc[:2].tolist() == ["08:00", "09:00"]
    assert p[["planned_date", "planned_start"]].iloc[2].isna().all()
    assert p.sort_values("urgency")["case_id"].tolist() == ["E", "A", "B"]


def test_causes_are_the_cases_not_kept(worse: Result) -> None:
    """B and E, with their status and the reason the schedule gives."""
    c = worse.causes
    assert c["case_id"].tolist() == ["B", "E"]
    assert c["status"].tolist() == ["transferred", "unscheduled"]
    assert {"case_id", "status", "reason"} <= set(c.columns)
    assert (
        c["reason"].tolist()
        == worse.schedule.set_index("case_id").loc[["B", "E"], "reason"].tolist()
    )


def test_backlog_days_at_a_pace(worse: Result, optimum: Result) -> None:
    """E (60 min, unscheduled) at 25 min a day: ceil(60 / 25) = 3 days; B, transferred,
    is not backlog. In the optimum B (60 min) is postponed: 60 / 60 = 1 day."""
    b = optimizer.backlog(worse, 25)
    assert b.to_dict("index") == {"ortho": {"cases": 1, "minutes": 60, "days_to_clear": 3}}
    assert optimizer.backlog(optimum, 60).to_dict("index") == {
        "general": {"cases": 1, "minutes": 60, "days_to_clear": 1}
    }
    with pytest.raises(ValueError, match="above 0"):
        optimizer.backlog(worse, 0)


def test_compare_case_by_case_per_date_and_in_totals(optimum: Result, worse: Result) -> None:
    """A is unchanged, so absent; B and E changed; D0 and D1 kept counts, totals deltas."""
    cmp = optimizer.compare(optimum, worse)
    cases = cmp.cases.set_index("case_id")
    assert list(cases.index) == ["B", "E"]
    assert cases.loc["B", "changed"] == "status, room, start"
    assert (cases.loc["B", "status_a"], cases.loc["B", "status_b"]) == ("postponed", "transferred")
    assert cases.loc["E", "changed"] == "status, date, room, start"
    assert cases.loc["E", "date_b"] is None
    # Only D0 has planned cases (A and B): kept 1 in both.
    assert cmp.dates.index.tolist() == ["2024-04-15"]
    assert cmp.dates.loc["2024-04-15", "kept_delta"] == 0
    t = cmp.totals
    assert t.loc["postponed", "delta"] == -1
    assert t.loc["transferred", "delta"] == 1
    assert t.loc["unscheduled", "delta"] == 1
    assert t.loc["scheduled", "delta"] == -1
    assert t.loc["deadline_misses", "delta"] == 1


def test_a_result_compared_with_itself_changes_nothing(worse: Result) -> None:
    """Its transferred and unscheduled cases have no room or start on either side: missing
    cells are equal, not changed (NaN equals nothing, itself included)."""
    assert {"transferred", "unscheduled"} <= set(worse.schedule["status"])
    assert optimizer.compare(worse, worse).cases.empty


def test_compare_results_of_different_scenarios(optimum: Result, tiny_hospital: Scenario) -> None:
    """A case in one result only is listed as such."""
    more = optimizer.add_cases(
        tiny_hospital,
        [
            {
                "case_id": "N",
                "specialty": "general",
                "surgeon_id": "SN",
                "duration_min": 30,
                "urgency": "P4",
            }
        ],
    )
    other = result_of(
        more, [Placement(day=0, room=0, start=480), Placement(day=1, room=0, start=480), None, None]
    )
    cmp = optimizer.compare(optimum, other)
    assert cmp.cases.set_index("case_id").loc["N", "changed"] == "only in b"


def test_wrong_argument_types_name_the_argument(optimum: Result, tmp_path: Path) -> None:
    """Regression: ``compare(result, scenario)`` and ``write_result(scenario, ...)`` raised
    AttributeError from pydantic deep inside; ``kpis_by(result, [])`` pandas' "No group
    keys passed!", ``kpis_by(result, 3)`` "'int' object is not iterable" and
    ``backlog(result, minutes_per_day="240")`` a comparison TypeError. Each now names
    the argument, and nothing is written."""
    scenario = optimum.scenario
    with pytest.raises(TypeError, match="b must be an optimizer.Result .* not Scenario"):
        optimizer.compare(optimum, scenario)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="result must be an optimizer.Result .* not Scenario"):
        optimizer.write_result(scenario, tmp_path / "out")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
    with pytest.raises(ValueError, match="by must name at least one column"):
        optimum.kpis_by([])
    with pytest.raises(TypeError, match="by must be a column name or a list of them, not 3"):
        optimum.kpis_by(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="minutes_per_day must be a number, not '240'"):
        optimizer.backlog(optimum, minutes_per_day="240")  # type: ignore[arg-type]
    assert optimizer.backlog(optimum, minutes_per_day=240).columns.tolist() == [
        "cases", "minutes", "days_to_clear"
    ]  # fmt: skip
