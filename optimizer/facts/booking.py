"""Where a schedule puts a case, in the user's ids: the one idea the explanations, the
announced appointments, the calls and the re-plan share (:class:`Booking`), and the
appointment a patient holds before a revision (:class:`Slot`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATED = frozenset({"kept", "postponed", "scheduled"})
STATUSES = OPERATED | {"transferred", "unscheduled"}
# a clock time as the schedule writes it; past 24:00 in overtime past midnight
_CLOCK = re.compile(r"([0-9]{1,3}):([0-5][0-9])(?::00)?\Z")


@dataclass(frozen=True)
class Booking:
    """Operated here (``room`` and ``start``), transferred (``partner``), or nowhere.

    ``status`` is the schedule's (``kept``, ``postponed``, ``scheduled``,
    ``transferred``, ``unscheduled``).
    """

    status: str
    date: dt.date | None = None
    room: str | None = None
    start: int | None = None
    partner: str | None = None

    @property
    def here(self) -> bool:
        """Operated in the hospital (with a room and a start)."""
        return self.status in OPERATED

    def begun(self, day: dt.date, now: int | None) -> bool:
        """Operated here on ``day`` from a start before ``now`` (minutes after midnight): under
        way when the plan is made at ``now`` that day (``replan --now``)."""
        if now is None or not self.here or self.date != day or self.start is None:
            return False
        return self.start < now

    @classmethod
    def from_cells(cls, row: Mapping[str, Any]) -> Booking:
        """A row of ``schedule.csv`` read as text (empty, ``None`` or NaN: no value).

        Raises
        ------
        ValueError
            A date or a start that is not one, named by its column.
        """
        date, start = _cell(row.get("date")), _cell(row.get("start"))
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise ValueError(f"date: {date!r} is not a date YYYY-MM-DD") from None
        clock = _CLOCK.match(start)
        if start and clock is None:
            raise ValueError(f"start: {start!r} is not a clock time HH:MM")
        minutes = None if clock is None else int(clock[1]) * 60 + int(clock[2])
        return cls(
            status=_cell(row.get("status")),
            date=day,
            room=_cell(row.get("room_id")) or None,
            start=minutes,
            partner=_cell(row.get("partner_id")) or None,
        )


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):  # NaN: an empty cell in a DataFrame
        return ""
    return str(v).strip()


@dataclass(frozen=True)
class Slot:
    """An appointment as the patient knows it: a date, and the room (a partner's id for an
    announced transfer) and start (minutes after midnight) when they were given."""

    date: dt.date
    room: str | None = None
    start: int | None = None
