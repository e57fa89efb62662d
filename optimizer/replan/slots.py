"""A patient's appointment, old and new: what the re-plan compares.

One owner for the question "did this patient's appointment change?", asked
by the objective's stability level, by ``calls.csv``, by the summary and by
the next morning's ``announced_count``. The *old slot* of a case is its
announced appointment when it has one, else its planned slot; a new slot is
where a schedule puts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..scenario.cells import parse_time
from ..scenario.schema import Case, Policy, Scenario

OPERATED = frozenset({"kept", "postponed", "scheduled"})
STATUSES = OPERATED | {"transferred", "unscheduled"}


@dataclass(frozen=True)
class Slot:
    """Where a schedule puts a case: operated here (room and start), transferred, or nowhere."""

    status: str
    date: dt.date | None = None
    room: str | None = None
    start: int | None = None
    partner: str | None = None

    @property
    def here(self) -> bool:
        return self.status in OPERATED


@dataclass(frozen=True)
class OldSlot:
    """The appointment a patient holds: date, and room and start where they were given."""

    date: dt.date | None
    room: str | None
    start: int | None
    announced: bool  # from announced_* (else the planned slot)


def old_slot(case: Case) -> OldSlot:
    """The announced appointment when the case has one, else its planned slot."""
    if case.announced:
        return OldSlot(case.announced_date, case.announced_room, case.announced_start, True)
    return OldSlot(case.planned_date, case.planned_room, case.planned_start, False)


# Changes of an announced appointment, as the stability level counts them.
ROOM_OR_TIME_CHANGE = 1
DATE_CHANGE = 2


def announced_change(case: Case, new: Slot) -> int:
    """How much an announced appointment changes: 0 kept, 1 room or time, 2 date (or gone).

    A date change (and a transfer, or no date at all) costs the patient a new
    day off, a new escort, perhaps a new pre-operative visit: it counts twice
    a change of room or start on the same day.
    """
    if not case.announced:
        return 0
    if not new.here or new.date != case.announced_date:
        return DATE_CHANGE
    if case.announced_room is not None and new.room != case.announced_room:
        return ROOM_OR_TIME_CHANGE
    if case.announced_start is not None and new.start != case.announced_start:
        return ROOM_OR_TIME_CHANGE
    return 0


def is_called(case: Case, new: Slot, policy: Policy) -> bool:
    """Whether the patient must be called (a row of ``calls.csv``).

    With an announced appointment: any change from it. A patient already told
    there is no date for now (no announced slot, ``announced_count`` above 0:
    unscheduled or cancelled on the day by an earlier revision) is called when
    given one, or a transfer. Otherwise the contract's list: postponed,
    transferred, unscheduled, or kept in another room or at another start
    than planned. Nothing changes for a case planned after the horizon
    (outside the run) or a waiting case left on the waiting list: they are
    not called.
    """
    if case.announced:
        return announced_change(case, new) > 0
    if case.announced_count:
        return new.status != "unscheduled"
    if case.planned_date is None:
        return new.status == "transferred"
    if case.planned_date > policy.end_date:
        return False
    if new.status in ("postponed", "transferred", "unscheduled"):
        return True
    if new.status == "kept":
        moved_room = case.planned_room is not None and new.room != case.planned_room
        moved_start = case.planned_start is not None and new.start != case.planned_start
        return moved_room or moved_start
    return False


def slot_of(row: Mapping[str, Any]) -> Slot:
    """A schedule row (as ``Result.rows`` holds it) as a :class:`Slot`."""
    date = row.get("date")
    start = row.get("start")
    return Slot(
        status=row["status"],
        date=dt.date.fromisoformat(date) if date else None,
        room=row.get("room_id") or None,
        start=parse_time(start) if start else None,
        partner=row.get("partner_id") or None,
    )


def announced_summary(scenario: Scenario, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Announced appointments kept and changed, and patients re-announced more than once.

    ``reannounced_more_than_once`` counts the patients whose appointment has
    now been changed at least twice: ``announced_count`` (the changes of
    earlier revisions) plus one if this schedule calls them.
    """
    kept = changed = date_changed = more_than_once = 0
    for c, row in zip(scenario.cases, rows, strict=True):
        new = slot_of(row)
        change = announced_change(c, new)
        if c.announced:
            kept += change == 0
            changed += change > 0
            date_changed += change == DATE_CHANGE
        more_than_once += c.announced_count + is_called(c, new, scenario.policy) >= 2
    return {
        "announced": kept + changed,
        "kept": kept,
        "changed": changed,
        "date_changed": date_changed,
        "reannounced_more_than_once": more_than_once,
    }


def kept_as_announced(case: Case, new: Slot) -> bool:
    """The case holds its announced appointment unchanged: the hook for the ``stability`` cause.

    The contract's ``cause`` column (built by the explanations) says
    ``stability`` on a row that is not kept in its planned room and start
    when it was "kept as announced rather than moved". The explanations
    should ask this only after finding no other limit that binds on the
    planned date (room closed, capacity taken...): then what keeps the case
    away from its planned slot is its announced appointment.
    """
    return case.announced and new.here and announced_change(case, new) == 0
