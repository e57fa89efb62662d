"""A schedule row, typed where it is made: one per case, the line ``schedule.csv`` writes.

The solution (in indices) becomes :class:`ScheduleRow` objects once, in
:func:`schedule_rows`; the DataFrame ``Result.schedule`` and the file are
derived from them (:meth:`ScheduleRow.cells` gives the text the file holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..clock import format_time
from ..explain import Reasons, bookings_from_solution, reasons
from ..facts.booking import Booking
from ..facts.candidates import Candidates
from ..facts.solution import Solution
from ..i18n import DEFAULT_LANG, Lang

# The contract's columns of schedule.csv, then the project's additions.
CONTRACT_COLUMNS = (
    "case_id",
    "status",
    "date",
    "room_id",
    "start",
    "end",
    "partner_id",
    "delay_days",
    "reason",
)
SCHEDULE_COLUMNS = [
    *CONTRACT_COLUMNS,
    "cause",
    "blocking",
    "urgency",
    "deadline",
    "deadline_missed",
]


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """Where the revised schedule puts one case, and why (the columns of ``schedule.csv``).

    Attributes
    ----------
    status
        ``kept``, ``postponed``, ``scheduled`` (a waiting case given a date),
        ``transferred`` or ``unscheduled``.
    date, room_id, start, end
        The date, and for a case operated here its room and its start and end in
        minutes after midnight; ``None`` where there is none.
    partner_id
        The partner hospital of a transferred case.
    delay_days
        Days after the planned date (``None`` for a waiting case or no date).
    reason, cause, blocking
        Why the case is not kept as planned: the sentence (empty when kept), the
        cause's code and the cases that block it.
    urgency, deadline, deadline_missed
        The case's class, its deadline, and whether this schedule misses it.
    call_reason
        The reason ``calls.csv`` gives when the patient is called: from the appointment
        they hold (not a column of ``schedule.csv``).
    """

    case_id: str
    status: str
    date: dt.date | None
    room_id: str | None
    start: int | None
    end: int | None
    partner_id: str | None
    delay_days: int | None
    reason: str
    cause: str | None
    blocking: str | None
    urgency: str
    deadline: dt.date | None
    deadline_missed: bool
    call_reason: str = ""

    @property
    def booking(self) -> Booking:
        """Where the case is, as the explanations, calls and re-plan compare places."""
        return Booking(self.status, self.date, self.room_id, self.start, self.partner_id)

    def cells(self) -> dict[str, Any]:
        """The row as ``schedule.csv`` writes it: dates ISO, times ``HH:MM``."""
        return {
            "case_id": self.case_id,
            "status": self.status,
            "date": _iso(self.date),
            "room_id": self.room_id,
            "start": None if self.start is None else format_time(self.start),
            "end": None if self.end is None else format_time(self.end),
            "partner_id": self.partner_id,
            "delay_days": self.delay_days,
            "reason": self.reason,
            "cause": self.cause,
            "blocking": self.blocking,
            "urgency": self.urgency,
            "deadline": _iso(self.deadline),
            "deadline_missed": self.deadline_missed,
        }


def _iso(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def schedule_frame(rows: Sequence[ScheduleRow]) -> pd.DataFrame:
    """The rows as a DataFrame of the schedule's columns (``delay_days`` a nullable integer)."""
    df = pd.DataFrame([r.cells() for r in rows], columns=SCHEDULE_COLUMNS)
    df["delay_days"] = df["delay_days"].astype("Int64")
    return df


def _days_between(planned: dt.date | None, date: dt.date | None) -> int | None:
    return None if planned is None or date is None else (date - planned).days


def schedule_rows(
    cand: Candidates, solution: Solution, lang: Lang = DEFAULT_LANG, given: Reasons | None = None
) -> tuple[ScheduleRow, ...]:
    """One row per case of ``cand.scenario``, in its order, for ``solution``; ``given``: the
    reasons already worked out (default: each in full)."""
    said = given or reasons(cand, solution, lang)
    why = said.rows
    placed = bookings_from_solution(cand, solution)
    rows = []
    for i, (c, b) in enumerate(zip(cand.cases, placed, strict=True)):
        p, dl_day = solution[i], cand.deadline_day[i]
        rows.append(
            ScheduleRow(
                case_id=c.case_id,
                status=b.status,
                date=b.date,
                room_id=b.room,
                start=b.start,
                end=None if b.start is None else b.start + c.duration_min,
                partner_id=b.partner,
                delay_days=_days_between(c.planned_date, b.date),
                reason=why[i][2],
                cause=why[i][0] or None,
                blocking=why[i][1] or None,
                urgency=c.urgency,
                deadline=cand.scenario.deadline(c),
                deadline_missed=dl_day is not None and (p is None or p.day > dl_day),
                call_reason=said.calls[i],
            )
        )
    return tuple(rows)
