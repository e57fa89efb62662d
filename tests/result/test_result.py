"""The user's view of a solution (optimizer.result.result): schedule rows, KPIs per date and the
summary, against values worked out by hand on the tiny hospital of ``conftest``.

The ``reason`` column is left to the tests of the reasons: here it is only present.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

import optimizer
import optimizer.result.result as result_module
from optimizer.check import check_schedule
from optimizer.facts.booking import Booking
from optimizer.facts.candidates import build_candidates
from optimizer.facts.solution import Placement
from optimizer.result.result import SCHEDULE_COLUMNS, LevelReport, Result, make_result
from optimizer.result.row import ScheduleRow, schedule_frame
from optimizer.result.summary import Summary
from optimizer.scenario import Scenario

# The optimum of the tiny hospital (see its docstring): A kept, B postponed, E scheduled.
OPTIMUM_ROWS = [
    ("A", "kept", "2024-04-15", "R1", "08:00", "09:00", None, 0, "P2", "2024-05-13", False),
    ("B", "postponed", "2024-04-16", "R1", "08:00", "09:00", None, 1, "P3", "2024-07-14", False),
    (
        "E",
        "scheduled",
        "2024-04-15",
        "R1",
        "09:00",
        "10:00",
        None,
        None,
        "EMERGENCY",
        "2024-04-15",
        False,
    ),
]
# the words and their cause are the explanations (tests/explain, tests/check/test_causes.py)
NO_REASON = [c for c in SCHEDULE_COLUMNS if c not in ("reason", "cause", "blocking")]


def rows_without_reason(result: Result) -> list[tuple[object, ...]]:
    return [tuple(row.cells()[c] for c in NO_REASON) for row in result.rows]


@pytest.fixture
def solved(tiny_hospital: Scenario) -> Result:
    return optimizer.solve(tiny_hospital, workers=1, time_limit=10, seed=0)


def test_rows_of_the_optimum(solved: Result) -> None:
    """One row per case in input order, each field as worked out by hand: dates and clock
    times as text, the delay in days (none for a case that was not planned), the deadline
    (due date, else planned or first date + the class's delay)."""
    assert rows_without_reason(solved) == OPTIMUM_ROWS
    assert all(isinstance(r.reason, str) for r in solved.rows)
    schedule = solved.schedule
    assert list(schedule.columns) == SCHEDULE_COLUMNS
    assert str(schedule["delay_days"].dtype) == "Int64"
    assert schedule["delay_days"].isna().tolist() == [False, False, True]


def test_kpis_and_summary_of_the_optimum(solved: Result) -> None:
    """D0 had two planned cases and keeps one: ratio 0.5, target met (need 1 of 2). D1 had
    none planned, so it has no KPI row. Every level is proven: status OPTIMAL, no gap."""
    expected = pd.DataFrame(
        [{"date": "2024-04-15", "planned": 2, "kept": 1, "ratio": 0.5, "target_met": True}]
    )
    pd.testing.assert_frame_equal(solved.kpis, expected)
    summary = solved.summary
    assert summary["target_ratio"] == 0.5
    assert summary["totals"] == {
        "planned": 2,
        "kept": 1,
        "ratio": 0.5,
        "postponed": 1,
        "transferred": 0,
        "unscheduled": 0,
        "scheduled": 1,
        "deadline_misses": 0,
        "dates_target_met": 1,
        "dates_with_plan": 1,
        # B, planned, is postponed; E, waiting, is given a date
        "planned_postponed": 1,
        "planned_transferred": 0,
        "planned_unscheduled": 0,
        "others_given_date": 1,
        "others_transferred": 0,
        "others_unscheduled": 0,
    }
    assert summary["deadline_misses"] == [] and summary["deadline_misses_by_class"] == {}
    assert summary["transfers"] == []
    assert summary["interrupted"] is False
    assert summary["run"]["horizon"] == ["2024-04-15", "2024-04-16"]
    solver = summary["solver"]
    assert solver["status"] == "OPTIMAL" and solver["limiting_level"] is None
    assert solver["gap"] == 0.0
    assert [(lv["name"], lv["value"]) for lv in solver["levels"]] == [
        ("deadline misses (most urgent first)", 0),
        ("shortfall below target", 0),
        ("planned cases kept", 1),
        ("weighted delay", 3),
        ("patients moved (room or start)", 0),
        ("minutes shifted", 0),
    ]
    assert solver["objective"] == 0  # the last level, when none limits


def test_rows_for_a_transfer_and_a_case_left_out(tiny_hospital: Scenario) -> None:
    """A hand-made solution: A kept, B sent to the partner on D1, E left out. B's row has
    the partner and no room; E's is unscheduled and misses its deadline (today). The
    summary counts them and names E; the independent checker accepts the schedule."""
    cand = build_candidates(tiny_hospital)
    solution = [Placement(day=0, room=0, start=480), Placement(day=1, partner=0), None]
    result = make_result(
        tiny_hospital, cand, solution, [], wall_time=0.0, interrupted=False, settings={}
    )
    assert rows_without_reason(result) == [
        OPTIMUM_ROWS[0],
        ("B", "transferred", "2024-04-16", None, None, None, "P1", 1, "P3", "2024-07-14", False),
        ("E", "unscheduled", None, None, None, None, None, None, "EMERGENCY", "2024-04-15", True),
    ]
    summary = result.summary
    assert summary["totals"] == {
        "planned": 2,
        "kept": 1,
        "ratio": 0.5,
        "postponed": 0,
        "transferred": 1,
        "unscheduled": 1,
        "scheduled": 0,
        "deadline_misses": 1,
        "dates_target_met": 1,
        "dates_with_plan": 1,
        # B, planned, is transferred; E, waiting, is left out
        "planned_postponed": 0,
        "planned_transferred": 1,
        "planned_unscheduled": 0,
        "others_given_date": 0,
        "others_transferred": 0,
        "others_unscheduled": 1,
    }
    assert result.deadline_misses == ["E"]
    assert summary["deadline_misses"] == ["E"]
    assert summary["deadline_misses_by_class"] == {"EMERGENCY": 1}
    assert summary["transfers"] == [{"partner_id": "P1", "date": "2024-04-16", "cases": 1}]
    assert check_schedule(tiny_hospital, result.schedule, summary) == []


def test_target_missed_on_a_date(tiny_hospital: Scenario) -> None:
    """With target 0.9 the tiny hospital needs both planned cases of D0 (ceil 1.8 = 2):
    keeping one misses the target on that date."""
    policy = tiny_hospital.policy.model_copy(update={"target_ratio": 0.9})
    sc = tiny_hospital.model_copy(update={"policy": policy})
    cand = build_candidates(sc)
    solution = [Placement(day=0, room=0, start=480), Placement(day=1, room=0, start=480), None]
    result = make_result(sc, cand, solution, [], wall_time=0.0, interrupted=False, settings={})
    assert result.kpis["target_met"].tolist() == [False]
    assert result.summary["totals"]["dates_target_met"] == 0


def test_status_objective_and_gap_come_from_the_first_unproven_level(
    tiny_hospital: Scenario,
) -> None:
    """The first level that is not proven limits: its status is the run's (INTERRUPTED if
    the run was stopped), its value and bound are the summary's objective and bound, and
    the gap is |value - bound| / |value|. A level without a bound has no gap."""
    proven = LevelReport("misses", 0.0, 0.0, "OPTIMAL", 0.1)
    limiting = LevelReport("delay", 5.0, 3.0, "FEASIBLE", 0.2)
    later = LevelReport("moved", 2.0, None, "FEASIBLE", 0.3)
    assert limiting.gap() == pytest.approx(0.4)
    assert later.gap() is None and proven.gap() == 0.0

    cand = build_candidates(tiny_hospital)
    solution = [Placement(day=0, room=0, start=480), Placement(day=1, room=0, start=480), None]

    def result(levels: list[LevelReport], interrupted: bool) -> Result:
        return make_result(
            tiny_hospital,
            cand,
            solution,
            levels,
            wall_time=1.0,
            interrupted=interrupted,
            settings={},
        )

    stopped = result([proven, limiting, later], interrupted=False)
    assert stopped.status == "FEASIBLE" and stopped.limiting_level == limiting
    solver = stopped.summary["solver"]
    assert (solver["objective"], solver["best_bound"]) == (5.0, 3.0)
    assert solver["gap"] == pytest.approx(0.4) and solver["limiting_level"] == "delay"
    assert result([proven, limiting], interrupted=True).status == "INTERRUPTED"
    done = result([proven], interrupted=True)
    assert done.status == "OPTIMAL" and done.limiting_level is None


def test_the_summary_and_schedule_are_built_once_and_given_as_copies(tiny_hospital) -> None:
    """Issue 19: the result builds its summary, typed summary and schedule once; what it
    hands out is a copy, so editing it never changes what is written."""
    import optimizer

    result = optimizer.solve(tiny_hospital, workers=1, work_limit=1, seed=0)
    assert result.typed_summary is result.typed_summary
    assert result.typed_summary.to_dict() == result.summary
    edited = result.summary
    edited["totals"]["kept"] = -1
    frame = result.schedule
    frame.loc[0, "status"] = "edited"
    assert result.summary["totals"]["kept"] != -1
    assert result.schedule.loc[0, "status"] != "edited"


def test_a_row_is_typed_and_frozen(solved: Result) -> None:
    """Issue 19: a schedule row is a frozen dataclass made with the result, its dates and
    times typed (the text is what ``cells()`` gives the file)."""
    row = solved.rows[1]  # B, postponed to 16/04 08:00-09:00 (the optimum above)
    assert isinstance(row, ScheduleRow)
    assert (row.date, row.start, row.end) == (dt.date(2024, 4, 16), 480, 540)
    assert row.booking == Booking("postponed", dt.date(2024, 4, 16), "R1", 480)
    assert row.cells()["start"] == "08:00"
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.status = "kept"  # type: ignore[misc]
    assert not hasattr(row, "__dict__")  # slots: no attribute can be added either


def test_the_frames_are_derived_from_the_rows_once(
    solved: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: ``schedule`` is built once from the rows and equals them cell for cell;
    each access shares the cached data (no copy of it, no rebuild) and stays independent:
    editing one leaves the next untouched (the test above). The typed summary is built
    once, from the rows, never parsed back from its dict."""
    fresh = dataclasses.replace(solved)  # the same rows, nothing cached yet
    built: list[int] = []

    def counted(rows: tuple[ScheduleRow, ...]) -> pd.DataFrame:
        built.append(len(rows))
        return schedule_frame(rows)

    monkeypatch.setattr(result_module, "schedule_frame", counted)
    first, second = fresh.schedule, fresh.schedule
    assert built == [3]
    assert np.shares_memory(
        first["deadline_missed"].to_numpy(), second["deadline_missed"].to_numpy()
    )
    records = first.astype(object).where(first.notna(), None).to_dict("records")
    assert records == [r.cells() for r in fresh.rows]
    assert fresh.kpis.equals(fresh.kpis) and fresh.calls.equals(fresh.calls)

    def never(d: object) -> Summary:
        raise AssertionError("the summary dict was parsed back")

    monkeypatch.setattr(Summary, "from_dict", classmethod(lambda cls, d: never(d)))
    assert fresh.typed_summary is fresh.typed_summary
    assert fresh.summary == fresh.typed_summary.to_dict() == solved.summary


def test_levels_are_one_type_in_the_result_and_the_summary(solved: Result) -> None:
    """Issue 19: the summary's levels are the result's LevelReport (the wall time rounded
    to the ms as written); LevelSummary is the same class under its old name."""
    assert optimizer.LevelSummary is optimizer.LevelReport
    written = solved.typed_summary.solver.levels
    assert [lv.name for lv in written] == [lv.name for lv in solved.levels]
    assert all(isinstance(lv, LevelReport) for lv in written)
    assert [lv.kind for lv in written] == [lv.kind for lv in solved.levels]
    assert [lv.to_dict() for lv in written] == solved.summary["solver"]["levels"]


def test_kpis_keep_their_columns_when_no_date_has_planned_cases(tiny_hospital: Scenario) -> None:
    """Regression: with only waiting cases (nothing planned), ``result.kpis`` was a
    DataFrame with no columns at all, so ``result.kpis["ratio"]`` raised KeyError in a
    notebook. It now has no rows but the same columns and types as with planned dates."""
    waiting = tuple(
        c.model_copy(update={"planned_date": None, "planned_room": None, "planned_start": None,
                             "pinned": False})
        for c in tiny_hospital.cases
    )  # fmt: skip
    result = optimizer.solve(
        tiny_hospital.model_copy(update={"cases": waiting}), workers=1, work_limit=1, seed=0
    )
    full = optimizer.solve(tiny_hospital, workers=1, work_limit=1, seed=0).kpis
    assert result.summary["dates"] == [] and result.kpis.empty
    assert result.kpis.dtypes.to_dict() == full.dtypes.to_dict()
    assert list(result.kpis.columns) == ["date", "planned", "kept", "ratio", "target_met"]
