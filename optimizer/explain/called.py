"""Why a patient is called when no cause applies: the reason a secretary reads on the phone.

A cause (:mod:`.causes`) explains a case not kept as planned. Two kinds of
patients are called without one: a waiting-list case given a date (status
``scheduled``, on time), and a case back on its planned slot whose patient
was announced another one by an earlier revision (status ``kept``; called
again). Their reason says what is so, from the case and where the schedule
puts it: the date, room and start they are called in for, and the
appointment announced before, when there was one.
"""

from __future__ import annotations

from ..facts.booking import Booking
from ..i18n import Lang
from ..scenario.schema import Case
from .findings import Clock, Finding, Part, Value, place
from .words import render, render_part


def call_part(case: Case, new: Booking) -> Part | None:
    """What a waiting case given a date, or a case back on its planned slot, is told;
    ``None`` for any other place (its cause says why)."""
    if not new.here or new.room is None or new.start is None or new.date is None:
        return None
    fields: dict[str, Value] = {"date": new.date, "room": new.room, "start": Clock(new.start)}
    if new.status == "scheduled":
        if case.announced_date is None:
            return Part("waiting_called_in", fields)
        if _same_slot(case, new):
            return Part("waiting_as_announced", fields)
        return Part("waiting_moved", {**fields, "announced": _announced(case)})
    if new.status == "kept" and _in_planned_place(case, new):
        if case.announced_date is None:  # an earlier revision left the patient without a date
            return Part("back_to_planned_no_date", fields) if case.announced_count > 0 else None
        if _same_slot(case, new):
            return None
        return Part("back_to_planned", {**fields, "announced": _announced(case)})
    return None


def call_reason(case: Case, new: Booking, lang: Lang) -> str:
    """:func:`call_part` in words, ``""`` when it has none."""
    part = call_part(case, new)
    return "" if part is None else render_part(part, lang)


def said_reason(finding: Finding | None, case: Case, new: Booking, lang: Lang) -> str:
    """The reason a case's row says: its finding's words, else what a waiting case given a
    date on time is called in for (``""`` for a case kept as planned)."""
    if finding is not None:
        return render(finding, lang)
    return call_reason(case, new, lang) if new.status == "scheduled" else ""


def _in_planned_place(case: Case, new: Booking) -> bool:
    """``new`` is the planned date, and the planned room and start where the plan gave them."""
    return (
        case.planned_date == new.date
        and case.planned_room in (None, new.room)
        and case.planned_start in (None, new.start)
    )


def _same_slot(case: Case, new: Booking) -> bool:
    """``new`` is the announced appointment (a room or start it did not give is not compared)."""
    return (
        case.announced_date == new.date
        and case.announced_room in (None, new.room)
        and case.announced_start in (None, new.start)
    )


def _announced(case: Case) -> Value:
    """The announced appointment as the reasons name a place: its date, then its room (or
    partner) and start where it gave them."""
    assert case.announced_date is not None
    room, start = case.announced_room, case.announced_start
    if room is None:
        return case.announced_date
    where = room if start is None else place(room, start)
    return Part("announced_slot", {"date": case.announced_date, "where": where})
