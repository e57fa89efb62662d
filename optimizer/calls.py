"""The patients to call: one row per patient whose appointment changes (``calls.csv``).

A patient holds an appointment, the *old slot* (:func:`old_slot`): today the
planned date, room and start of the case. A patient is called when the
revised schedule gives them something else: another date, another room or
start, a partner hospital, or no date in this run. The list is what the
secretaries work through by phone, so it is sorted by the old date (the
soonest appointments first), then the most urgent first.

Two kinds of case are left off, because no appointment of theirs changes:
a waiting case (it had no appointment; when it gets a date it is booked,
not called about) and a case planned after the horizon (this run does not
decide it; it is written ``unscheduled`` only because it lies outside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .clock import format_time
from .scenario.schema import Case, Scenario

CALLS_COLUMNS = [
    "case_id",
    "surgeon_id",
    "specialty",
    "urgency",
    "old_date",
    "old_room",
    "old_start",
    "status",
    "new_date",
    "new_room",
    "new_start",
    "partner_id",
    "reason",
]


@dataclass(frozen=True)
class Slot:
    """An appointment as the patient knows it; room and start may be unknown (``None``)."""

    date: dt.date
    room: str | None
    start: str | None  # ``HH:MM``, as written in schedule.csv


def old_slot(case: Case) -> Slot | None:
    """The appointment the patient holds before this revision, or ``None`` (a waiting case).

    The one place that decides it: the planned slot today. When cases carry an
    announced appointment (a previous revision's slot), that is the one the
    patient knows, and it belongs here.
    """
    if case.planned_date is None:
        return None
    start = format_time(case.planned_start) if case.planned_start is not None else None
    return Slot(case.planned_date, case.planned_room, start)


def _changes(old: Slot, row: Mapping[str, Any]) -> bool:
    """Whether the revised row gives the patient another appointment than ``old``."""
    if row["status"] in ("transferred", "unscheduled"):
        return True
    if row["date"] != old.date.isoformat():
        return True
    if old.room is not None and row["room_id"] != old.room:
        return True
    return old.start is not None and row["start"] != old.start


def call_rows(scenario: Scenario, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``calls.csv``: cases of ``scenario`` whose schedule ``rows`` change their slot.

    ``rows`` are the schedule's rows (``schedule.csv`` columns), one per case in
    the scenario's order.
    """
    policy = scenario.policy
    rank = policy.urgency_rank
    out: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for case, row in zip(scenario.cases, rows, strict=True):
        old = old_slot(case)
        if old is None or old.date > policy.end_date or not _changes(old, row):
            continue
        here = row["status"] not in ("transferred", "unscheduled")
        call = {
            "case_id": case.case_id,
            "surgeon_id": case.surgeon_id,
            "specialty": case.specialty,
            "urgency": case.urgency,
            "old_date": old.date.isoformat(),
            "old_room": old.room,
            "old_start": old.start,
            "status": row["status"],
            "new_date": row["date"],
            "new_room": row["room_id"] if here else None,
            "new_start": row["start"] if here else None,
            "partner_id": row["partner_id"],
            "reason": row["reason"],
        }
        key = (old.date, rank[case.urgency], old.room or "", old.start or "", case.case_id)
        out.append((key, call))
    return [call for _, call in sorted(out, key=lambda kc: kc[0])]
