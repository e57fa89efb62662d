"""A kept case's reason says where it was planned, and nothing the plan did not give."""

from __future__ import annotations

from pathlib import Path

from optimizer import solve
from optimizer.scenario import load_scenario

FILES = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start\nA1,orthopaedics,S1,60,P2,2024-04-15,OR2,\n"
    "A2,orthopaedics,S1,90,P3,2024-04-15,OR1,09:30\n",
    "rooms.csv": "room_id,specialties,equipment\nOR1,orthopaedics,\nOR2,orthopaedics,\n",
    "sessions.csv": "date,room_id,start,end,specialty\n2024-04-15,OR1,08:00,12:00,\n",
}


def test_a_planned_room_without_a_start_is_moved_from_that_room(tmp_path: Path) -> None:
    """A1 was planned in OR2 (closed) with no start: "moved from OR2 to OR1 ...", no start
    made up for OR2."""
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = solve(load_scenario(tmp_path), work_limit=2.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["A1"]
    assert row["status"] == "kept" and row["room_id"] == "OR1"
    assert f"moved from OR2 to OR1 {row['start']}" in row["reason"], row["reason"]
