"""A waiting case the planner fixed on a date inside the waiting-list notice period
(``fixed_date``: "the case must be operated exactly there") is operated there, and the
checker takes it as the override it is, as it does for an announced appointment: the solve
used to stop with "internal error ... rule notice" and write nothing."""

from __future__ import annotations

from pathlib import Path

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.scenario import load_scenario

# W (waiting, P3: no deadline in the horizon) is fixed on 16/04; waiting_notice_days = 2
# keeps waiting cases off 15/04 and 16/04 unless the planner says otherwise.
FILES = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,fixed_date\n"
    "W,gen,S1,60,P3,2024-04-16\nV,gen,S2,60,P3,\n",
    "rooms.csv": "room_id\nR1\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-15,R1,08:00,12:00\n"
    "2024-04-16,R1,08:00,12:00\n2024-04-17,R1,08:00,12:00\n",
    "policy.toml": "waiting_notice_days = 2\n",
}


def test_a_waiting_case_fixed_inside_the_waiting_notice_is_operated_there(
    tmp_path: Path,
) -> None:
    """W goes on 16/04 (its fixed date), V (not fixed) no earlier than 17/04; the schedule
    passes the checker."""
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    scenario = load_scenario(tmp_path)
    result = solve(scenario, work_limit=2.0, workers=1, seed=0)
    rows = result.schedule.set_index("case_id")
    assert str(rows.at["W", "date"]) == "2024-04-16" and rows.at["W", "status"] == "scheduled"
    assert str(rows.at["V", "date"]) == "2024-04-17"
    assert check_schedule(scenario, result.schedule) == []
