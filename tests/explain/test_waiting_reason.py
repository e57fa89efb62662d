"""A waiting case late past its deadline is told what made it late."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import optimizer
from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.explain.command import explain
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0 = dt.date(2024, 5, 3)
D2 = D0 + dt.timedelta(days=2)


def _late_waiting_case() -> Scenario:
    """W waits (P1a: due D0 + 1 day); its patient is ready only on D2; one room every day."""
    sessions = tuple(
        Session(date=D0 + dt.timedelta(days=k), room_id="R1", start=480, end=720) for k in range(3)
    )
    w = Case(
        case_id="W",
        specialty="gen",
        surgeon_id="S1",
        duration_min=60,
        urgency="P1a",
        release_date=D2,
    )
    return Scenario(
        cases=(w,),
        rooms=(Room(room_id="R1"),),
        sessions=sessions,
        policy=Policy(start_date=D0, end_date=D2),
    )


def test_a_waiting_case_released_after_its_deadline_is_said_not_released() -> None:
    """W waits (P1a: due D0 + 1 day), its patient is ready only on D2, when it is operated:
    a deadline miss because of its release date. The reason once said its patient "can be
    called in for 03/05 at the earliest, after this run's last date 05/05" (no notice was
    set, and 03/05 is not after 05/05)."""
    sc = _late_waiting_case()
    result = solve(sc, work_limit=1.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["W"]
    assert (row["status"], row["date"]) == ("scheduled", D2.isoformat())
    assert row["deadline_missed"]
    assert row["cause"] == "not_released", row["reason"]
    assert "called in" not in row["reason"], row["reason"]
    assert "not ready before 05/05" in row["reason"] and "DEADLINE MISSED" in row["reason"]
    assert check_causes(sc, result.schedule) == []


def test_explain_names_no_planned_date_for_a_waiting_case_not_released(tmp_path: Path) -> None:
    """explain W said "The patient is not ready on the planned date": W has none. It says
    the date the patient is ready from, in English and in French."""
    result = solve(_late_waiting_case(), work_limit=1.0, workers=1, seed=0)
    optimizer.write_result(result, tmp_path / "out")
    english = explain(tmp_path / "out", "W", "en")
    french = explain(tmp_path / "out", "W", "fr")
    assert "planned date" not in english and "not ready before 05/05" in english.splitlines()[-1]
    assert "date prévue" not in french and "pas prêt avant le 05/05" in french.splitlines()[-1]
