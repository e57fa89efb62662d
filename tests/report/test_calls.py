"""The patients to call (``calls.csv``): who is on the list, in which order, with what."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from pathlib import Path
from typing import Any

from optimizer import solve
from optimizer.result.calls import CALLS_COLUMNS, call_rows, placed_of_cells
from optimizer.result.output import unescape_cell, write_result
from optimizer.scenario.schema import Case, PartnerCapacity, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)
AFTER = dt.date(2024, 4, 30)


def case(cid: str, urgency: str = "P3", day: dt.date | None = D1, **kw: Any) -> Case:
    planned = {"planned_room": "R1", "planned_start": 480} if day is not None else {}
    return Case(
        case_id=cid,
        specialty="gen",
        surgeon_id=f"S_{cid}",
        duration_min=60,
        urgency=urgency,
        planned_date=day,
        **{**planned, **kw},
    )


def scenario(cases: list[Case]) -> Scenario:
    return Scenario(
        cases=tuple(cases),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=(Session(date=D1, room_id="R1", start=480, end=720),),
        policy=Policy(start_date=D1, end_date=D2),
    )


def row(
    cid: str,
    status: str,
    date: str | None,
    room: str | None = None,
    start: str | None = None,
    partner: str | None = None,
    reason: str = "",
) -> dict[str, Any]:
    return {
        "case_id": cid,
        "status": status,
        "date": date,
        "room_id": room,
        "start": start,
        "partner_id": partner,
        "reason": reason,
    }


def test_who_is_called() -> None:
    """Called: postponed, transferred, unscheduled, kept in another room or at another time,
    and a waiting case given a date (the patient is called in).

    Not called: kept as planned, a case planned after the horizon (this run does not decide
    it).
    """
    sc = scenario(
        [
            case("KEPT"),
            case("MOVED_TIME"),
            case("MOVED_ROOM"),
            case("POSTPONED"),
            case("TRANSFERRED"),
            case("UNSCHEDULED"),
            case("WAITING", day=None),
            case("LATER", day=AFTER),
            case("NO_SLOT", planned_room=None, planned_start=None),
        ]
    )
    rows = [
        row("KEPT", "kept", "2024-04-16", "R1", "08:00"),
        row("MOVED_TIME", "kept", "2024-04-16", "R1", "09:30", reason="kept, moved"),
        row("MOVED_ROOM", "kept", "2024-04-16", "R2", "08:00", reason="kept, moved"),
        row("POSTPONED", "postponed", "2024-04-17", "R1", "08:00", reason="room full"),
        row("TRANSFERRED", "transferred", "2024-04-16", partner="CH_X", reason="sent"),
        row("UNSCHEDULED", "unscheduled", None, reason="no slot"),
        row("WAITING", "scheduled", "2024-04-17", "R1", "10:00"),
        row("LATER", "unscheduled", None, reason="outside this run"),
        row("NO_SLOT", "kept", "2024-04-16", "R2", "11:00"),
    ]
    called = {c["case_id"] for c in call_rows(sc, placed_of_cells(rows))}
    assert called == {
        "MOVED_TIME", "MOVED_ROOM", "POSTPONED", "TRANSFERRED", "UNSCHEDULED", "WAITING"
    }  # fmt: skip


def test_order_and_cells() -> None:
    """Sorted by old date, then the most urgent class first; the new slot of a transfer is
    its date and partner, no room; an unscheduled case has no new date."""
    sc = scenario(
        [
            case("B_P3_D2", "P3", D2),
            case("A_P4_D1", "P4"),
            case("C_P1a_D1", "P1a"),
            case("D_P2_D1", "P2"),
        ]
    )
    rows = [
        row("B_P3_D2", "unscheduled", None, reason="no slot"),
        row("A_P4_D1", "postponed", "2024-04-17", "R1", "10:00", reason="later"),
        row("C_P1a_D1", "transferred", "2024-04-16", partner="CH_X", reason="sent"),
        row("D_P2_D1", "postponed", "2024-04-17", "R2", "08:00", reason="later"),
    ]
    calls = call_rows(sc, placed_of_cells(rows))
    assert [c["case_id"] for c in calls] == ["C_P1a_D1", "D_P2_D1", "A_P4_D1", "B_P3_D2"]
    assert list(calls[0]) == CALLS_COLUMNS
    c = calls[0]
    assert (c["old_date"], c["old_room"], c["old_start"]) == ("2024-04-16", "R1", "08:00")
    assert (c["new_date"], c["new_room"], c["new_start"], c["partner_id"]) == (
        "2024-04-16",
        None,
        None,
        "CH_X",
    )
    assert calls[-1]["new_date"] is None and calls[-1]["reason"] == "no slot"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: unescape_cell(v) for k, v in r.items()} for r in csv.DictReader(fh)]


def test_result_folder_holds_calls_csv(tmp_path: Path) -> None:
    """A solved result writes calls.csv, its ids escaped like schedule.csv's and read back,
    with a UTF-8 byte order mark (Excel then reads its accents right).

    One 2 h session for three 60-min cases (turnover 30): two fit, the P4 one
    (``=P4``, a formula-looking id) moves to a partner or waits; it is called.
    """
    sc = Scenario(
        cases=(
            case("A", "P1a"),
            case("B", "P2", planned_start=570),
            case("=P4", "P4", planned_start=660, transferable=True),
        ),
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D1, room_id="R1", start=480, end=630),),
        partners=(PartnerCapacity(partner_id="CH_X", date=D1, specialty="gen", capacity=1),),
        policy=Policy(start_date=D1, end_date=D2),
    )
    result = solve(sc, workers=1, work_limit=2, time_limit=10)
    out = write_result(result, tmp_path / "out")
    data = (out / "calls.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert not (out / "schedule.csv").read_bytes().startswith(codecs.BOM_UTF8)
    raw = data.decode("utf-8-sig")
    assert raw.splitlines()[0] == ",".join(CALLS_COLUMNS)
    assert "'=P4" in raw
    calls = read_csv(out / "calls.csv")
    assert [c["case_id"] for c in calls] == list(result.calls["case_id"])
    assert "=P4" in {c["case_id"] for c in calls}
    assert all(c["reason"] for c in calls)
