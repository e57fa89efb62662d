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

from .. import i18n
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


# The parts of a finding that say where the case now is: the call's lead says it, from the
# appointment the patient holds (``transferred_in_time`` stays: it adds the deadline).
_NEW_PLACE = frozenset({"kept_moved", "postponed", "scheduled", "transferred"})


def call_said(finding: Finding | None, case: Case, new: Booking, lang: Lang) -> str:
    """The reason ``calls.csv`` gives a case: the call is about the change from what the
    patient was told. A patient who holds an announced appointment (a previous result told
    them a date) hears it first: "appointment of 18/04 (OR02 09:00) moved to 17/04 (OR03
    13:00); reason: ..." with the finding's cause (not the plan's slot they no longer hold);
    any other case, the reason its schedule row says (:func:`said_reason`), else
    :func:`call_reason`."""
    if finding is None or case.announced_date is None:
        return said_reason(finding, case, new, lang) or call_reason(case, new, lang)
    why = [p for p in finding.parts if p.key not in _NEW_PLACE]
    lead = render_part(_change(case, new), lang)
    if not why:
        return lead
    sep = i18n.text(lang, "reasons.sep")
    because = sep.join(render_part(p, lang) for p in why)
    return i18n.text(lang, "reasons.call_because", change=lead, why=because)


def _change(case: Case, new: Booking) -> Part:
    """The announced appointment and what becomes of it: another place, a transfer, none."""
    announced = _announced(case)
    if new.status == "transferred" and new.partner is not None and new.date is not None:
        fields: dict[str, Value] = {"announced": announced, "partner": new.partner}
        return Part("appointment_transferred", {**fields, "date": new.date})
    if new.here and new.date is not None and new.room is not None and new.start is not None:
        now = Part("announced_slot", {"date": new.date, "where": place(new.room, new.start)})
        return Part("appointment_moved", {"announced": announced, "now": now})
    return Part("appointment_cancelled", {"announced": announced})


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
