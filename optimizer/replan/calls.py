"""The patients to call (``calls.csv``), the announced-appointment figures, and ``done.csv``.

``calls.csv`` lists one row per patient whose appointment changes: from the
announced slot when there is one (an unchanged announced slot is not called
again), else per the contract's list (postponed, transferred, unscheduled,
kept in another room or at another start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..clock import format_time
from ..scenario.schema import Scenario
from .morning import DoneCase
from .slots import is_called, old_slot, slot_of

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
DONE_COLUMNS = ["case_id", "status", "date", "room_id", "start", "end", "partner_id", "source"]


def calls_rows(scenario: Scenario, rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """``calls.csv`` rows: by old date (none last), then the most urgent first, then case id."""
    rank = scenario.policy.urgency_rank
    out = []
    for c, row in zip(scenario.cases, rows, strict=True):
        new = slot_of(row)
        if not is_called(c, new, scenario.policy):
            continue
        old = old_slot(c)
        key = (old.date or dt.date.max, rank[c.urgency], c.case_id)
        out.append(
            (
                key,
                [
                    c.case_id,
                    c.surgeon_id,
                    c.specialty,
                    c.urgency,
                    old.date.isoformat() if old.date else None,
                    old.room,
                    format_time(old.start) if old.start is not None else None,
                    row["status"],
                    row.get("date"),
                    row.get("room_id"),
                    row.get("start"),
                    row.get("partner_id"),
                    row.get("reason"),
                ],
            )
        )
    return [r for _, r in sorted(out, key=lambda kr: kr[0])]


def done_rows(done: Iterable[DoneCase]) -> list[list[Any]]:
    """``done.csv`` rows, in the previous result's order."""
    out = []
    for d in done:
        s = d.slot
        date = room = start = end = partner = None
        if s is not None:
            date, room, partner = s.date.isoformat() if s.date else None, s.room, s.partner
            if s.start is not None:
                start, end = format_time(s.start), format_time(s.start + d.case.duration_min)
        out.append([d.case.case_id, d.status, date, room, start, end, partner, d.source])
    return out
