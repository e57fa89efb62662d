"""Causes as findings: a code, the ids involved, and the facts to say it with.

A :class:`Finding` is computed from the full scenario and the final schedule
(:class:`~optimizer.explain.facts.Book`), never from the solver's option lists.
It holds no words: its :class:`Part` s are message keys with typed fields
(dates, clock times, case references), rendered in English or French by
:mod:`optimizer.explain.words`. The cause codes are the contract's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from ..scenario.schema import Scenario
from .facts import Book, Booking
from .verdict import (
    CAPACITY_TAKEN,
    FREE,
    NO_SESSION,
    RESOURCE_FULL,
    RESOURCE_ZERO,
    SEQUENCING,
    SESSION_SHORT,
    SURGEON_UNAVAILABLE,
    Verdict,
    could_wait,
    verdict,
)

CAUSES = (
    "backlog",
    "outside_horizon",
    "not_released",
    "room_closed",
    "rearranged",
    "no_session",
    "surgeon_unavailable",
    "resource_full",
    "capacity_taken",
    "sequencing",
    "deadline_priority",
    "stability",  # kept as announced: set by the announced-appointment feature, not here
    "other",
)
LATER_LISTED = 6  # later dates named in a reason; the rest are counted


@dataclass(frozen=True)
class Clock:
    """A clock time, in minutes after midnight."""

    minutes: int


@dataclass(frozen=True)
class CaseRef:
    """Another case named in a reason: its id, class and what happened to it."""

    case_id: str
    urgency: str
    note: Part


@dataclass(frozen=True)
class Resource:
    """A resource by name (``anaesthetist`` and ``icu_bed`` get words of their own)."""

    name: str


Value = Union[str, int, dt.date, Clock, CaseRef, Resource, "Part", tuple["Value", ...]]


@dataclass(frozen=True)
class Part:
    """One message of the catalogue's ``reasons`` domain, with its fields."""

    key: str
    fields: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """Why one case is not kept in its planned room and start.

    ``cause`` is one of :data:`CAUSES`; ``blocking`` the ids involved (cases,
    a room, a surgeon or resources, per the contract); ``parts`` what the
    reason says, in order.
    """

    case_id: str
    cause: str
    blocking: tuple[str, ...]
    parts: tuple[Part, ...]


def find_causes(scenario: Scenario, bookings: Sequence[Booking]) -> list[Finding | None]:
    """One finding per case, ``None`` where the case is kept as planned or a waiting case is
    given a date."""
    book = Book(scenario, tuple(bookings))
    return [_finding(book, i) for i in range(len(scenario.cases))]


def find_cause(scenario: Scenario, bookings: Sequence[Booking], i: int) -> Finding | None:
    """The finding of case ``i`` alone (what :func:`find_causes` gives it)."""
    return _finding(Book(scenario, tuple(bookings)), i)


def _finding(book: Book, i: int) -> Finding | None:
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    policy = sc.policy
    if b.status == "scheduled":
        return None
    if b.status == "kept" and _in_place(book, i):
        return None
    pd = c.planned_date
    if pd is None:
        return _waiting(book, i)
    if pd > policy.end_date:
        part = Part("outside_horizon", {"planned": pd, "last": policy.end_date})
        return Finding(c.case_id, "outside_horizon", (), (part,))
    if pd < policy.start_date:
        first = Part("backlog", {"planned": pd, "first": policy.start_date})
        return Finding(c.case_id, "backlog", (), (first, *_miss(book, i), _outcome(book, i)))
    if c.release_date is not None and c.release_date > pd:
        first = Part("not_released", {"release": c.release_date})
        return Finding(c.case_id, "not_released", (), (first, *_miss(book, i), _outcome(book, i)))
    if b.status == "kept":
        return _kept_moved(book, i)
    v = verdict(book, i, pd)
    cause, blocking, parts = _from_verdict(book, v)
    closed = _planned_room_closed(book, i)
    if closed is not None:
        parts = (closed, *parts)
    return Finding(c.case_id, cause, blocking, (*parts, *_miss(book, i), _outcome(book, i)))


def _in_place(book: Book, i: int) -> bool:
    c, b = book.scenario.cases[i], book.bookings[i]
    return (c.planned_room is None or b.room == c.planned_room) and (
        c.planned_start is None or b.start == c.planned_start
    )


def _planned_room_closed(book: Book, i: int) -> Part | None:
    """ "OR07 is closed on 22/04", or its session too short for the planned slot; else None."""
    c = book.scenario.cases[i]
    if c.planned_room is None or c.planned_date is None:
        return None
    s = book.scenario.session_by_key.get((c.planned_date, c.planned_room))
    if s is None:
        return Part("room_closed", {"room": c.planned_room, "date": c.planned_date})
    start = c.planned_start if c.planned_start is not None else s.start
    if start < s.start or start + c.duration_min > s.end:
        return Part(
            "room_short",
            {
                "room": c.planned_room,
                "date": c.planned_date,
                "open": Clock(s.start),
                "close": Clock(s.end),
                "duration": c.duration_min,
            },
        )
    return None


def _kept_moved(book: Book, i: int) -> Finding:
    c, b = book.scenario.cases[i], book.bookings[i]
    assert c.planned_date is not None and b.room is not None and b.start is not None
    old = c.planned_room or b.room
    moved = Part(
        "kept_moved",
        {
            "date": c.planned_date,
            "old": _place(old, c.planned_start if c.planned_start is not None else b.start),
            "new": _place(b.room, b.start),
        },
    )
    closed = _planned_room_closed(book, i)
    if closed is not None:
        assert c.planned_room is not None
        return Finding(c.case_id, "room_closed", (c.planned_room,), (closed, moved))
    parts = [Part("rearranged", {"date": c.planned_date}), moved]
    held = _planned_place(book, i)
    if held is not None:
        parts.append(held)
    if c.planned_start is not None:
        day = book.day(c.planned_date)
        busy = book.surgeon_conflicts(i, day, c.planned_start)
        if busy:
            fields: dict[str, Value] = {"surgeon": c.surgeon_id, "cases": _refs(book, busy)}
            parts.append(Part("planned_time_surgeon", fields))
        full = book.full_resources(i, day, c.planned_start)
        if full:
            res = tuple(Resource(r) for r in full)
            parts.append(Part("planned_time_resources", {"resources": res}))
    return Finding(c.case_id, "rearranged", (), tuple(parts))


def _place(room: str, start: int) -> str:
    return f"{room} {start // 60:02d}:{start % 60:02d}"


def _refs(book: Book, cases: Sequence[int]) -> tuple[Value, ...]:
    return tuple(_ref(book, j) for j in cases)


def _ref(book: Book, j: int) -> CaseRef:
    c, b = book.scenario.cases[j], book.bookings[j]
    if b.status == "kept":
        if c.planned_room is not None and b.room != c.planned_room:
            note = Part("note_moved_in", {"room": c.planned_room})
        elif c.planned_start is not None and b.start != c.planned_start:
            note = Part("note_moved", {"start": Clock(c.planned_start)})
        else:
            note = Part("note_kept")
    elif b.status == "postponed" and c.planned_date is not None:
        note = Part("note_postponed", {"date": c.planned_date})
    elif b.status == "scheduled":
        note = Part("note_waiting")
    else:
        note = Part("note_" + b.status)
    return CaseRef(c.case_id, c.urgency, note)


def _more_urgent(book: Book, i: int, cases: Sequence[int]) -> bool:
    return bool(cases) and all(book.rank[j] < book.rank[i] for j in cases)


def _from_verdict(book: Book, v: Verdict) -> tuple[str, tuple[str, ...], tuple[Part, ...]]:
    """The cause code, blocking ids and parts a verdict on the planned date stands for."""
    c = book.scenario.cases[v.case]
    date = v.date
    if v.kind == NO_SESSION:
        fixed = tuple(e for e in c.equipment if e not in book.scenario.pool_names)
        key = "no_session_equipment" if fixed else "no_session"
        fields: dict[str, Value] = {"date": date, "specialty": c.specialty, "equipment": fixed}
        return "no_session", (), (Part(key, fields),)
    if v.kind == SESSION_SHORT:
        sessions = tuple(
            _place(s.room_id, s.start) + f"-{s.end // 60:02d}:{s.end % 60:02d}"
            for s in book.hosting(v.case, date)
        )
        fields = {"date": date, "sessions": sessions, "duration": c.duration_min}
        return "other", (), (Part("session_short", fields),)
    if v.kind == SURGEON_UNAVAILABLE:
        if not v.hours:
            part = Part("surgeon_away", {"surgeon": c.surgeon_id, "date": date})
        else:
            hours = tuple(f"{_hm(a)}-{_hm(b)}" for a, b in v.hours)
            part = Part(
                "surgeon_hours",
                {"surgeon": c.surgeon_id, "date": date, "hours": hours, "duration": c.duration_min},
            )
        return "surgeon_unavailable", (c.surgeon_id,), (part,)
    if v.kind == RESOURCE_ZERO:
        res = tuple(Resource(r) for r in v.resources)
        part = Part("resource_zero", {"resources": res, "date": date})
        return "resource_full", v.resources, (part,)
    if v.kind == RESOURCE_FULL:
        res = tuple(Resource(r) for r in v.resources)
        fields = {
            "resources": res,
            "date": date,
            "surgeon": c.surgeon_id,
            "duration": c.duration_min,
        }
        return "resource_full", v.resources, (Part("resource_full", fields),)
    if v.kind == SEQUENCING:
        assert v.room is not None
        rules = _rules(v.rules)
        fields = {
            "room": v.room,
            "date": date,
            "cases": _refs(book, v.order_cases),
            "rules": rules,
        }
        ids = tuple(book.scenario.cases[j].case_id for j in v.order_cases)
        return "sequencing", ids, (Part("sequencing", fields),)
    if v.kind == FREE:
        assert v.room is not None and v.start is not None
        fields = {"room": v.room, "date": date, "start": Clock(v.start)}
        return "other", (), (Part("free_place", fields),)
    assert v.kind == CAPACITY_TAKEN and v.room is not None
    parts: list[Part] = []
    held = _planned_place(book, v.case)
    if held is not None:
        parts.append(held)
    in_room = (*v.room_cases, *v.order_cases)
    if in_room:
        urgent = _more_urgent(book, v.case, in_room)
        fields = {
            "room": v.room,
            "date": date,
            "start": Clock(v.start) if v.start is not None else Clock(0),
            "cases": _refs(book, in_room),
        }
        if held is None:
            parts.append(Part("taken_room_urgent" if urgent else "taken_room", fields))
        elif {book.scenario.cases[j].case_id for j in in_room} != {
            ref.case_id for ref in _held_refs(held)
        }:
            parts.append(Part("least_room", fields))
        if v.rules:
            parts.append(Part("order_rules", {"rules": _rules(v.rules)}))
    surgeon_only = [j for j in v.surgeon_cases if j not in v.room_cases]
    if surgeon_only:
        urgent = _more_urgent(book, v.case, surgeon_only)
        fields = {"surgeon": c.surgeon_id, "date": date, "cases": _refs(book, surgeon_only)}
        parts.append(Part("taken_surgeon_urgent" if urgent else "taken_surgeon", fields))
    blocking = v.blocking_cases
    ids = tuple(book.scenario.cases[j].case_id for j in blocking)
    if all(not could_wait(book, j, date) for j in blocking):
        parts.append(Part("deadline_priority"))
        return "deadline_priority", ids, tuple(parts)
    return "capacity_taken", ids, tuple(parts)


def _planned_place(book: Book, i: int) -> Part | None:
    """Who is now in the case's planned room at its planned time, if anyone."""
    c = book.scenario.cases[i]
    if c.planned_room is None or c.planned_start is None or c.planned_date is None:
        return None
    if (c.planned_date, c.planned_room) not in book.scenario.session_by_key:
        return None
    there = book.room_conflicts(i, book.day(c.planned_date), c.planned_room, c.planned_start)
    if not there:
        return None
    key = "planned_place_holds_urgent" if _more_urgent(book, i, there) else "planned_place_holds"
    place = _place(c.planned_room, c.planned_start)
    return Part(key, {"place": place, "date": c.planned_date, "cases": _refs(book, there)})


def _rules(rules: Sequence[str]) -> tuple[Value, ...]:
    return tuple(Part("rule_" + r) for r in dict.fromkeys(rules))


def _held_refs(part: Part) -> list[CaseRef]:
    cases = part.fields["cases"]
    assert isinstance(cases, tuple)
    return [ref for ref in cases if isinstance(ref, CaseRef)]


def _hm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _window(book: Book, i: int) -> tuple[dt.date, dt.date] | None:
    """Dates a waiting or a missed case could have used here: earliest date to the last one
    that still helped (the deadline for a transferred case, else the horizon's end)."""
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    first = max(d for d in (sc.policy.start_date, c.planned_date, c.release_date) if d is not None)
    last = sc.policy.end_date
    deadline = sc.deadline(c)
    if b.status == "transferred" and deadline is not None and deadline <= last:
        last = deadline
    return (first, last) if first <= last else None


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _waiting(book: Book, i: int) -> Finding:
    """A waiting case transferred or not scheduled: the best date it had here, and why not."""
    sc = book.scenario
    c = sc.cases[i]
    span = _window(book, i)
    if span is None:
        assert c.release_date is not None
        part = Part("not_released", {"release": c.release_date})
        return Finding(c.case_id, "not_released", (), (part, _outcome(book, i)))
    verdicts = [verdict(book, i, d) for d in _dates(*span)]
    best = min(verdicts, key=lambda v: (*v.badness, v.date))
    if best.kind == NO_SESSION:
        fixed = tuple(e for e in c.equipment if e not in sc.pool_names)
        fields: dict[str, Value] = {
            "first": span[0],
            "last": span[1],
            "specialty": c.specialty,
            "equipment": fixed,
        }
        part = Part("waiting_no_session_equipment" if fixed else "waiting_no_session", fields)
        return Finding(c.case_id, "no_session", (), (part, *_miss(book, i), _outcome(book, i)))
    cause, blocking, _ = _from_verdict(book, best)
    unscheduled = book.bookings[i].status == "unscheduled"
    summary = () if unscheduled else (_summary(book, verdicts, span[1]),)
    parts = (Part("waiting"), *summary, *_miss(book, i), _outcome(book, i))
    return Finding(c.case_id, cause, blocking, parts)


def _summary(book: Book, verdicts: Sequence[Verdict], last: dt.date) -> Part:
    """The dates that had a session for the case, each with what stopped it there."""
    entries: list[Value] = []
    for v in verdicts:
        if v.kind == NO_SESSION:
            continue
        entries.append(_entry(book, v))
    if not entries:
        return Part("no_later_session", {"last": last})
    more = len(entries) - LATER_LISTED
    shown = tuple(entries[:LATER_LISTED])
    if more > 0:
        return Part("dates_with_session_more", {"entries": shown, "more": more})
    return Part("dates_with_session", {"entries": shown})


def _entry(book: Book, v: Verdict) -> Part:
    c = book.scenario.cases[v.case]
    if v.kind == SURGEON_UNAVAILABLE:
        return Part("entry_surgeon", {"date": v.date, "surgeon": c.surgeon_id})
    if v.kind in (RESOURCE_ZERO, RESOURCE_FULL):
        res = tuple(Resource(r) for r in v.resources)
        return Part("entry_resource", {"date": v.date, "resources": res})
    if v.kind == SESSION_SHORT:
        return Part("entry_short", {"date": v.date})
    if v.kind == SEQUENCING:
        return Part("entry_sequencing", {"date": v.date, "room": v.room or ""})
    if v.kind == FREE:
        assert v.start is not None
        return Part("entry_free", {"date": v.date, "room": v.room or "", "start": Clock(v.start)})
    fields: dict[str, Value] = {"date": v.date, "cases": _refs(book, v.blocking_cases)}
    if v.rules:
        fields["rules"] = _rules(v.rules)
        return Part("entry_taken_order", fields)
    return Part("entry_taken", fields)


def _miss(book: Book, i: int) -> tuple[Part, ...]:
    """A deadline miss: the deadline, why not here by then, where the partner places went."""
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
            verdicts = [verdict(book, i, d) for d in _dates(after, deadline)]
            parts.append(_summary(book, verdicts, deadline))
    if not c.transferable:
        parts.append(Part("not_transferable"))
        return tuple(parts)
    slots = [
        p
        for p in sorted(sc.partners, key=lambda p: (p.date, p.partner_id))
        if p.specialty == c.specialty and first <= p.date <= deadline
    ]
    if not slots:
        parts.append(Part("no_partner", {"specialty": c.specialty, "deadline": deadline}))
        return tuple(parts)
    for p in slots:
        takers = [
            j
            for j, (o, ob) in enumerate(zip(sc.cases, book.bookings, strict=True))
            if ob.status == "transferred"
            and ob.partner == p.partner_id
            and ob.date == p.date
            and o.specialty == p.specialty
        ]
        fields: dict[str, Value] = {
            "partner": p.partner_id,
            "date": p.date,
            "capacity": p.capacity,
            "specialty": p.specialty,
            "cases": _refs(book, takers),
        }
        parts.append(Part("partner_taken" if takers else "partner_places", fields))
    return tuple(parts)


def _outcome(book: Book, i: int) -> Part:
    """What was done: postponed to, transferred to, or not scheduled in this run (and why)."""
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
    if b.status == "postponed":
        assert b.date is not None
        return Part("postponed", {"date": b.date})
    # not scheduled: the later dates that had a session for it, and what stopped it there
    span = _window(book, i)
    last = sc.policy.end_date
    if span is None:
        return Part("unscheduled", {"last": last, "why": Part("no_date_left")})
    first = span[0]
    if c.planned_date is not None and c.planned_date >= first:
        first = c.planned_date + dt.timedelta(days=1)
    if first > last:
        return Part("unscheduled", {"last": last, "why": Part("no_date_left")})
    verdicts = [verdict(book, i, d) for d in _dates(first, last)]
    return Part("unscheduled", {"last": last, "why": _summary(book, verdicts, last)})
