"""A tiny solved result folder for the report tests (one solve, shared per session)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from optimizer import solve
from optimizer.result.output import write_result
from optimizer.result.result import Result
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)


def small_scenario(language: str = "en") -> Scenario:
    """Two rooms over two dates; room R2 is closed on the first date.

    Its three cases must go elsewhere: R1 has room for one more on day 1
    (08:00-14:00 holds three 90-min cases with turnover 30; A1 and A2 are
    pinned), so of the two
    emergencies one moves to R1 and the other is transferred to CH_Grasse (an
    emergency may not wait); the P4 case waits for day 2. The waiting case may
    take what is left on day 2.
    """

    def case(cid: str, urgency: str, room: str, start: int, **kw: object) -> Case:
        return Case(
            case_id=cid,
            specialty="gen",
            surgeon_id=f"S{cid}",
            duration_min=90,
            urgency=urgency,
            planned_date=D1,
            planned_room=room,
            planned_start=start,
            **kw,
        )  # type: ignore[arg-type]

    cases = (
        case("A1", "P2", "R1", 480, flags=frozenset({"latex_allergy"}), pinned=True),
        case("A2", "P3", "R1", 600, equipment=("c_arm",), pinned=True),
        case("B1", "EMERGENCY", "R2", 480, transferable=True),
        case("B2", "EMERGENCY", "R2", 600, transferable=True),
        case("B3", "P4", "R2", 720),
        Case(case_id="W1", specialty="gen", surgeon_id="SW", duration_min=60, urgency="P4"),
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1", equipment=frozenset({"c_arm"})), Room(room_id="R2")),
        sessions=(
            Session(date=D1, room_id="R1", start=480, end=840),
            Session(date=D2, room_id="R1", start=480, end=960),
            Session(date=D2, room_id="R2", start=480, end=720),
        ),
        partners=(PartnerCapacity(partner_id="CH_Grasse", date=D1, specialty="gen", capacity=1),),
        policy=Policy(start_date=D1, end_date=D2, language=language),  # type: ignore[arg-type]
        name="small",
    )


def solved(scenario: Scenario) -> Result:
    return solve(scenario, workers=1, work_limit=5, time_limit=20, seed=0)


def write_small_result(folder: Path, language: str = "en") -> Result:
    result = solved(small_scenario(language))
    write_result(result, folder)
    return result
