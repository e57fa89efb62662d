"""The checker's lever rules: overtime within its limit, the reserve kept, both in the summary.

The world is ``checker_fixtures``'s (D0: R1 08:00-16:00, R2 08:00-12:00 for
ortho; turnover 30). On D0 the reference operates k1 (60 min), k2 (90) and w1
(30) in R1: elective minutes 90 + 120 + 60 = 270 of 720 session minutes (480 in
the sessions that host ``general``: R2 takes ortho only).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from optimizer.check import check_schedule
from optimizer.scenario.schema import UrgencyClass
from tests.support.checker_fixtures import (
    CLASSES,
    D1,
    reference_rows,
    reference_summary,
    rules,
    scenario,
    table,
    with_case,
    with_row,
)


def reference() -> pd.DataFrame:
    return table(reference_rows().values())


def late_p1() -> pd.DataFrame:
    """p1 postponed to D1 R1 at 15:30: it ends at 16:30, 30 min past the session's end."""
    return with_row("p1", start="15:30", end="16:30")


def test_overtime_within_the_limit_passes_and_beyond_it_is_rule_2() -> None:
    assert rules(check_schedule(scenario(), late_p1())) == {"2"}  # no overtime by default
    assert check_schedule(scenario(overtime_max_min=30), late_p1()) == []
    violations = check_schedule(scenario(overtime_max_min=20), late_p1())
    assert rules(violations) == {"2"}
    assert "20 min overtime allowed" in violations[0].message


def overtime_summary(minutes: int) -> dict[str, Any]:
    used = [{"date": D1.isoformat(), "room_id": "R1", "minutes": minutes}]
    return {**reference_summary(), "overtime": {"used": used, "total_min": minutes}}


def test_overtime_in_the_summary_is_recomputed() -> None:
    sc = scenario(overtime_max_min=30)
    assert check_schedule(sc, late_p1(), overtime_summary(30)) == []
    assert rules(check_schedule(sc, late_p1(), overtime_summary(25))) == {"summary"}
    assert rules(check_schedule(sc, late_p1(), reference_summary())) == {"summary"}  # missing


def test_reserve_across_all_sessions() -> None:
    """D0: 720 - 270 = 450 min free; D1: 480 - 180 (p1, b1) = 300; D2: 480."""
    assert check_schedule(scenario(reserve_min=300), reference()) == []
    violations = check_schedule(scenario(reserve_min=301), reference())
    assert rules(violations) == {"reserve"}
    assert len(violations) == 1
    assert "2024-04-16" in violations[0].message and "(b1, p1)" in violations[0].message


def test_reserve_per_specialty_counts_the_sessions_that_host_it() -> None:
    """general: R1 only (R2 hosts ortho): 480 - 270 = 210 free on D0."""
    assert check_schedule(scenario(reserve={"general": 210}), reference()) == []
    assert rules(check_schedule(scenario(reserve={"general": 211}), reference())) == {"reserve"}


def on_d0(violations: list[Any]) -> list[Any]:
    return [v for v in violations if "2024-04-15" in v.message]


def test_emergencies_may_use_the_reserve() -> None:
    """Ortho sessions (R1, R2) on D0: 720 - 270 = 450 free; with w1 an emergency class (no
    delay allowed), 60 min fewer elective: 510."""
    classes = {**CLASSES, "emerg": UrgencyClass(name="emerg", max_delay_days=0, weight=50)}
    cases = with_case("w1", urgency="emerg")
    assert on_d0(check_schedule(scenario(reserve={"ortho": 450}), reference())) == []
    assert rules(on_d0(check_schedule(scenario(reserve={"ortho": 451}), reference()))) == {
        "reserve"
    }
    sc = scenario(cases, urgency=classes, reserve={"ortho": 510})
    assert on_d0(check_schedule(sc, reference())) == []
    sc = scenario(cases, urgency=classes, reserve={"ortho": 511})
    assert rules(on_d0(check_schedule(sc, reference()))) == {"reserve"}


def test_a_date_shorter_than_its_reserve_takes_no_elective_case() -> None:
    """D1 has 480 session minutes: a 500 min reserve leaves no room for p1 and b1, and holds
    once they go elsewhere (here unscheduled; D0 keeps 450 of 720 < 500 min: its cases too)."""
    assert rules(check_schedule(scenario(reserve_min=500), reference())) == {"reserve"}
    rows = reference_rows()
    for cid in ("k1", "k2", "w1", "p1", "b1"):
        rows[cid] = {**rows[cid], "status": "unscheduled", "date": "", "room_id": "",
                     "start": "", "end": "", "delay_days": "", "reason": "reserve"}  # fmt: skip
    assert "reserve" not in rules(check_schedule(scenario(reserve_min=500), table(rows.values())))


def test_the_reserve_in_the_summary_is_recomputed() -> None:
    sc = scenario(reserve={"general": 100})
    rows = [
        {"date": d, "specialty": "general", "reserve_min": 100, "session_min": 480,
         "elective_min": load, "free_min": 480 - load, "kept": True}
        for d, load in (("2024-04-15", 270), ("2024-04-16", 180), ("2024-04-17", 0))
    ]  # fmt: skip
    assert check_schedule(sc, reference(), {**reference_summary(), "reserve": rows}) == []
    rows[0] = {**rows[0], "elective_min": 200, "free_min": 280}
    assert rules(check_schedule(sc, reference(), {**reference_summary(), "reserve": rows})) == {
        "summary"
    }
