"""Where a schedule puts a case, in the user's ids: the one idea the explanations, the
announced appointments, the calls and the re-plan share (:class:`Booking`), and the
appointment a patient holds before a revision (:class:`Slot`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

OPERATED = frozenset({"kept", "postponed", "scheduled"})
STATUSES = OPERATED | {"transferred", "unscheduled"}


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


@dataclass(frozen=True)
class Slot:
    """An appointment as the patient knows it: a date, and the room (a partner's id for an
    announced transfer) and start (minutes after midnight) when they were given."""

    date: dt.date
    room: str | None = None
    start: int | None = None
