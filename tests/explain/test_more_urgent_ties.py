"""'More urgent' is said only of a strictly more urgent class: two classes with the same
maximum delay and the same weight are equally urgent (contract: classes are ranked by
``max_delay_days``, ties by larger weight; nothing else breaks a tie)."""

from __future__ import annotations

from pathlib import Path

from optimizer import solve
from optimizer.check.causes import check_causes
from optimizer.scenario import load_scenario

# U1 and U2: both not delayable (0 days), both weight 5: equally urgent. R2 is closed on
# 16/04 and R1 holds one case: X (U2, planned in R1) or Y (U1, planned in R2) goes ahead,
# the other misses its deadline. Whichever it is, the one left out was not displaced by a
# more urgent case.
FILES = {
    "cases.csv": "case_id,specialty,surgeon_id,duration_min,urgency,planned_date,planned_room,"
    "planned_start\nX,gen,S1,60,U2,2024-04-16,R1,08:00\nY,gen,S2,60,U1,2024-04-16,R2,08:00\n",
    "rooms.csv": "room_id\nR1\nR2\n",
    "sessions.csv": "date,room_id,start,end\n2024-04-16,R1,08:00,09:00\n",
    "policy.toml": "start_date = 2024-04-16\nend_date = 2024-04-16\n"
    "[urgency.U1]\nmax_delay_days = 0\nweight = 5.0\n"
    "[urgency.U2]\nmax_delay_days = 0\nweight = 5.0\n",
}


def _solved(tmp_path: Path):  # type: ignore[no-untyped-def]
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    scenario = load_scenario(tmp_path)
    return scenario, solve(scenario, work_limit=2.0, workers=1, seed=0)


def test_a_case_of_an_equally_urgent_class_is_not_called_more_urgent(tmp_path: Path) -> None:
    """The case left out names the case that took its place, but not as "more urgent"."""
    _, result = _solved(tmp_path)
    rows = {r.case_id: r for r in result.rows}
    late = "X" if rows["Y"].status == "kept" else "Y"
    assert rows[late].status == "unscheduled"
    assert ({"X", "Y"} - {late}).pop() in rows[late].reason
    assert "more urgent" not in rows[late].reason, rows[late].reason


def test_the_checker_refuses_more_urgent_between_equally_urgent_classes(tmp_path: Path) -> None:
    """The independent checker flags a reason calling an equally urgent case more urgent."""
    scenario, result = _solved(tmp_path)
    schedule = result.schedule.copy()
    late = schedule.index[schedule["status"] == "unscheduled"][0]
    other = ({"X", "Y"} - {schedule.at[late, "case_id"]}).pop()
    urgency = "U1" if other == "Y" else "U2"
    schedule.at[late, "reason"] = (
        f"its planned place R1 08:00 on 16/04 now holds more urgent cases: {other} ({urgency}, "
        "kept as planned)"
    )
    problems = [str(p) for p in check_causes(scenario, schedule)]
    assert any("more urgent" in p for p in problems), problems
