"""What was done with a case, and why not on the other dates it could have used.

The parts of a reason after its cause: a deadline miss and what stopped it
(the dates up to the deadline, the partner places and who took them), then
the outcome (postponed to, transferred to, or not scheduled, with the dates
that had a session for it and what stopped it there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..scenario.schema import Case, Scenario
from . import verdict as kinds  # the verdicts' kinds, as kinds.FREE
from .facts import Book
from .findings import Clock, Part, Resource, Value, place, refs, rules_of
from .verdict import Verdict, verdict

LATER_LISTED = 6  # later dates named in a reason; the rest are counted


def window(book: Book, i: int) -> tuple[dt.date, dt.date] | None:
    """Dates a waiting or a missed case could have used here: earliest date to the last one
    that still helped (the deadline for a transferred or a late scheduled case, else the
    horizon's end)."""
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    first = max(d for d in (sc.policy.start_date, c.planned_date, c.release_date) if d is not None)
    last = sc.policy.end_date
    deadline = sc.deadline(c)
    first = max(first, called_in(sc, c, deadline))
    if b.status in ("transferred", "scheduled") and deadline is not None and deadline <= last:
        last = deadline
    return (first, last) if first <= last else None


def called_in(sc: Scenario, c: Case, deadline: dt.date | None) -> dt.date:
    """The first date a waiting patient without an appointment can be called in for
    (``waiting_notice_days``), unless the deadline falls earlier; any other case: the first."""
    start = sc.policy.start_date
    if c.planned_date is not None or c.announced_date is not None:
        return start
    first = start + dt.timedelta(days=sc.policy.waiting_notice_days)
    return start if deadline is not None and deadline < first else first


def dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def summary(book: Book, i: int, days: Sequence[dt.date], last: dt.date) -> Part:
    """The dates that had a session for the case, each with what stopped it there (the first
    few named, the others counted)."""
    with_session = [d for d in days if book.hosting(i, d)]
    if not with_session:
        return Part("no_later_session", {"last": last})
    shown = tuple(_entry(book, verdict(book, i, d)) for d in with_session[:LATER_LISTED])
    more = len(with_session) - LATER_LISTED
    if more > 0:  # the count ends the one list: "a, b, c and 1 more", not "a, b and c and 1 more"
        shown += (Part("dates_more", {"more": more}),)
    return Part("dates_with_session", {"entries": shown})


def _entry(book: Book, v: Verdict) -> Part:
    c = book.scenario.cases[v.case]
    if v.kind == kinds.PATIENT_AWAY:
        return Part("entry_unavailable", {"date": v.date})
    if v.kind == kinds.SURGEON_UNAVAILABLE:
        return Part("entry_surgeon", {"date": v.date, "surgeon": c.surgeon_id})
    if v.kind in (kinds.RESOURCE_ZERO, kinds.RESOURCE_FULL):
        res = tuple(Resource(r) for r in v.resources)
        return Part("entry_resource", {"date": v.date, "resources": res})
    if v.kind == kinds.SESSION_SHORT:
        return Part("entry_short", {"date": v.date})
    if v.kind == kinds.DAY_BEGUN:
        return Part("entry_begun", {"date": v.date})
    if v.kind == kinds.SEQUENCING:
        return Part("entry_sequencing", {"date": v.date, "room": v.room or ""})
    if v.kind == kinds.FREE:
        assert v.start is not None
        return Part("entry_free", {"date": v.date, "room": v.room or "", "start": Clock(v.start)})
    fields: dict[str, Value] = {"date": v.date, "cases": refs(book, v.blocking_cases)}
    if v.rules:
        fields["rules"] = rules_of(v.rules)
        return Part("entry_taken_order", fields)
    return Part("entry_taken", fields)


def kept_moved(book: Book, i: int) -> Part:
    """ "kept on 16/04, moved from OR1 08:00 to OR2 09:30": a case kept on its date, elsewhere."""
    c, b = book.scenario.cases[i], book.bookings[i]
    assert c.planned_date is not None and b.room is not None and b.start is not None
    old = c.planned_room or b.room
    # a planned room without a start: "moved from OR2", not a start the plan never gave
    was = old if c.planned_start is None else place(old, c.planned_start)
    return Part("kept_moved", {"date": c.planned_date, "old": was, "new": place(b.room, b.start)})


def miss(book: Book, i: int, short: bool = False) -> tuple[Part, ...]:
    """A deadline miss: the deadline, why not here by then, where the partner places went;
    ``short`` (the reasons' budget spent): the dates up to the deadline not gone through."""
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    deadline = sc.deadline(c)
    policy = sc.policy
    if deadline is None or not policy.start_date <= deadline <= policy.end_date:
        return ()
    if b.date is not None and b.date <= deadline:
        return ()
    parts = [Part("missed", {"deadline": deadline})]
    first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d is not None)
    if b.status != "unscheduled" and c.planned_date is not None and c.planned_date < deadline:
        # the planned date itself is explained by the cause; the dates after it, up to the deadline
        after = max(first, c.planned_date + dt.timedelta(days=1))
        if after <= deadline:
            days = dates(after, deadline)
            parts.append(Part("short_dates") if short else summary(book, i, days, deadline))
    if not c.transferable:
        parts.append(Part("not_transferable"))
        return tuple(parts)
    slots = [p for p in book.partners if p.specialty == c.specialty and first <= p.date <= deadline]
    if not slots:
        parts.append(Part("no_partner", {"specialty": c.specialty, "deadline": deadline}))
        return tuple(parts)
    for p in slots:
        takers = book.takers.get((p.partner_id, p.date, p.specialty), [])
        fields: dict[str, Value] = {
            "partner": p.partner_id,
            "date": p.date,
            "capacity": p.capacity,
            "specialty": p.specialty,
            "cases": refs(book, takers),
        }
        if takers:
            parts.append(Part("partner_taken", fields))
        elif any(u.covers(p.date) for u in sc.unavailable_by_case.get(c.case_id, ())):
            parts.append(Part("partner_places_away", fields))  # not wasted: the patient is away
        else:
            parts.append(Part("partner_places", fields))
    return tuple(parts)


def outcome(book: Book, i: int, short: bool = False) -> Part:
    """What was done: postponed to, transferred to, or not scheduled in this run (and why;
    ``short``, the reasons' budget spent: the later dates not gone through)."""
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    deadline = sc.deadline(c)
    if b.status == "transferred":
        assert b.date is not None and b.partner is not None
        fields: dict[str, Value] = {"partner": b.partner, "date": b.date}
        if deadline is not None and b.date <= deadline:
            fields["deadline"] = deadline
            return Part("transferred_in_time", fields)
        return Part("transferred", fields)
    if b.status in ("postponed", "scheduled"):
        assert b.date is not None
        return Part(b.status, {"date": b.date})
    if b.status == "kept":  # on its planned date, elsewhere (held there: fixed, under way)
        return kept_moved(book, i)
    # not scheduled: the later dates that had a session for it, and what stopped it there
    span = window(book, i)
    last = sc.policy.end_date
    if span is None:
        return Part("unscheduled", {"last": last, "why": Part("no_date_left")})
    first = span[0]
    if c.planned_date is not None and c.planned_date >= first:
        first = c.planned_date + dt.timedelta(days=1)
    if first > last:
        return Part("unscheduled", {"last": last, "why": Part("no_date_left")})
    why = Part("short_dates") if short else summary(book, i, dates(first, last), last)
    return Part("unscheduled", {"last": last, "why": why})
