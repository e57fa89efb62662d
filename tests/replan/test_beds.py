"""Re-planning with beds: the cases done this morning still hold their beds for the rest of
their stay, so the next scenario has that many fewer (and the result passes the checker)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import optimizer
from optimizer.check import check_result_folder
from optimizer.facts.booking import Booking as Slot
from optimizer.replan.beds import beds_left
from optimizer.replan.files import read_previous
from optimizer.replan.morning import next_morning
from optimizer.scenario.schema import (
    Case,
    ExtraResource,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
)

D1, D2, D3, D4 = (dt.date(2024, 4, 16) + dt.timedelta(days=k) for k in range(4))


def bed_rows(name: str, capacity: int) -> list[ResourceCapacity]:
    return [ResourceCapacity(date=d, resource=name, capacity=capacity) for d in (D1, D2, D3, D4)]


def hospital() -> Scenario:
    """A (2 ICU days, then 1 ward day) and B (2 ward days, from its surgery date) are
    planned on D1; C (ICU) on D2. Two ICU beds and two ward beds a date, rows past the
    horizon's end D3 too."""
    cases = [
        Case(case_id="A", specialty="gen", surgeon_id="SA", duration_min=60, urgency="P2",
             planned_date=D1, planned_room="R1", planned_start=480, needs_icu=True,
             icu_days=2, ward_days=1),
        Case(case_id="B", specialty="gen", surgeon_id="SB", duration_min=60, urgency="P2",
             planned_date=D1, planned_room="R1", planned_start=600, ward_days=2),
        Case(case_id="C", specialty="gen", surgeon_id="SC", duration_min=60, urgency="P2",
             planned_date=D2, planned_room="R1", planned_start=480, needs_icu=True),
    ]  # fmt: skip
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"),),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=720) for d in (D1, D2, D3)),
        resources=(*bed_rows("icu_bed", 2), *bed_rows("ward_bed", 2)),
        policy=Policy(start_date=D1, end_date=D3),
    )


def test_beds_left_lowers_the_rows_a_done_stay_covers() -> None:
    """A done on D1 holds ICU on D1, D2 and the ward on D3; a transfer holds nothing."""
    a = hospital().cases[0]
    left = beds_left(
        [*bed_rows("icu_bed", 2), *bed_rows("ward_bed", 2)],
        [(a, Slot("kept", D1, "R1", 480)), (a, Slot("transferred", D1, partner="P"))],
    )
    got = {(r.resource, r.date): r.capacity for r in left}
    assert got[("icu_bed", D1)] == got[("icu_bed", D2)] == 1
    assert got[("icu_bed", D3)] == got[("icu_bed", D4)] == 2
    assert got[("ward_bed", D3)] == 1 and got[("ward_bed", D2)] == got[("ward_bed", D4)] == 2


def test_the_next_morning_has_fewer_beds(tmp_path: Path) -> None:
    """On D2, A and B are done: the ICU has one bed left on D2 (A's), the ward one on D3
    (A's, after its ICU stay), and one on D2 (B's second ward date). C still fits and the
    re-planned result passes the checker against its own scenario."""
    first = optimizer.write_result(
        optimizer.solve(hospital(), workers=1, work_limit=2, seed=0), tmp_path / "day1"
    )
    plan = next_morning(read_previous(first), D2)
    got = {(r.resource, r.date): r.capacity for r in plan.scenario.resources}
    assert got[("icu_bed", D2)] == 1 and got[("icu_bed", D3)] == 2
    assert got[("ward_bed", D2)] == 1 and got[("ward_bed", D3)] == 1
    assert got[("ward_bed", D4)] == 2
    result = optimizer.solve(plan.scenario, workers=1, work_limit=2, seed=0)
    out = optimizer.write_result(result, tmp_path / "day2")
    assert check_result_folder(plan.scenario, out) == []
    assert result.schedule.set_index("case_id").loc["C", "status"] == "kept"


def test_the_next_morning_carries_the_extra_beds_on_offer(tmp_path: Path) -> None:
    """extra_resources.csv goes on from --today, as extra_sessions.csv does: the row of D1
    is gone, those of D2 (a bed row lowered by A's stay) and D4 (after the horizon) stay."""
    offer = tuple(
        ExtraResource(resource=bed, date=d, extra=1, cost=500.0)
        for bed, d in (("icu_bed", D1), ("icu_bed", D2), ("ward_bed", D4))
    )
    sc = hospital().model_copy(update={"extra_resources": offer})
    first = optimizer.write_result(optimizer.solve(sc, workers=1, work_limit=2, seed=0),
                                   tmp_path / "day1")  # fmt: skip
    plan = next_morning(read_previous(first), D2)
    assert plan.scenario.extra_resources == offer[1:]
