"""Why a case is not operated on one date: the limit that binds, read from the final schedule.

A verdict tries every start the case could take that date (hosting sessions,
the surgeon's hours) against what the final schedule holds there, and names
the first limit that stops all of them, in this order: the patient cannot come
that date (``unavailable.csv``), no session at all, a
resource with no capacity that date, the surgeon's hours, the room and
surgeon time taken by other cases, a resource at capacity, the sequencing
order. When some start is free of all of them the verdict says so (``free``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .facts import Book

# kinds, from "a place was there" to "nothing could be done that date"
FREE = "free"
SEQUENCING = "sequencing"
RESOURCE_FULL = "resource_full"
CAPACITY_TAKEN = "capacity_taken"
RESOURCE_ZERO = "resource_zero"
SURGEON_UNAVAILABLE = "surgeon_unavailable"
SESSION_SHORT = "session_short"
NO_SESSION = "no_session"
PATIENT_AWAY = "patient_away"
ORDER = (
    FREE,
    SEQUENCING,
    RESOURCE_FULL,
    CAPACITY_TAKEN,
    RESOURCE_ZERO,
    SURGEON_UNAVAILABLE,
    SESSION_SHORT,
    PATIENT_AWAY,  # a session may be there: closer to "could have" than none at all
    NO_SESSION,
)


@dataclass(frozen=True)
class Verdict:
    """The binding limit for case ``case`` on ``date``.

    ``room`` and ``start`` are the place the verdict is about (the free place, or
    the one where the fewest cases are in the way); ``room_cases`` and
    ``surgeon_cases`` the cases in that room or with that surgeon then;
    ``resources`` the resources at (or with no) capacity; ``rules`` the
    sequencing rules broken, one per case of ``order_cases``.
    """

    case: int
    date: dt.date
    kind: str
    room: str | None = None
    start: int | None = None
    room_cases: tuple[int, ...] = ()
    surgeon_cases: tuple[int, ...] = ()
    resources: tuple[str, ...] = ()
    order_cases: tuple[int, ...] = ()
    rules: tuple[str, ...] = ()
    hours: tuple[tuple[int, int], ...] = ()  # the surgeon's hours that date

    @property
    def blocking_cases(self) -> tuple[int, ...]:
        seen = dict.fromkeys((*self.room_cases, *self.surgeon_cases, *self.order_cases))
        return tuple(seen)

    @property
    def badness(self) -> tuple[int, int]:
        return ORDER.index(self.kind), len(self.blocking_cases)


def verdict(book: Book, i: int, date: dt.date) -> Verdict:
    """The binding limit for case ``i`` on ``date`` (see the module docstring); computed once
    per book (the schedule does not change under it)."""
    known = book.memo.get((i, date))
    if not isinstance(known, Verdict):
        known = book.memo[i, date] = _verdict(book, i, date)
    return known


def _verdict(book: Book, i: int, date: dt.date) -> Verdict:
    c = book.scenario.cases[i]
    if not book.scenario.available(c.case_id, date):
        return Verdict(i, date, PATIENT_AWAY)
    hosting = book.hosting(i, date)
    if not hosting:
        return Verdict(i, date, NO_SESSION)
    zero = book.zero_capacity(i, date)
    if zero:
        return Verdict(i, date, RESOURCE_ZERO, resources=tuple(zero))
    slots = book.slots(i, date)
    windows = book.windows(i, date)
    if not slots:
        long_enough = [s for s in hosting if s.end - s.start >= c.duration_min]
        if windows is not None and long_enough:
            return Verdict(i, date, SURGEON_UNAVAILABLE, hours=windows)
        return Verdict(i, date, SESSION_SHORT)
    day = book.day(date)
    pr, ps = c.planned_room, c.planned_start
    taken: tuple[tuple[int, bool, int, int], Verdict] | None = None
    order: tuple[tuple[int, bool, int, int], Verdict] | None = None
    full: dict[str, None] = {}
    for slot in slots:
        for t in book.starts_to_try(i, day, slot):
            key = (0, slot.room != pr, abs(t - ps) if ps is not None else 0, t)
            rc = book.room_conflicts(i, day, slot.room, t)
            sc = book.surgeon_conflicts(i, day, t)
            if rc or sc:
                # the cases in the wrong order would have to move as well
                oc = [(j, r) for j, r in book.order_conflicts(i, day, slot.room, t) if j not in rc]
                v = Verdict(
                    i,
                    date,
                    CAPACITY_TAKEN,
                    slot.room,
                    t,
                    tuple(rc),
                    tuple(sc),
                    order_cases=tuple(j for j, _ in oc),
                    rules=tuple(r for _, r in oc),
                )
                key = (len(v.blocking_cases), *key[1:])
                if taken is None or key < taken[0]:
                    taken = (key, v)
                continue
            fr = book.full_resources(i, day, t)
            if fr:
                full.update(dict.fromkeys(fr))
                continue
            oc = book.order_conflicts(i, day, slot.room, t)
            if not oc:
                return Verdict(i, date, FREE, slot.room, t)
            v = Verdict(
                i,
                date,
                SEQUENCING,
                slot.room,
                t,
                order_cases=tuple(j for j, _ in oc),
                rules=tuple(r for _, r in oc),
            )
            key = (len(oc), *key[1:])
            if order is None or key < order[0]:
                order = (key, v)
    if order is not None:
        return order[1]
    if full:
        return Verdict(i, date, RESOURCE_FULL, resources=tuple(full))
    assert taken is not None
    return taken[1]


def could_wait(book: Book, j: int, date: dt.date) -> bool:
    """Could case ``j`` (operated on ``date``) have gone on a later date by its deadline?

    True when it has no deadline, has missed it already, its deadline is after the
    horizon, or some later date up to it has a hosting session where the surgeon's
    hours fit the case (whatever else is there).
    """
    deadline = book.scenario.deadline(book.scenario.cases[j])
    if deadline is None or deadline < date:  # no deadline, or missed already: no hurry
        return True
    d = date + dt.timedelta(days=1)
    last = min(deadline, book.scenario.policy.end_date)
    case_id = book.scenario.cases[j].case_id
    while d <= last:
        if (
            book.slots(j, d)
            and not book.zero_capacity(j, d)
            and book.scenario.available(case_id, d)
        ):
            return True
        d += dt.timedelta(days=1)
    return deadline > book.scenario.policy.end_date
