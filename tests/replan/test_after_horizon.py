"""The morning after the previous horizon's last date, its sessions given with --sessions
(as the refusal of such a --today says to do): a mobile pool whose rows all fell before
--today stays a pool.

Found on a month of mornings (the month-long daily-loop pass): re-planned on 15/05 from a
result ending 14/05, with the sessions of 15/05 to 17/05, every case needing the C-arm or
the navigation system was refused ("the re-planned cases.csv, colonne equipment : c_arm
n'est ni un équipement fixe d'une salle (rooms.csv) ni un parc mobile (resources.csv)"):
the resources carried from --today on held no row of those pools any more. The pool's
last row is now carried (a date of the new horizon with no row is unlimited, as the
contract says of any date without a row).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import optimizer
from optimizer.replan.command import replan, write_replanned
from optimizer.scenario.schema import Case, Policy, ResourceCapacity, Room, Scenario, Session

D0, D1, D2 = dt.date(2024, 5, 13), dt.date(2024, 5, 14), dt.date(2024, 5, 15)
SEARCH = {"workers": 1, "work_limit": 1.0, "seed": 0}


def _hospital() -> Scenario:
    """A needs the C-arm on D0; X needs it too and is planned on D2, after the horizon."""
    cases = (
        Case(case_id="A", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=D0, planned_room="R1", planned_start=480, equipment=("c_arm",)),
        Case(case_id="X", specialty="gen", surgeon_id="S1", duration_min=60, urgency="P3",
             planned_date=D2, planned_room="R1", planned_start=480, equipment=("c_arm",)),
    )  # fmt: skip
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"),),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=720) for d in (D0, D1)),
        resources=tuple(ResourceCapacity(date=d, resource="c_arm", capacity=1) for d in (D0, D1)),
        policy=Policy(start_date=D0, end_date=D1, turnover_min=0),
    )


def test_the_morning_after_the_horizon_keeps_the_pools(tmp_path: Path) -> None:
    first = optimizer.write_result(optimizer.solve(_hospital(), **SEARCH), tmp_path / "d0")
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(f"date,room_id,start,end\n{D2},R1,08:00,12:00\n", encoding="utf-8")
    morning, result = replan(first, D2, sessions=sessions, **SEARCH)
    folder = write_replanned(morning, result, tmp_path / "d2")
    assert "c_arm" in morning.scenario.pool_names
    row = next(r for r in result.rows if r.case_id == "X")
    assert (row.status, row.date) == ("kept", D2)
    again = optimizer.load_scenario(folder / "scenario")  # the folder reads back as written
    assert "c_arm" in again.pool_names
