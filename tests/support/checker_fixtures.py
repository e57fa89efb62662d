"""A tiny hand-made world for the checker's tests: a scenario, a valid schedule, its summary.

The reference schedule below was worked out by hand to satisfy every rule of the
contract; each test breaks one thing and expects the checker to name that rule.

Horizon 2024-04-15 (D0) .. 2024-04-17 (D2), target 0.5, turnover 30 min.
Rooms: R1 hosts any specialty and has a fixed ``laser``; R2 hosts orthopaedics
only. Sessions: R1 08:00-16:00 on D0, D1, D2; R2 08:00-12:00 on D0 only.
Surgeon s2 has windows on D0 (11:00-11:45 and 11:45-13:00, touching), D1 and
D2; every other surgeon is absent from the surgeon file.

| case | planned | class | what the reference does |
|---|---|---|---|
| k1 | D0 R1 08:00, needs laser | soon | kept R1 08:00-09:00 |
| k2 | D0 R1 09:30 | soon | kept R1 09:30-11:00 (exactly the turnover after k1) |
| p1 | D0 | later | postponed to D1 R1 08:00-09:00 |
| w1 | waiting, surgeon s2 | urgent | scheduled D0 R1 11:30-12:00 (across s2's touching windows) |
| t1 | D1, transferable | soon | transferred to partner P on D1 |
| u1 | D3 (after the horizon) | later | unscheduled |
| b1 | D0 - 2 (backlog) | later | postponed to D1 R1 10:00-11:00, delay 3 |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from optimizer.check import COLUMNS, Violation
from optimizer.scenario.schema import (
    Case,
    PartnerCapacity,
    Policy,
    ResourceCapacity,
    Room,
    Scenario,
    Session,
    SurgeonWindow,
    UrgencyClass,
)

D0 = dt.date(2024, 4, 15)
D1 = D0 + dt.timedelta(days=1)
D2 = D0 + dt.timedelta(days=2)
D3 = D0 + dt.timedelta(days=3)


def hm(text: str) -> int:
    """Minutes after midnight of an ``HH:MM`` clock time."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


CLASSES = {
    "urgent": UrgencyClass(name="urgent", max_delay_days=1, weight=10.0),
    "soon": UrgencyClass(name="soon", max_delay_days=5, weight=2.0),
    "later": UrgencyClass(name="later", max_delay_days=None, weight=1.0),
}


def case(case_id: str, **fields: Any) -> Case:
    """A case with plain defaults: orthopaedics, its own surgeon, 60 min, class 'later'."""
    values: dict[str, Any] = {
        "specialty": "ortho",
        "surgeon_id": f"s_{case_id}",
        "duration_min": 60,
        "urgency": "later",
    }
    values.update(fields)
    return Case(case_id=case_id, **values)


def session(
    room_id: str, day: dt.date, start: str, end: str, specialty: str | None = None
) -> Session:
    return Session(date=day, room_id=room_id, start=hm(start), end=hm(end), specialty=specialty)


ROOMS = (
    Room(room_id="R1", equipment=frozenset({"laser"})),
    Room(room_id="R2", specialties=frozenset({"ortho"})),
)
SESSIONS = (
    session("R1", D0, "08:00", "16:00"),
    session("R1", D1, "08:00", "16:00"),
    session("R1", D2, "08:00", "16:00"),
    session("R2", D0, "08:00", "12:00"),
)
WINDOWS = (
    SurgeonWindow(surgeon_id="s2", date=D0, start=hm("11:00"), end=hm("11:45")),
    SurgeonWindow(surgeon_id="s2", date=D0, start=hm("11:45"), end=hm("13:00")),
    SurgeonWindow(surgeon_id="s2", date=D1, start=hm("08:00"), end=hm("12:00")),
    SurgeonWindow(surgeon_id="s2", date=D2, start=hm("08:00"), end=hm("16:00")),
)
PARTNERS = (PartnerCapacity(partner_id="P", date=D1, specialty="ortho", capacity=1),)


def reference_cases() -> dict[str, Case]:
    cases = [
        case("k1", urgency="soon", planned_date=D0, planned_room="R1", planned_start=hm("08:00"),
             equipment=("laser",)),
        case("k2", urgency="soon", planned_date=D0, planned_room="R1", planned_start=hm("09:30"),
             duration_min=90, surgeon_id="s1"),
        case("p1", planned_date=D0),
        case("w1", urgency="urgent", surgeon_id="s2", specialty="general", duration_min=30),
        case("t1", urgency="soon", planned_date=D1, transferable=True, duration_min=120),
        case("u1", planned_date=D3),
        case("b1", planned_date=D0 - dt.timedelta(days=2)),
    ]  # fmt: skip
    return {c.case_id: c for c in cases}


def scenario(
    cases: Iterable[Case] | None = None,
    *,
    rooms: Iterable[Room] = ROOMS,
    sessions: Iterable[Session] = SESSIONS,
    windows: Iterable[SurgeonWindow] = WINDOWS,
    resources: Iterable[ResourceCapacity] = (),
    partners: Iterable[PartnerCapacity] = PARTNERS,
    **policy: Any,
) -> Scenario:
    """The reference scenario, with any part replaced."""
    settings: dict[str, Any] = {
        "start_date": D0,
        "end_date": D2,
        "target_ratio": 0.5,
        "turnover_min": 30,
        "urgency": CLASSES,
    }
    settings.update(policy)
    return Scenario(
        cases=tuple(reference_cases().values() if cases is None else cases),
        rooms=tuple(rooms),
        sessions=tuple(sessions),
        surgeon_windows=tuple(windows),
        resources=tuple(resources),
        partners=tuple(partners),
        policy=Policy(**settings),
    )


def with_case(case_id: str, **fields: Any) -> list[Case]:
    """The reference cases with one case's fields changed."""
    cases = reference_cases()
    cases[case_id] = cases[case_id].model_copy(update=fields)
    return list(cases.values())


def row(
    case_id: str,
    status: str,
    date: dt.date | None = None,
    room: str = "",
    start: str = "",
    end: str = "",
    partner: str = "",
    delay: int | None = None,
    reason: str = "",
) -> dict[str, str]:
    """One schedule row as text cells, as ``read_schedule_csv`` returns them."""
    return {
        "case_id": case_id,
        "status": status,
        "date": "" if date is None else date.isoformat(),
        "room_id": room,
        "start": start,
        "end": end,
        "partner_id": partner,
        "delay_days": "" if delay is None else str(delay),
        "reason": reason,
    }


def reference_rows() -> dict[str, dict[str, str]]:
    rows = [
        row("k1", "kept", D0, "R1", "08:00", "09:00", delay=0),
        row("k2", "kept", D0, "R1", "09:30", "11:00", delay=0),
        row("p1", "postponed", D1, "R1", "08:00", "09:00", delay=1, reason="room closed"),
        row("w1", "scheduled", D0, "R1", "11:30", "12:00"),
        row("t1", "transferred", D1, partner="P", delay=0, reason="no room left"),
        row("u1", "unscheduled", reason="planned after the horizon"),
        row("b1", "postponed", D1, "R1", "10:00", "11:00", delay=3, reason="backlog"),
    ]
    return {r["case_id"]: r for r in rows}


def table(rows: Iterable[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def with_row(case_id: str, **cells: Any) -> pd.DataFrame:
    """The reference schedule with one row's cells changed (keyword = column name)."""
    rows = reference_rows()
    rows[case_id] = {**rows[case_id], **cells}
    return table(rows.values())


def reference_summary() -> dict[str, Any]:
    """summary.json of the reference: D0 keeps 2 of 3 (k1, k2 of k1, k2, p1), D1 0 of 1 (t1)."""
    return {
        "target_ratio": 0.5,
        "dates": [
            {"date": "2024-04-15", "planned": 3, "kept": 2, "ratio": 0.67, "target_met": True},
            {"date": "2024-04-16", "planned": 1, "kept": 0, "ratio": 0.0, "target_met": False},
        ],
        "totals": {
            "planned": 4,
            "kept": 2,
            "ratio": 0.5,
            "postponed": 2,
            "transferred": 1,
            "unscheduled": 1,
            "deadline_misses": 0,
        },
        "solver": {"status": "OPTIMAL", "objective": 0.0, "best_bound": 0.0, "wall_time_s": 0.1},
    }


def rules(violations: Iterable[Violation]) -> set[str]:
    return {v.rule for v in violations}
