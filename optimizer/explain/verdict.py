"""Why a case is not operated on one date: the limit that binds, read from the final schedule.

A verdict tries every start the case could take that date (hosting sessions,
the surgeon's hours) against what the final schedule holds there, and names
the first limit that stops all of them, in this order: the patient cannot come
that date (``unavailable.csv``), no session at all, no start left after the time the
plan was made (``now``, on its first date), a resource with no capacity
that date, the surgeon's hours, a bed other cases fill on a date of its stay
(whatever the start), the room and surgeon time taken by other cases, a
resource at capacity, the sequencing order. When some start is free of all of
them the verdict says so (``free``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass

from .facts import Book, Opening
from .starts import Starts

# kinds, from "a place was there" to "nothing could be done that date"
FREE = "free"
SEQUENCING = "sequencing"
RESOURCE_FULL = "resource_full"
CAPACITY_TAKEN = "capacity_taken"
RESOURCE_ZERO = "resource_zero"
SURGEON_UNAVAILABLE = "surgeon_unavailable"
SESSION_SHORT = "session_short"
DAY_BEGUN = "day_begun"  # the plan made during the day (policy.now): no opening after it
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
    DAY_BEGUN,
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


def known_verdict(book: Book, i: int, date: dt.date) -> Verdict | None:
    """The verdict, when known without a new search of the starts (the reasons' budget spent,
    see :mod:`.budget`): one already made, or one that needs no search; else ``None``."""
    known = book.memo.get((i, date))
    return known if isinstance(known, Verdict) else _without_search(book, i, date)


def _verdict(book: Book, i: int, date: dt.date) -> Verdict:
    found = _without_search(book, i, date)
    if found is not None:
        return found
    book.spending.search()  # raises BudgetSpent when the reasons' budget is spent
    return _best_start(book, i, date, book.openings(i, date))


def _without_search(book: Book, i: int, date: dt.date) -> Verdict | None:
    """The limits read without trying starts, in the order of the module docstring; ``None``
    when every start has to be tried."""
    c = book.scenario.cases[i]
    if not book.scenario.available(c.case_id, date):
        return Verdict(i, date, PATIENT_AWAY)
    hosting = book.hosting(i, date)
    if not hosting:
        return Verdict(i, date, NO_SESSION)
    zero = book.zero_capacity(i, date)
    if zero:
        return Verdict(i, date, RESOURCE_ZERO, resources=tuple(zero))
    openings = book.openings(i, date)
    windows = book.windows(i, date)
    if not openings and book.openings(i, date, after_now=False):
        return Verdict(i, date, DAY_BEGUN)
    if not openings:
        long_enough = [s for s in hosting if s.end - s.start >= c.duration_min]
        if windows is not None and long_enough:
            return Verdict(i, date, SURGEON_UNAVAILABLE, hours=windows)
        return Verdict(i, date, SESSION_SHORT)
    beds = book.full_beds(i, date)
    if beds:  # a bed is taken for the whole date: no start would do, whoever holds the room
        return Verdict(i, date, RESOURCE_FULL, resources=tuple(beds))
    return None


def _best_start(book: Book, i: int, date: dt.date, openings: list[Opening]) -> Verdict:
    """The verdict among the starts worth trying (:mod:`.starts`), opening by opening.

    The first free start wins; else the sequencing conflict with the fewest cases,
    nearest the planned place; else the resources at capacity; else the start with
    the fewest cases in the way. What does not change with the start (the surgeon's
    other cases, the order rules against each case in the room, the resources'
    start lists) is read once per date and room, not once per start:
    at a university's scale there are hundreds of starts per date.
    """
    c = book.scenario.cases[i]
    day = book.day(date)
    pr, ps = c.planned_room, c.planned_start
    dur = c.duration_min
    turnover = book.scenario.policy.turnover_min
    surgeon = [(h.start, h.end, h.case) for h in day.surgeons.get(c.surgeon_id, []) if h.case != i]
    shared = book.shared_sources(i, day)
    taken: tuple[Key, Verdict] | None = None
    order: tuple[Key, Verdict] | None = None
    full: dict[str, None] = {}
    for slot in openings:
        room = [(h.start, h.end, h.case) for h in day.rooms.get(slot.room, []) if h.case != i]
        rules = book.order_rules(i, day, slot.room)  # per case in the room: (before, after)
        other_room = slot.room != pr
        lists = [*shared, *book.room_sources(i, day, slot.room)]
        # the cases in the way and the order broken change only at these starts
        edges = sorted(
            {
                *(x for a, b, _ in room for x in (b + turnover, a - dur - turnover + 1)),
                *(x for a, b, _ in surgeon for x in (b, a - dur + 1)),
                *(a + 1 for a, _, _, _ in rules),
            }
        )
        for span in sorted(slot.spans):
            starts = Starts(lists, span)
            t, stop = span
            while t <= stop:  # stretch by stretch: [t, last] has the same cases in the way
                k = bisect_right(edges, t)
                last = stop if k == len(edges) else min(stop, edges[k] - 1)
                end = t + dur
                rc = [j for a, b, j in room if t < b + turnover and a < end + turnover]
                sc = [j for a, b, j in surgeon if t < b and a < end]
                if rc or sc:
                    # the start of the stretch nearest the planned start stands for them all
                    least = (len({*rc, *sc}), other_room)
                    if order is None and not full and (taken is None or least <= taken[0][:2]):
                        u = starts.nearest(t, last, ps)
                        if u is not None:
                            taken = _taken(
                                i,
                                date,
                                slot.room,
                                u,
                                rc,
                                sc,
                                rules,
                                _place(other_room, u, ps),
                                taken,
                            )
                else:
                    oc = [(j, r) for _, j, r in _order(rules, t)]
                    for u in starts.between(t, last):
                        fr = book.full_resources(i, day, u)
                        if fr:
                            full.update(dict.fromkeys(fr))
                            continue
                        if not oc:
                            return Verdict(i, date, FREE, slot.room, u)
                        key = (len(oc), *_place(other_room, u, ps))
                        if order is None or key < order[0]:
                            v = Verdict(
                                i,
                                date,
                                SEQUENCING,
                                slot.room,
                                u,
                                order_cases=tuple(j for j, _ in oc),
                                rules=tuple(r for _, r in oc),
                            )
                            order = (key, v)
                t = last + 1
    if order is not None:
        return order[1]
    if full:
        return Verdict(i, date, RESOURCE_FULL, resources=tuple(full))
    assert taken is not None
    return taken[1]


Key = tuple[int, bool, int, int]


def _place(other_room: bool, u: int, planned: int | None) -> tuple[bool, int, int]:
    """How far a start is from the planned place: another room, minutes away, the start."""
    return other_room, abs(u - planned) if planned is not None else 0, u


def _taken(
    i: int,
    date: dt.date,
    room: str,
    u: int,
    rc: list[int],
    sc: list[int],
    rules: list[tuple[int, int, str | None, str | None]],
    place: tuple[bool, int, int],
    taken: tuple[Key, Verdict] | None,
) -> tuple[Key, Verdict] | None:
    """The better of ``taken`` and case ``i`` at ``u`` in ``room`` with ``rc`` and ``sc`` in the
    way (and those in the wrong order, who would have to move as well): fewer cases, then
    ``place`` (another room, distance to the planned start, the start)."""
    oc = [(j, r) for _, j, r in _order(rules, u) if j not in rc]
    key = (len({*rc, *sc, *(j for j, _ in oc)}), *place)
    if taken is not None and not key < taken[0]:
        return taken
    v = Verdict(
        i,
        date,
        CAPACITY_TAKEN,
        room,
        u,
        tuple(rc),
        tuple(sc),
        order_cases=tuple(j for j, _ in oc),
        rules=tuple(r for _, r in oc),
    )
    return key, v


def _order(
    rules: list[tuple[int, int, str | None, str | None]], t: int
) -> list[tuple[int, int, str]]:
    """The order rules broken with the case starting at ``t``: a case in the room starting at
    or after ``t`` comes after it, the others before it."""
    out = []
    for a, j, before, after in rules:
        r = after if a >= t else before
        if r is not None:
            out.append((a, j, r))
    return out


def could_wait(book: Book, j: int, date: dt.date) -> bool:
    """Could case ``j`` (operated on ``date``) have gone on a later date by its deadline?

    True when it has no deadline, has missed it already, its deadline is after the
    horizon, or some later date up to it has a hosting session where the surgeon's
    hours fit the case (whatever else is there).
    """
    known = book.waits.get((j, date))
    if known is None:
        known = book.waits[j, date] = _could_wait(book, j, date)
    return known


def _could_wait(book: Book, j: int, date: dt.date) -> bool:
    deadline = book.scenario.deadline(book.scenario.cases[j])
    if deadline is None or deadline < date:  # no deadline, or missed already: no hurry
        return True
    d = date + dt.timedelta(days=1)
    last = min(deadline, book.scenario.policy.end_date)
    case_id = book.scenario.cases[j].case_id
    while d <= last:
        if (
            book.openings(j, d)
            and not book.zero_capacity(j, d)
            and book.scenario.available(case_id, d)
        ):
            return True
        d += dt.timedelta(days=1)
    return deadline > book.scenario.policy.end_date
