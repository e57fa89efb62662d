"""A waiting case late past its deadline is told what made it late."""

from __future__ import annotations

import datetime as dt

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0 = dt.date(2024, 5, 3)
D2 = D0 + dt.timedelta(days=2)


def test_a_waiting_case_released_after_its_deadline_is_said_not_released() -> None:
    """W waits (P1a: due D0 + 1 day), its patient is ready only on D2, when it is operated:
    a deadline miss because of its release date. The reason once said its patient "can be
    called in for 03/05 at the earliest, after this run's last date 05/05" (no notice was
    set, and 03/05 is not after 05/05)."""
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
    sc = Scenario(
        cases=(w,),
        rooms=(Room(room_id="R1"),),
        sessions=sessions,
        policy=Policy(start_date=D0, end_date=D2),
    )
    result = solve(sc, work_limit=1.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["W"]
    assert (row["status"], row["date"]) == ("scheduled", D2.isoformat())
    assert row["deadline_missed"]
    assert row["cause"] == "not_released", row["reason"]
    assert "called in" not in row["reason"], row["reason"]
    assert "not ready before 05/05" in row["reason"] and "DEADLINE MISSED" in row["reason"]
    assert check_causes(sc, result.schedule) == []
