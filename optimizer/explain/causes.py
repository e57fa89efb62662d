"""Causes as findings: a code, the ids involved, and the facts to say it with.

A :class:`Finding` is computed from the full scenario and the final schedule
(:class:`~optimizer.explain.facts.Book`), never from the solver's option lists.
It holds no words: its :class:`Part` s are message keys with typed fields
(dates, clock times, case references), rendered in English or French by
:mod:`optimizer.explain.words`. The cause codes are the contract's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from ..rules import notice_allows
from ..scenario.schema import BEDS, Case, Scenario
from .budget import BudgetSpent, ReasonsBudget, Spending
from .facts import Book, Booking
from .findings import (
    CaseRef,
    Clock,
    Finding,
    Part,
    Resource,
    Value,
    hm,
    more_urgent,
    place,
    refs,
    rules_of,
)
from .outcome import called_in, dates, kept_moved, miss, outcome, summary, window
from .verdict import (
    CAPACITY_TAKEN,
    DAY_BEGUN,
    FREE,
    NO_SESSION,
    PATIENT_AWAY,
    RESOURCE_FULL,
    RESOURCE_ZERO,
    SEQUENCING,
    SESSION_SHORT,
    SURGEON_UNAVAILABLE,
    Verdict,
    could_wait,
    known_verdict,
    verdict,
)


def find_causes(
    scenario: Scenario, bookings: Sequence[Booking], spending: Spending | None = None
) -> list[Finding | None]:
    """One finding per case, ``None`` where the case is kept as planned or a waiting case is
    given a date. In case order, each case gets the short form (``short=True``, see
    :func:`_finding`) once ``spending``'s budget is spent; default: no budget."""
    spending = spending or Spending(ReasonsBudget())
    book = Book(scenario, tuple(bookings), spending=spending)
    return [_within_budget(book, i) for i in range(len(scenario.cases))]


def _within_budget(book: Book, i: int) -> Finding | None:
    try:
        return _finding(book, i)
    except BudgetSpent:
        short = _finding(book, i, short=True)
        if short is None:
            return None
        return dataclasses.replace(short, short=True, parts=(*short.parts, Part("short_note")))


def find_cause(scenario: Scenario, bookings: Sequence[Booking], i: int) -> Finding | None:
    """The finding of case ``i`` alone (what :func:`find_causes` gives it)."""
    return _finding(Book(scenario, tuple(bookings)), i)


def _finding(book: Book, i: int, *, short: bool = False) -> Finding | None:
    """Case ``i``'s finding; ``short``: the short form, once the reasons' budget is spent
    (:mod:`.budget`): what is known without a new search of the starts (a verdict already
    made or one that needs none, the planned room closed, who holds the planned place),
    that the rest was not worked out, and what was done with the case; never a limit it
    did not check."""
    sc = book.scenario
    c, b = sc.cases[i], book.bookings[i]
    policy = sc.policy
    if b.status == "scheduled":  # a waiting case given a date: explained only if late
        return _waiting(book, i, short) if _late(book, i) else None
    if b.status == "kept" and _in_place(book, i):
        return None
    pd = c.planned_date
    if pd is None:
        return _waiting(book, i, short)
    if pd > policy.end_date:
        part = Part("outside_horizon", {"planned": pd, "last": policy.end_date})
        return Finding(c.case_id, "outside_horizon", (), (part,))
    if pd < policy.start_date:
        first = _before_first(c, pd, policy.start_date)
        return Finding(c.case_id, "backlog", (), (first, *after(book, i, short)))
    if c.release_date is not None and c.release_date > pd:
        first = Part("not_released", {"release": c.release_date})
        return Finding(c.case_id, "not_released", (), (first, *after(book, i, short)))
    if c.fixed_date is not None and b.date == c.fixed_date:  # the planner's override
        first = Part("fixed_by_planner", {"date": c.fixed_date})
        now = policy.now if c.fixed_date == policy.start_date else None
        if now is not None and c.fixed_start is not None and c.fixed_start < now:
            fields: dict[str, Value] = {
                "date": c.fixed_date,
                "start": Clock(c.fixed_start),
                "now": Clock(now),
            }
            first = Part("under_way", fields)  # held where it began before the plan was made
        return Finding(c.case_id, "other", (), (first, *after(book, i, short)))
    if b.status == "kept":
        return _kept_moved(book, i)
    v = known_verdict(book, i, pd) if short else verdict(book, i, pd)
    if v is not None:
        cause, blocking, parts = _on_planned(book, v)
    else:  # the budget was spent before the starts of the planned date were tried
        closed, held = _planned_room_closed(book, i), _planned_place(book, i)
        parts = (*(p for p in (closed, held) if p is not None), Part("short_planned", {"date": pd}))
        cause = "other" if closed is None else "room_closed"
        blocking = () if closed is None else (c.planned_room or "",)
    return Finding(c.case_id, cause, blocking, (*parts, *after(book, i, short)))


def after(book: Book, i: int, short: bool) -> tuple[Part, ...]:
    """The parts after the cause: a deadline miss, then the outcome."""
    return (*miss(book, i, short), outcome(book, i, short))


def _on_planned(book: Book, v: Verdict) -> tuple[str, tuple[str, ...], tuple[Part, ...]]:
    """The cause, blocking ids and parts of a verdict on the case's planned date."""
    if v.kind == FREE:  # room was left on the planned date: a policy rule, not capacity
        held = _held_by_policy(book, v.case, v.date)
        if held is not None:
            return held[0], (), (held[1],)
    cause, blocking, parts = _from_verdict(book, v)
    if v.kind == RESOURCE_FULL:  # a bed full all day: who holds its planned place, too
        holder = _planned_place(book, v.case)
        parts = parts if holder is None else (*parts, holder)
    closed = _planned_room_closed(book, v.case)
    return cause, blocking, parts if closed is None else (closed, *parts)


def _held_by_policy(book: Book, i: int, pd: dt.date) -> tuple[str, Part] | None:
    """Why a case that would fit on its planned date is elsewhere, when a rule of the policy
    says so: the notice period keeps it off that date, it is kept on the appointment it was
    announced (``stability``), or the emergency reserve keeps elective time free."""
    sc, b = book.scenario, book.bookings[i]
    c, policy = sc.cases[i], sc.policy
    if c.announced_date is not None:
        deadline = sc.deadline(c)
        day = (pd - policy.start_date).days
        announced = (c.announced_date - policy.start_date).days
        due = None if deadline is None else (deadline - policy.start_date).days
        if not notice_allows(day, policy.notice_days, announced, due):
            fields: dict[str, Value] = {
                "announced": c.announced_date,
                "date": pd,
                "days": policy.notice_days,
            }
            return "other", Part("notice_period", fields)
        if b.date == c.announced_date:
            return "stability", Part("kept_as_announced", {"announced": c.announced_date})
    elective = policy.urgency[c.urgency].max_delay_days != 0
    minutes = policy.reserve.get(c.specialty, policy.reserve_min)
    if elective and minutes > 0:
        return "other", Part("reserve_kept", {"date": pd, "minutes": minutes})
    return None


def _before_first(c: Case, planned: dt.date, first: dt.date) -> Part:
    """Why a case planned before the run's first date is not kept: its operation was
    cancelled on the day (it holds no appointment since), else it is backlog."""
    gone = c.cancelled_date
    if gone is not None and gone < first and c.announced_date is None:
        return Part("cancelled_on_day", {"date": gone})
    return Part("backlog", {"planned": planned, "first": first})


def _late(book: Book, i: int) -> bool:
    """Operated or transferred after its deadline (inside the horizon), or not at all."""
    sc = book.scenario
    deadline = sc.deadline(sc.cases[i])
    date = book.bookings[i].date
    if deadline is None or not sc.policy.start_date <= deadline <= sc.policy.end_date:
        return False
    return date is None or date > deadline


def _in_place(book: Book, i: int) -> bool:
    c, b = book.scenario.cases[i], book.bookings[i]
    return (c.planned_room is None or b.room == c.planned_room) and (
        c.planned_start is None or b.start == c.planned_start
    )


def _planned_room_closed(book: Book, i: int) -> Part | None:
    """ "OR07 is closed on 22/04", or its session does not hold the planned slot: shorter
    than the case, opening after the planned start, or closing before the slot ends (as the
    session shows it, so a five-hour session re-timed to open at 13:00 is not "too short"
    for a 30-minute case planned at 11:05); else None."""
    c = book.scenario.cases[i]
    if c.planned_room is None or c.planned_date is None:
        return None
    s = book.scenario.session_by_key.get((c.planned_date, c.planned_room))
    where: dict[str, Value] = {"room": c.planned_room, "date": c.planned_date}
    if s is None:
        return Part("room_closed", where)
    start = c.planned_start if c.planned_start is not None else s.start
    end = start + c.duration_min
    if s.end - s.start < c.duration_min:
        fields = {**where, "open": Clock(s.start), "close": Clock(s.end)}
        return Part("room_short", {**fields, "duration": c.duration_min})
    if start < s.start:
        return Part("room_opens_late", {**where, "open": Clock(s.start), "start": Clock(start)})
    if end > s.end:
        return Part("room_closes_early", {**where, "close": Clock(s.end), "end": Clock(end)})
    return None


def _kept_moved(book: Book, i: int) -> Finding:
    c = book.scenario.cases[i]
    assert c.planned_date is not None
    old = c.planned_room or book.bookings[i].room or ""
    moved = kept_moved(book, i)
    closed = _planned_room_closed(book, i)
    if closed is not None:
        assert c.planned_room is not None
        return Finding(c.case_id, "room_closed", (c.planned_room,), (closed, moved))
    parts = [Part("rearranged", {"date": c.planned_date}), moved]
    held = _planned_place(book, i)
    if held is not None:
        parts.append(held)
    newcomers = _newcomers(book, i, old)
    if newcomers:
        parts.append(Part("moved_for", {"cases": refs(book, newcomers)}))
    if c.planned_start is not None:
        day = book.day(c.planned_date)
        busy = book.surgeon_conflicts(i, day, c.planned_start)
        if busy:
            fields: dict[str, Value] = {"surgeon": c.surgeon_id, "cases": refs(book, busy)}
            parts.append(Part("planned_time_surgeon", fields))
        full = book.full_resources(i, day, c.planned_start)
        if full:
            res = tuple(Resource(r) for r in full)
            parts.append(Part("planned_time_resources", {"resources": res}))
    return Finding(c.case_id, "rearranged", (), tuple(parts))


NEWCOMERS_LISTED = 6  # the cases a rearranged case made room for, named in its reason


def _newcomers(book: Book, i: int, room: str) -> list[int]:
    """The cases a case kept on its date but moved made room for: those operated that date in
    its planned room that were not planned there (waiting-list patients called in, cases
    postponed from another date or moved in from another room). A case that came to its new
    room beside it took no room it left."""
    sc = book.scenario
    date = sc.cases[i].planned_date
    day = book.day(date) if date is not None else None
    there = sorted({h.case for h in day.rooms.get(room, [])} if day else ())
    out = []
    for j in there:
        o, ob = sc.cases[j], book.bookings[j]
        if j == i:
            continue
        if o.planned_date != date or (o.planned_room is not None and o.planned_room != ob.room):
            out.append(j)
    return out[:NEWCOMERS_LISTED]


def _bed_part(book: Book, i: int, date: dt.date, bed: str, zero: bool) -> Part:
    """A bed that stops case ``i`` on ``date``: the date of its stay it has none left."""
    first, last, short = book.bed_pinch(i, date, bed, zero)
    if first == last:
        return Part("bed_zero" if zero else "bed_full", {"bed": Resource(bed), "date": short})
    fields: dict[str, Value] = {"bed": Resource(bed), "date": short, "first": first, "last": last}
    return Part("bed_zero_stay" if zero else "bed_full_stay", fields)


def _from_verdict(book: Book, v: Verdict) -> tuple[str, tuple[str, ...], tuple[Part, ...]]:
    """The cause code, blocking ids and parts a verdict on the planned date stands for."""
    c = book.scenario.cases[v.case]
    date = v.date
    if v.kind == PATIENT_AWAY:
        return "patient_unavailable", (), (_away_part(book.scenario, c.case_id, date),)
    if v.kind == NO_SESSION:
        fixed = tuple(e for e in c.equipment if e not in book.scenario.pool_names)
        key = "no_session_equipment" if fixed else "no_session"
        fields: dict[str, Value] = {"date": date, "specialty": c.specialty, "equipment": fixed}
        return "no_session", (), (Part(key, fields),)
    if v.kind == SESSION_SHORT:
        sessions = tuple(
            place(s.room_id, s.start) + f"-{s.end // 60:02d}:{s.end % 60:02d}"
            for s in book.hosting(v.case, date)
        )
        fields = {"date": date, "sessions": sessions, "duration": c.duration_min}
        return "other", (), (Part("session_short", fields),)
    if v.kind == DAY_BEGUN:
        assert book.scenario.policy.now is not None
        now = Clock(book.scenario.policy.now)
        return (
            "other",
            (),
            (Part("day_begun", {"date": date, "now": now, "duration": c.duration_min}),),
        )
    if v.kind == SURGEON_UNAVAILABLE:
        if not v.hours:
            part = Part("surgeon_away", {"surgeon": c.surgeon_id, "date": date})
        else:
            hours = tuple(f"{hm(a)}-{hm(b)}" for a, b in v.hours)
            part = Part(
                "surgeon_hours",
                {"surgeon": c.surgeon_id, "date": date, "hours": hours, "duration": c.duration_min},
            )
        return "surgeon_unavailable", (c.surgeon_id,), (part,)
    if v.kind in (RESOURCE_ZERO, RESOURCE_FULL):
        zero = v.kind == RESOURCE_ZERO
        said = [_bed_part(book, v.case, date, bed, zero) for bed in v.resources if bed in BEDS]
        res = tuple(Resource(r) for r in v.resources if r not in BEDS)
        if res and zero:
            said.insert(0, Part("resource_zero", {"resources": res, "date": date}))
        elif res:
            fields = {
                "resources": res,
                "date": date,
                "surgeon": c.surgeon_id,
                "duration": c.duration_min,
            }
            said.insert(0, Part("resource_full", fields))
        return "resource_full", v.resources, tuple(said)
    if v.kind == SEQUENCING:
        assert v.room is not None
        rules = rules_of(v.rules)
        fields = {
            "room": v.room,
            "date": date,
            "cases": refs(book, v.order_cases),
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
        urgent = more_urgent(book, v.case, in_room)
        fields = {
            "room": v.room,
            "date": date,
            "start": Clock(v.start) if v.start is not None else Clock(0),
            "cases": refs(book, in_room),
        }
        if held is None:
            parts.append(Part("taken_room_urgent" if urgent else "taken_room", fields))
        elif {book.scenario.cases[j].case_id for j in in_room} != {
            ref.case_id for ref in _held_refs(held)
        }:
            parts.append(Part("least_room", fields))
        if v.rules:
            parts.append(Part("order_rules", {"rules": rules_of(v.rules)}))
    surgeon_only = [j for j in v.surgeon_cases if j not in v.room_cases]
    if surgeon_only:
        urgent = more_urgent(book, v.case, surgeon_only)
        fields = {"surgeon": c.surgeon_id, "date": date, "cases": refs(book, surgeon_only)}
        parts.append(Part("taken_surgeon_urgent" if urgent else "taken_surgeon", fields))
    blocking = v.blocking_cases
    ids = tuple(book.scenario.cases[j].case_id for j in blocking)
    if all(not could_wait(book, j, date) for j in blocking):
        parts.append(Part("deadline_priority", {"n": len(blocking)}))
        return "deadline_priority", ids, tuple(parts)
    return "capacity_taken", ids, tuple(parts)


def _away_part(sc: Scenario, case_id: str, date: dt.date) -> Part:
    """The range of dates, around ``date``, the patient said they cannot come."""
    u = next(u for u in sc.unavailable_by_case[case_id] if u.covers(date))
    return Part("patient_unavailable", {"first": u.from_date, "last": u.to_date})


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
    key = "planned_place_holds_urgent" if more_urgent(book, i, there) else "planned_place_holds"
    where = place(c.planned_room, c.planned_start)
    return Part(key, {"place": where, "date": c.planned_date, "cases": refs(book, there)})


def _held_refs(part: Part) -> list[CaseRef]:
    cases = part.fields["cases"]
    assert isinstance(cases, tuple)
    return [ref for ref in cases if isinstance(ref, CaseRef)]


def _waiting(book: Book, i: int, short: bool = False) -> Finding:
    """A waiting case transferred or not scheduled: the best date it had here, and why not."""
    sc = book.scenario
    c = sc.cases[i]
    span = window(book, i)
    called = called_in(sc, c, sc.deadline(c))
    if span is None and (c.release_date is None or c.release_date <= called):
        # the notice the patient needs is the limit: it ends after the horizon
        fields: dict[str, Value] = {"first": called, "last": sc.policy.end_date}
        return Finding(
            c.case_id, "other", (), (Part("waiting_notice", fields), outcome(book, i, short))
        )
    if span is None:  # not ready before the last date that would have helped
        assert c.release_date is not None
        part = Part("not_released", {"release": c.release_date})
        return Finding(c.case_id, "not_released", (), (part, *after(book, i, short)))
    if short:  # the dates it could have used were not gone through
        said = () if book.bookings[i].status == "unscheduled" else (Part("short_dates"),)
        parts = (Part("waiting"), *said, *miss(book, i, short))
        return Finding(c.case_id, "other", (), (*parts, outcome(book, i, short)))
    verdicts = [verdict(book, i, d) for d in dates(*span)]
    best = min(verdicts, key=lambda v: (*v.badness, v.date))
    if best.kind == NO_SESSION:
        fixed = tuple(e for e in c.equipment if e not in sc.pool_names)
        fields = {
            "first": span[0],
            "last": span[1],
            "specialty": c.specialty,
            "equipment": fixed,
        }
        part = Part("waiting_no_session_equipment" if fixed else "waiting_no_session", fields)
        return Finding(c.case_id, "no_session", (), (part, *miss(book, i), outcome(book, i)))
    cause, blocking, _ = _from_verdict(book, best)
    unscheduled = book.bookings[i].status == "unscheduled"
    dates_had = () if unscheduled else (summary(book, i, dates(*span), span[1]),)
    parts = (Part("waiting"), *dates_had, *miss(book, i), outcome(book, i))
    return Finding(c.case_id, cause, blocking, parts)
