"""A small solved result folder with every kind of appointment, for the export tests.

Two rooms over two dates; room ``Salle 2/B`` (a risky id: a space, a slash)
is closed on the first date. Its cases must go elsewhere: one emergency to
``R1``, the other to the partner (an emergency may not wait), the P4 case with
a risky id to day 2, ``LONG`` (500 min, longer than any session) is left
without a date; ``N1``, planned, whose patient an earlier revision already told there
was no date, is given one (an S13 in HL7: a planned patient is never on the waiting
list); ``W1``, from the waiting list, is given a date and called in (an S12).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from optimizer import solve
from optimizer.result.output import unescape_cell, write_result
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)
CLOSED = "Salle 2/B"
RISKY = "B3 |é^&~\\x"  # every HL7 separator, an accent, a space
NOW = dt.datetime(2024, 4, 16, 6, 30)  # made aware in the hospital's zone by the tests


def export_scenario(timezone: str = "Europe/Paris") -> Scenario:
    def case(cid: str, urgency: str, room: str, start: int, **kw: Any) -> Case:
        values: dict[str, Any] = {"duration_min": 90, **kw}
        return Case(
            case_id=cid, specialty="gen", surgeon_id=f"S{cid[:2]}", urgency=urgency,
            planned_date=D1, planned_room=room, planned_start=start, **values,
        )  # fmt: skip

    cases = (
        case("A1", "P2", "R1", 480, pinned=True),
        case("A2", "P3", "R1", 600, pinned=True),
        case("B1", "EMERGENCY", CLOSED, 480, transferable=True),
        case("B2", "EMERGENCY", CLOSED, 600, transferable=True),
        case(RISKY, "P4", CLOSED, 720),
        case("LONG", "P4", CLOSED, 480, duration_min=500),
        case("N1", "P3", CLOSED, 900, duration_min=60, announced_count=1),
        Case(case_id="W1", specialty="gen", surgeon_id="SW", duration_min=60, urgency="P4"),
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"), Room(room_id=CLOSED)),
        sessions=(
            Session(date=D1, room_id="R1", start=480, end=840),
            Session(date=D2, room_id="R1", start=480, end=960),
            Session(date=D2, room_id=CLOSED, start=480, end=720),
        ),
        partners=(PartnerCapacity(partner_id="CH_Grasse", date=D1, specialty="gen", capacity=1),),
        policy=Policy(start_date=D1, end_date=D2, timezone=timezone),
        name="export",
    )


def write_export_result(folder: Path, timezone: str = "Europe/Paris") -> Path:
    result = solve(export_scenario(timezone), workers=1, work_limit=5, time_limit=20, seed=0)
    return write_result(result, folder)


def read_rows(path: Path) -> list[dict[str, str]]:
    """A result file's rows, cells unescaped as the contract says."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape_cell(v) for k, v in r.items()} for r in csv.DictReader(fh)]


_HL7_ESCAPES = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}


def hl7_unescape(text: str) -> str:
    """An HL7 value as written, its escape sequences read back."""
    return re.sub(r"\\([FSTRE])\\", lambda m: _HL7_ESCAPES[m.group(1)], text)
