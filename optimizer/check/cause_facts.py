"""What the cause checker (:mod:`.causes`) knows: the schedule's rows read back as facts
(the ids of ``blocking`` and of the cases a reason names, read against the scenario's
ids so that any character may stand in an id), and the scenario's facts it re-derives
itself, minute by minute.

Like the rest of the checker, it shares no code with the model, the search or the
explanations (:func:`.plan.read_facts` holds its own windows, capacities and deadlines).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..scenario.schema import Case, Policy, Scenario, Session, UrgencyClass
from .contract import ANAESTHETIST, ICU_BED, WARD_BED
from .plan import read_facts
from .table import Row as TableRow
from .table import Table, read_table

DAY = 1440


@dataclass(frozen=True)
class Row(TableRow):
    """One schedule row as the checker reads it (:class:`.table.Row`), with its cause and
    the ids of its ``blocking``."""

    cause: str = ""
    blocking: tuple[str, ...] = ()


def read_rows(
    schedule: pd.DataFrame, scenario: Scenario, table: Table | None = None
) -> dict[str, Row]:
    """The schedule's rows by case id, each cell read as the rest of the checker reads it
    (:func:`.table.read_table`: ids exactly as written), with ``cause`` and ``blocking``.

    ``blocking`` joins its ids with ``;``; an id that holds a ``;`` itself is read back
    whole by :func:`split_known` against the scenario's ids, never cut in two.
    """
    table = read_table(schedule) if table is None else table
    known = _blocking_ids(scenario)
    extra = schedule.reindex(columns=["cause", "blocking"]).to_dict("records")
    out = {}
    for row, rec in zip(table.rows, extra, strict=True):
        if row is None:
            continue
        blocking = "" if _empty(rec["blocking"]) else str(rec["blocking"])
        cause = "" if _empty(rec["cause"]) else str(rec["cause"]).strip()
        out[row.case_id] = Row(**vars(row), cause=cause, blocking=split_known(blocking, known))
    return out


def _empty(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or v == ""


def _blocking_ids(sc: Scenario) -> frozenset[str]:
    """What a ``blocking`` cell may name: cases, surgeons, rooms and resources."""
    resources = {ANAESTHETIST, ICU_BED, WARD_BED, *(r.resource for r in sc.resources)}
    return frozenset(
        {*(c.case_id for c in sc.cases), *(c.surgeon_id for c in sc.cases), *resources}
        | {r.room_id for r in sc.rooms}
    )


def split_known(cell: str, known: frozenset[str], sep: str = ";") -> tuple[str, ...]:
    """``cell`` cut at ``sep`` into ids of ``known``: at every ``sep`` when each piece is
    known, else at the ``sep`` that leave only known ids (an id may hold ``sep``); a cell
    that cannot be cut so is cut at every ``sep``, and the checks then say what is wrong."""
    pieces = tuple(p for p in cell.split(sep) if p)
    if all(p in known for p in pieces):
        return pieces
    ends = [i for i, ch in enumerate(cell) if ch == sep] + [len(cell)]
    readings: dict[int, tuple[str, ...]] = {0: ()}  # where a piece may start: the ids before
    for k in ends:
        for start, before in list(readings.items()):
            if start <= k and cell[start:k] in known:
                readings.setdefault(k + 1, (*before, cell[start:k]))
    return readings.get(len(cell) + 1, pieces)


def named_cases(text: str, known: Collection[str]) -> list[tuple[int, str]]:
    """Where ``text`` names a case as the reasons write one, ``<id> (<class>, <note>)``:
    each place a known id stands after a space (or at the start) and before `` (``,
    longest ids first, no two overlapping; as ``(position, id)`` in the text's order.

    No character is taken to end an id, so ids with commas, quotes, tabs, semicolons or
    spaces are found whole; the text is read against the scenario's ids, not split."""
    starts = [0] + [k + 1 for k, ch in enumerate(text) if ch == " "]
    found = []  # every known id before a " (", wherever it may begin
    at = text.find(" (")
    while at >= 0:
        found += [(s, text[s:at]) for s in starts if s < at and text[s:at] in known]
        at = text.find(" (", at + 1)
    taken: list[tuple[int, str]] = []
    for s, cid in sorted(found, key=lambda f: -len(f[1])):
        if all(s + len(cid) <= t or t + len(other) <= s for t, other in taken):
            taken.append((s, cid))
    return sorted(taken)


def _at(minute: int | None) -> int:
    assert minute is not None  # a case placed in a room has its start and end
    return minute


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Whole-minute spans (both ends in), sorted and joined where they touch; empty ones
    dropped."""
    out: list[tuple[int, int]] = []
    for a, b in sorted((a, b) for a, b in spans if a <= b):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def stay(c: Case, date: dt.date) -> list[tuple[str, dt.date]]:
    """The beds case ``c`` operated on ``date`` holds, by date (the contract, written out
    again): ICU on its first ``icu_days`` dates when it needs ICU, then the ward."""
    icu = c.icu_days if c.needs_icu else 0
    out = [(ICU_BED, date + dt.timedelta(days=k)) for k in range(icu)]
    return out + [(WARD_BED, date + dt.timedelta(days=icu + k)) for k in range(c.ward_days)]


def precedes(a: frozenset[str], b: frozenset[str]) -> bool:
    """Contract rule 6, written out again: must a case flagged ``a`` go before one flagged ``b``?"""
    if "latex_allergy" in a and "latex_allergy" not in b:
        return True
    if "paediatric" in a and not ({"latex_allergy", "paediatric"} & b):
        return True
    return "infectious" in b and "infectious" not in a


def urgency_rank(policy: Policy) -> dict[str, int]:
    """Rank of each class, 0 = most urgent (smaller delay, then larger weight, then name).

    The checker's own copy of :attr:`optimizer.scenario.schema.Policy.urgency_rank`,
    deliberately: the judge re-derives what it judges by."""
    order = sorted(
        policy.urgency.values(),
        key=lambda c: (c.max_delay_days is None, c.max_delay_days or 0, -c.weight, c.name),
    )
    return {c.name: i for i, c in enumerate(order)}


def urgency_level(policy: Policy) -> dict[str, int]:
    """Level of each class, 0 = most urgent: smaller delay, then larger weight, and nothing
    else, so two classes alike in both share a level (neither is "more urgent")."""

    def key(c: UrgencyClass) -> tuple[bool, int, float]:
        return (c.max_delay_days is None, c.max_delay_days or 0, -c.weight)

    keys = sorted({key(c) for c in policy.urgency.values()})
    return {c.name: keys.index(key(c)) for c in policy.urgency.values()}


class CauseFacts:
    """The scenario's lookups as the checker builds them itself (:func:`.plan.read_facts`:
    its own windows, capacities and deadlines, none of the data model's helpers)."""

    def __init__(self, scenario: Scenario, rows: dict[str, Row]) -> None:
        self.sc = scenario
        self.own = read_facts(scenario)
        self.pools = frozenset(r.resource for r in scenario.resources) - {
            ANAESTHETIST,
            ICU_BED,
            WARD_BED,
        }
        self.rows = rows
        self.case = {c.case_id: c for c in scenario.cases}
        self.rank = urgency_level(scenario.policy)  # what "more urgent" is judged by
        self.on: dict[dt.date, list[tuple[Case, Row]]] = {}
        self.beds: dict[tuple[str, dt.date], list[str]] = {}  # cases holding a bed that date
        # the same cases by room and by surgeon, so that a start's neighbours are few to scan
        self.in_room: dict[tuple[dt.date, str], list[tuple[Case, Row]]] = {}
        self.by_surgeon: dict[tuple[dt.date, str], list[tuple[Case, Row]]] = {}
        for c in scenario.cases:
            r = rows[c.case_id]
            if r.date is not None and r.room_id is not None and r.start is not None:
                self.on.setdefault(r.date, []).append((c, r))
                self.in_room.setdefault((r.date, r.room_id), []).append((c, r))
                self.by_surgeon.setdefault((r.date, c.surgeon_id), []).append((c, r))
                for key in stay(c, r.date):
                    self.beds.setdefault(key, []).append(c.case_id)
        self._usage: dict[tuple[str, dt.date, str, bool], list[int]] = {}
        self._counts: dict[tuple[dt.date, str, bool], list[int]] = {}  # every case's
        self.sessions_on: dict[dt.date, list[Session]] = {}  # in the scenario's order
        for s in scenario.sessions:
            self.sessions_on.setdefault(s.date, []).append(s)
        # the dates each patient cannot come, by case (a region's rows would scan them all)
        self.away: dict[str, list[tuple[dt.date, dt.date]]] = {}
        for u in scenario.unavailable:
            self.away.setdefault(u.case_id, []).append((u.from_date, u.to_date))

    def hosting(self, c: Case, date: dt.date) -> list[Session]:
        out = []
        for s in self.sessions_on.get(date, ()):
            room = self.own.rooms[s.room_id]
            if s.specialty not in (None, c.specialty):
                continue
            if room.specialties and c.specialty not in room.specialties:
                continue
            fixed = [e for e in c.equipment if e not in self.pools]
            if all(e in room.equipment for e in fixed):
                out.append(s)
        return out

    def first_minute(self, c: Case, date: dt.date) -> int:
        """The first minute ``c`` may start on ``date``: ``now`` on the day begun (policy),
        unless the case is held there at its start (pinned, or fixed at ``fixed_start``)."""
        policy = self.sc.policy
        if policy.now is None or date != policy.start_date:
            return 0
        if (c.pinned and c.planned_date == date) or (
            c.fixed_date == date and c.fixed_start is not None
        ):
            return 0
        return policy.now

    def starts(self, c: Case, date: dt.date) -> list[tuple[str, int]]:
        """Every (room, start) in a hosting session and inside the surgeon's hours."""
        return list(self.each_start(c, date))

    def each_start(self, c: Case, date: dt.date) -> Iterator[tuple[str, int]]:
        """:meth:`starts` one at a time, for the checks that stop at the first that will do."""
        windows = self.own.windows.get(c.surgeon_id)
        floor = self.first_minute(c, date)
        for s in self.hosting(c, date):
            for t in range(max(s.start, floor), s.end - c.duration_min + 1):
                if windows is not None and not any(
                    a <= t and t + c.duration_min <= b for a, b in windows.get(date, ())
                ):
                    continue
                yield s.room_id, t

    def free_starts(self, c: Case, date: dt.date) -> Iterator[tuple[str, int]]:
        """The starts of :meth:`starts` where neither the room (turnover included) nor the
        surgeon is taken, in the same order, one at a time: each session's minutes less
        those the cases already there rule out, taken as spans rather than minute by minute
        (a region's dates hold thousands of starts)."""
        turnover, dur = self.sc.policy.turnover_min, c.duration_min
        windows = self.own.windows.get(c.surgeon_id)
        others = self.by_surgeon.get((date, c.surgeon_id), ())
        surgeon = [r for o, r in others if o.case_id != c.case_id]
        floor = self.first_minute(c, date)
        for s in self.hosting(c, date):
            lo, hi = max(s.start, floor), s.end - dur
            spans = [(lo, hi)] if windows is None else _merged(
                (max(lo, a), min(hi, b - dur)) for a, b in windows.get(date, ())
            )  # fmt: skip
            room = [r for o, r in self.in_room.get((date, s.room_id), ()) if o.case_id != c.case_id]
            taken = _merged(
                [(_at(r.start) - dur - turnover + 1, _at(r.end) + turnover - 1) for r in room]
                + [(_at(r.start) - dur + 1, _at(r.end) - 1) for r in surgeon]
            )
            for a, b in spans:
                t = a
                for x, y in taken:
                    if y < t:
                        continue
                    if x > b:
                        break
                    yield from ((s.room_id, m) for m in range(t, min(x, b + 1)))
                    t = max(t, y + 1)
                yield from ((s.room_id, m) for m in range(t, b + 1))

    def busy(self, c: Case, date: dt.date, room: str, t: int) -> bool:
        """Is the room (turnover included) or the surgeon taken by another case at
        [t, t + duration)?"""
        turnover = self.sc.policy.turnover_min
        end = t + c.duration_min
        for o, r in self.in_room.get((date, room), ()):
            assert r.start is not None and r.end is not None
            if o.case_id != c.case_id and t < r.end + turnover and r.start < end + turnover:
                return True
        for o, r in self.by_surgeon.get((date, c.surgeon_id), ()):
            assert r.start is not None and r.end is not None
            if o.case_id != c.case_id and t < r.end and r.start < end:
                return True
        return False

    def full(self, c: Case, date: dt.date, t: int, res: str) -> bool:
        """Is ``res`` at capacity for ``c`` starting at ``t`` on ``date``: a bed on some date
        of its stay, the anaesthetists (running cases or inductions) or a pool at some minute."""
        if res in (ICU_BED, WARD_BED):
            return any(
                len([o for o in self.beds.get(key, []) if o != c.case_id]) >= cap
                for key in stay(c, date)
                if key[0] == res and (cap := self.own.capacity.get(key)) is not None
            )
        cap = self.own.capacity.get((res, date))
        if cap is None:
            return False
        if res != ANAESTHETIST:
            return max(self._used(c, date, res, False)[t : t + c.duration_min]) >= cap
        running = cap * self.sc.policy.anaesthetist_rooms
        if max(self._used(c, date, res, False)[t : t + c.duration_min]) >= running:
            return True
        inducting = self._used(c, date, res, True)[t : t + c.induction_min]
        return bool(inducting) and max(inducting) >= cap

    def _used(self, c: Case, date: dt.date, res: str, induction: bool) -> list[int]:
        """Cases holding ``res`` on ``date`` minute by minute (with ``induction``: those in
        their induction), the case itself aside: every case's count, read once per date,
        less the case's own minutes when it is operated that date."""
        key = (date, res, induction)
        if key not in self._counts:
            self._counts[key] = self._count(date, res, induction, None)
        r = self.rows.get(c.case_id)
        if r is None or r.date != date or r.start is None or not self.uses(c, res):
            return self._counts[key]
        own = (c.case_id, date, res, induction)
        if own not in self._usage:
            self._usage[own] = self._count(date, res, induction, c.case_id)
        return self._usage[own]

    def _count(self, date: dt.date, res: str, induction: bool, aside: str | None) -> list[int]:
        used = [0] * (DAY + 1)
        for o, r in self.on.get(date, []):
            if o.case_id == aside or not self.uses(o, res):
                continue
            assert r.start is not None and r.end is not None
            end = r.start + o.induction_min if induction else r.end
            for m in range(r.start, min(end, DAY)):
                used[m] += 1
        return used

    def zero(self, c: Case, date: dt.date, res: str) -> bool:
        """Has ``res`` no capacity where ``c`` operated on ``date`` would need it?"""
        if res in (ICU_BED, WARD_BED):
            return any(k[0] == res and self.own.capacity.get(k) == 0 for k in stay(c, date))
        return self.own.capacity.get((res, date)) == 0

    def out_of_order(self, c: Case, date: dt.date, room: str, t: int) -> list[str]:
        out = []
        for o, r in self.in_room.get((date, room), ()):
            if o.case_id == c.case_id:
                continue
            assert r.start is not None
            first, then = (c, o) if t <= r.start else (o, c)
            if precedes(then.flags, first.flags):
                out.append(o.case_id)
        return out

    def uses(self, c: Case, res: str) -> bool:
        if res == ANAESTHETIST:
            return c.anaesthesia != "local"
        if res == ICU_BED:
            return c.needs_icu
        if res == WARD_BED:
            return c.ward_days > 0
        return res in c.equipment and res in self.pools

    def could_use(self, c: Case, date: dt.date, other: str) -> bool:
        """Is ``other`` operated on ``date`` in a session ``c`` could use, or by c's surgeon?"""
        r, o = self.rows[other], self.case[other]
        if r.date != date or r.room_id is None:
            return False
        hosting = {s.room_id for s in self.hosting(c, date)}
        return r.room_id in hosting or o.surgeon_id == c.surgeon_id
