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


OWN_POOL = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start,equipment,pinned\nP,ortho,S1,30,P3,2024-04-15,OR1,08:00,,true\n"
    "X,ortho,S2,60,P3,2024-04-15,OR1,08:00,c-arm,\n",
    "rooms.csv": "room_id\nOR1\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,12:00\n",
    "resources.csv": "date,resource,capacity\n2024-04-15,c-arm,1\n",
    "policy.toml": "turnover_min = 0\n",
}


def test_a_moved_case_does_not_fill_its_own_pool_at_its_planned_time(tmp_path: Path) -> None:
    """X (the only case needing the one c-arm) makes way for the pinned P at 08:00 and runs
    08:30-09:30: its own new slot overlaps its planned 08:00-09:00, but nobody else holds the
    c-arm then, so its reason does not say the c-arm is all in use at its planned time."""
    for name, text in OWN_POOL.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = solve(load_scenario(tmp_path), work_limit=2.0, workers=1, seed=0)
    row = result.schedule.set_index("case_id").loc["X"]
    assert row["status"] == "kept" and row["start"] == "08:30", row
    assert "c-arm" not in row["reason"], row["reason"]


TWO_ROOMS = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start,pinned\nB,gen,S1,60,P3,2024-04-15,OR1,08:00,true\n"
    "A,gen,S2,60,P3,2024-04-15,OR1,08:00,\nW,gen,S3,60,P3,,,,\n",
    "rooms.csv": "room_id\nOR1\nOR2\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,09:00\n"
    "2024-04-15,OR2,08:00,12:00\n",
    "policy.toml": "turnover_min = 0\n",
}


def test_a_case_moved_to_another_room_did_not_make_room_for_who_came_there(
    tmp_path: Path,
) -> None:
    """A was planned in OR1 at 08:00, where the pinned B is: it goes to OR2 08:00, and the
    waiting W comes to OR2 after it. A's leaving OR1 made room for nobody there, and its
    coming to OR2 made no room for W: its reason once said "to make room for W"."""
    for name, text in TWO_ROOMS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = solve(load_scenario(tmp_path), work_limit=2.0, workers=1, seed=0)
    rows = result.schedule.set_index("case_id")
    assert (rows.loc["A", "room_id"], rows.loc["W", "room_id"]) == ("OR2", "OR2"), rows
    assert "now holds B" in rows.loc["A", "reason"], rows.loc["A", "reason"]
    assert "to make room for" not in rows.loc["A", "reason"], rows.loc["A", "reason"]


HELD_ON_ITS_DATE = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start,fixed_date,fixed_room,fixed_start\n"
    "A,gen,S1,60,P3,2024-04-15,OR1,08:00,2024-04-15,OR2,08:30\n"
    "B,gen,S2,60,P3,2024-04-15,OR1,09:00,2024-04-15,OR1,10:00\n",
    "rooms.csv": "room_id\nOR1\nOR2\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,OR1,08:00,12:00\n"
    "2024-04-15,OR2,08:00,12:00\n2024-04-16,OR1,08:00,12:00\n",
    "policy.toml": 'now = "09:00"\nturnover_min = 0\n',
}


def test_a_case_held_elsewhere_on_its_date_is_kept_not_unscheduled(tmp_path: Path) -> None:
    """A began at 08:30 in OR2 before the plan was made at 09:00 (under way); B is fixed by
    the planner at 10:00. Both are kept on their planned date, moved: their reasons said
    "not scheduled up to 16/04", with the dates that had a session for them."""
    for name, text in HELD_ON_ITS_DATE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = solve(load_scenario(tmp_path), work_limit=1.0, workers=1, seed=0)
    rows = result.schedule.set_index("case_id")
    assert list(rows["status"]) == ["kept", "kept"], rows
    a, b = rows.loc["A", "reason"], rows.loc["B", "reason"]
    assert a == (
        "under way on 15/04 since 08:30: the plan was revised at 09:00; "
        "kept on 15/04, moved from OR1 08:00 to OR2 08:30"
    ), a
    assert b == "the planner fixed it on 15/04; kept on 15/04, moved from OR1 09:00 to OR1 10:00", b
