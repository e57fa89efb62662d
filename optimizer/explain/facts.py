"""The facts behind a cause: what the final schedule holds on a date, and where a case could go.

Everything here is read from the full scenario and the final schedule, never
from the solver's (possibly restricted) option lists, so that a reason says
what a planner would find by looking at the day sheet: the sessions that are
open, the surgeon's hours, who is in the room, what the anaesthetists and
pools are doing at those minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from .. import rules
from ..facts.booking import Booking as Booking
from ..scenario.schema import ANAESTHETIST, BEDS, Case, PartnerCapacity, Scenario, Session
from .budget import ReasonsBudget, Spending
from .starts import Source, sources

MINUTES = 1440
INDUCTION = "anaesthetist induction"  # Day.users key: the cases in their induction


@cache
def must_precede(a: frozenset[str], b: frozenset[str]) -> str | None:
    """The flag of the sequencing rule (contract rule 6, :func:`optimizer.rules.precedence_rule`)
    that puts a case flagged ``a`` before one flagged ``b``, if any."""
    rule = rules.precedence_rule(a, b)
    return None if rule is None else rule.flag


def hosts(scenario: Scenario, case: Case, session: Session) -> bool:
    """Does the session's room host the case: specialty (room list and block), fixed equipment."""
    room = scenario.room_by_id[session.room_id]
    if not room.hosts(case.specialty) or session.specialty not in (None, case.specialty):
        return False
    fixed = [e for e in case.equipment if e not in scenario.pool_names]
    return all(e in room.equipment for e in fixed)


@dataclass(frozen=True)
class Opening:
    """A room session on a date and the starts a case may take in it (surgeon's hours included):
    where a case could go, not where it is (:class:`~optimizer.facts.booking.Booking`)."""

    room: str
    session: Session
    spans: tuple[tuple[int, int], ...]  # inclusive ranges of start minutes


@dataclass(frozen=True)
class Hold:
    """A case operated here on a date: its room, start and end."""

    case: int
    room: str
    start: int
    end: int


@dataclass
class Day:
    """The final schedule on one date: rooms, surgeons, resources in use minute by minute."""

    date: dt.date
    rooms: dict[str, list[Hold]] = field(default_factory=lambda: defaultdict(list))
    surgeons: dict[str, list[Hold]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, list[Hold]] = field(default_factory=lambda: defaultdict(list))
    # per resource: prefix sums of "minute at capacity", built on first use
    _full: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Book:
    """The final schedule indexed for questions about dates, rooms, surgeons and resources."""

    scenario: Scenario
    bookings: tuple[Booking, ...]
    memo: dict[tuple[int, dt.date], object] = field(default_factory=dict)  # see verdict()
    _hosting: dict[tuple[str, tuple[str, ...], dt.date], list[Session]] = field(
        default_factory=dict
    )
    _lists: dict[tuple[str, str, dt.date], tuple[list[int], list[int]]] = field(
        default_factory=dict
    )
    waits: dict[tuple[int, dt.date], bool] = field(default_factory=dict)  # see could_wait()
    spending: Spending = field(default_factory=lambda: Spending(ReasonsBudget()))

    @cached_property
    def index(self) -> dict[str, int]:
        return {c.case_id: i for i, c in enumerate(self.scenario.cases)}

    @cached_property
    def rank(self) -> list[int]:
        """Per case: its class's urgency level (equally urgent classes share one)."""
        levels = self.scenario.policy.urgency_level
        return [levels[c.urgency] for c in self.scenario.cases]

    @cached_property
    def partners(self) -> list[PartnerCapacity]:
        """The partner places by date and partner."""
        return sorted(self.scenario.partners, key=lambda p: (p.date, p.partner_id))

    @cached_property
    def takers(self) -> dict[tuple[str, dt.date, str], list[int]]:
        """Cases transferred, by partner, date and specialty (in case order)."""
        out: dict[tuple[str, dt.date, str], list[int]] = defaultdict(list)
        for j, (o, ob) in enumerate(zip(self.scenario.cases, self.bookings, strict=True)):
            if ob.status == "transferred" and ob.partner is not None and ob.date is not None:
                out[ob.partner, ob.date, o.specialty].append(j)
        return out

    @cached_property
    def sessions_on(self) -> dict[dt.date, list[Session]]:
        out: dict[dt.date, list[Session]] = defaultdict(list)
        for s in sorted(self.scenario.sessions, key=lambda s: (s.date, s.room_id)):
            out[s.date].append(s)
        return out

    @cached_property
    def days(self) -> dict[dt.date, Day]:
        out: dict[dt.date, Day] = {}
        pools = self.scenario.pool_names
        for i, (c, b) in enumerate(zip(self.scenario.cases, self.bookings, strict=True)):
            if not b.here or b.date is None:
                continue
            assert b.room is not None and b.start is not None
            day = out.setdefault(b.date, Day(b.date))
            hold = Hold(i, b.room, b.start, b.start + c.duration_min)
            day.rooms[b.room].append(hold)
            day.surgeons[c.surgeon_id].append(hold)
            if c.needs_anaesthetist:
                day.users[ANAESTHETIST].append(hold)
                if c.induction_min:
                    day.users[INDUCTION].append(Hold(i, b.room, b.start, b.start + c.induction_min))
            for e in c.equipment:
                if e in pools:
                    day.users[e].append(hold)
        for day in out.values():
            for holds in (*day.rooms.values(), *day.surgeons.values()):
                holds.sort(key=lambda h: (h.start, h.case))
        return out

    @cached_property
    def beds(self) -> dict[tuple[str, dt.date], list[int]]:
        """Per bed and date, the cases whose stay covers it (operated that date or before)."""
        out: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
        for i, b in enumerate(self.bookings):
            if b.here and b.date is not None:
                for key in self.stay(i, b.date):
                    out[key].append(i)
        return out

    def stay(self, i: int, date: dt.date) -> list[tuple[str, dt.date]]:
        """The beds case ``i`` operated on ``date`` holds, by date."""
        return [(bed, date + dt.timedelta(days=k)) for bed, k in self.scenario.cases[i].bed_stay]

    def day(self, date: dt.date) -> Day:
        return self.days.get(date) or Day(date)

    def capacity(self, resource: str, date: dt.date) -> int | None:
        return self.scenario.capacity.get((resource, date))

    def resources_of(self, case: Case) -> list[str]:
        """The resources a case holds while it runs (anaesthetist, pools), in a fixed order."""
        names = [ANAESTHETIST] if case.needs_anaesthetist else []
        return names + sorted({e for e in case.equipment if e in self.scenario.pool_names})

    def hosting(self, i: int, date: dt.date) -> list[Session]:
        """Sessions open on ``date`` whose room hosts case ``i``, whatever their length.

        Read once per specialty, fixed equipment and date (cases alike share it)."""
        c = self.scenario.cases[i]
        fixed = tuple(e for e in c.equipment if e not in self.scenario.pool_names)
        key = (c.specialty, fixed, date)
        known = self._hosting.get(key)
        if known is None:
            sessions = self.sessions_on.get(date, [])
            known = self._hosting[key] = [s for s in sessions if hosts(self.scenario, c, s)]
        return list(known)

    def windows(self, i: int, date: dt.date) -> tuple[tuple[int, int], ...] | None:
        """The surgeon's hours that date (merged); ``None``: the surgeon has no listed hours."""
        per_date = self.scenario.windows_by_surgeon.get(self.scenario.cases[i].surgeon_id)
        return None if per_date is None else per_date.get(date, ())

    def openings(self, i: int, date: dt.date, *, after_now: bool = True) -> list[Opening]:
        """Hosting sessions long enough for the case, with the starts the surgeon's hours
        allow (and, ``after_now``, none before the time the plan was made: :meth:`floor`)."""
        dur = self.scenario.cases[i].duration_min
        windows = self.windows(i, date)
        floor = self.floor(i, date) if after_now else 0
        out = []
        for s in self.hosting(i, date):
            first = max(s.start, floor)
            if windows is None:
                spans: tuple[tuple[int, int], ...] = (
                    ((first, s.end - dur),) if s.end - first >= dur else ()
                )
            else:
                spans = tuple(
                    (max(a, first), min(b, s.end) - dur)
                    for a, b in windows
                    if max(a, first) <= min(b, s.end) - dur
                )
            if spans:
                out.append(Opening(s.room_id, s, spans))
        return out

    def floor(self, i: int, date: dt.date) -> int:
        """The first minute case ``i`` may start on ``date``: the time the plan was made
        (``policy.now``) on its first date, unless the case is held there at its start."""
        policy, c = self.scenario.policy, self.scenario.cases[i]
        if policy.now is None or date != policy.start_date:
            return 0
        slot = c.fixed_slot
        if slot is not None and slot.date == date and slot.start is not None:
            return 0
        return policy.now

    def zero_capacity(self, i: int, date: dt.date) -> list[str]:
        """Resources the case needs whose capacity is 0 on ``date``."""
        c = self.scenario.cases[i]
        out = [r for r in self.resources_of(c) if self.capacity(r, date) == 0]
        zero_beds = {bed for bed, d in self.stay(i, date) if self.capacity(bed, d) == 0}
        return out + [bed for bed in BEDS if bed in zero_beds]

    # -- conflicts of case i placed at (room, start) on a date --------------------------

    def room_conflicts(self, i: int, day: Day, room: str, start: int) -> list[int]:
        c = self.scenario.cases[i]
        turnover = self.scenario.policy.turnover_min
        end = start + c.duration_min
        return [
            h.case
            for h in day.rooms.get(room, [])
            if h.case != i and start < h.end + turnover and h.start < end + turnover
        ]

    def surgeon_conflicts(self, i: int, day: Day, start: int) -> list[int]:
        c = self.scenario.cases[i]
        end = start + c.duration_min
        return [
            h.case
            for h in day.surgeons.get(c.surgeon_id, [])
            if h.case != i and start < h.end and h.start < end
        ]

    def full_resources(self, i: int, day: Day, start: int) -> list[str]:
        """Resources at capacity at some minute of [start, end) (the anaesthetists: running
        cases, or inductions during its own), or beds full on some date of its stay."""
        c = self.scenario.cases[i]
        end = start + c.duration_min
        out = []
        for res in self.resources_of(c):
            cap = self.capacity(res, day.date)
            if cap is None:
                continue
            if res == ANAESTHETIST:
                ind = start + c.induction_min
                if ind > start and self._full_without(i, day, INDUCTION, cap, start, ind):
                    out.append(res)
                    continue
                cap *= self.scenario.policy.anaesthetist_rooms
            if self._full_without(i, day, res, cap, start, end):
                out.append(res)
        return out + self.full_beds(i, day.date)

    def full_beds(self, i: int, date: dt.date) -> list[str]:
        """Beds that other cases fill on some date of the stay case ``i`` would begin on
        ``date``: whatever its start that day."""
        full = {
            bed
            for bed, d in self.stay(i, date)
            if (cap := self.capacity(bed, d)) is not None
            and len([j for j in self.beds.get((bed, d), []) if j != i]) >= cap
        }
        return [bed for bed in BEDS if bed in full]

    def bed_pinch(
        self, i: int, date: dt.date, bed: str, zero: bool
    ) -> tuple[dt.date, dt.date, dt.date]:
        """Case ``i`` operated on ``date``: the first and last dates it would hold ``bed``,
        and the first of them with no such bed at all (``zero``) or none left for it."""
        dates = [d for b, d in self.stay(i, date) if b == bed]
        for d in dates:
            cap = self.capacity(bed, d)
            if cap is None:
                continue
            if (
                (cap == 0)
                if zero
                else len([j for j in self.beds.get((bed, d), []) if j != i]) >= cap
            ):
                return dates[0], dates[-1], d
        return dates[0], dates[-1], dates[0]

    def _full_without(self, i: int, day: Day, res: str, cap: int, start: int, end: int) -> bool:
        """Is ``res`` held by ``cap`` cases other than ``i`` at some minute of [start, end)?
        A case moved on its own date holds ``res`` at its new time, which may overlap the time
        asked about: there it takes one more holder to fill ``res`` for it."""
        own = [h for h in day.users.get(res, []) if h.case == i]
        if not own:
            return self._full(day, res, cap, start, end)
        a, b = max(start, own[0].start), min(end, own[0].end)
        if a >= b:
            return self._full(day, res, cap, start, end)
        return (
            self._full(day, res, cap, start, a)
            or self._full(day, res, cap + 1, a, b)
            or self._full(day, res, cap, b, end)
        )

    def _full(self, day: Day, res: str, cap: int, start: int, end: int) -> bool:
        """Is ``res`` held by ``cap`` cases at some minute of [start, end)?"""
        key = f"{res} {cap}"
        if key not in day._full:
            used = [0] * (MINUTES + 1)
            for h in day.users.get(res, []):
                for m in range(h.start, min(h.end, MINUTES)):
                    used[m] += 1
            prefix = [0]
            for m in range(MINUTES + 1):
                prefix.append(prefix[-1] + (used[m] >= cap))
            day._full[key] = prefix
        prefix = day._full[key]
        return prefix[end] - prefix[start] > 0

    def order_rules(
        self, i: int, day: Day, room: str
    ) -> list[tuple[int, int, str | None, str | None]]:
        """Per other case in the room (in :meth:`order_conflicts`' order): its start, index, the
        rule it breaks if it runs before case ``i``, and the one if it runs after."""
        flags = self.scenario.cases[i].flags
        holds = day.rooms.get(room, [])
        if not flags and not any(self.scenario.cases[h.case].flags for h in holds):
            return []
        out = []
        for h in holds:
            other = self.scenario.cases[h.case].flags
            if h.case == i or not (flags or other):
                continue
            out.append((h.start, h.case, must_precede(flags, other), must_precede(other, flags)))
        return out

    def order_conflicts(self, i: int, day: Day, room: str, start: int) -> list[tuple[int, str]]:
        """Cases in the room whose order with case i at ``start`` breaks a sequencing rule."""
        out = []
        for other_start, h, before, after in self.order_rules(i, day, room):
            # a case starting at or after i's start comes after i
            rule = after if other_start >= start else before
            if rule is not None:
                out.append((h, rule))
        return out

    def shared_sources(self, i: int, day: Day) -> list[Source]:
        """The starts worth trying for case ``i`` that do not depend on the room (around the
        surgeon's cases and those of its resources), see :mod:`.starts`."""
        c = self.scenario.cases[i]
        out = self._sources("surgeon", c.surgeon_id, day, c.duration_min)
        for res in self.resources_of(c):
            out += self._sources("resource", res, day, c.duration_min)
        return out

    def room_sources(self, i: int, day: Day, room: str) -> list[Source]:
        """The starts worth trying around the cases of ``room`` (see :mod:`.starts`)."""
        return self._sources("room", room, day, self.scenario.cases[i].duration_min)

    def _sources(self, kind: str, key: str, day: Day, duration: int) -> list[Source]:
        """Built once per date and room, surgeon or resource; ``duration`` is the case's."""
        lists = self._lists.get((kind, key, day.date))
        if lists is None:
            by = {"room": day.rooms, "surgeon": day.surgeons, "resource": day.users}[kind]
            turnover = self.scenario.policy.turnover_min
            (ends, _), (begins, _) = sources(by.get(key, []), turnover, 0)
            lists = self._lists[kind, key, day.date] = (ends, begins)
        return [(lists[0], 0), (lists[1], duration)]


def bookings_from_schedule(scenario: Scenario, rows: Sequence[Mapping[str, Any]]) -> list[Booking]:
    """The final schedule as read from ``schedule.csv`` (cells as text, empty = ``None``/``""``),
    in the scenario's case order.

    Raises
    ------
    ValueError
        A case of the scenario has no row, or a row names no case of the scenario.
    """
    by_id = {str(r["case_id"]): r for r in rows}
    unknown = sorted(set(by_id) - {c.case_id for c in scenario.cases})
    missing = [c.case_id for c in scenario.cases if c.case_id not in by_id]
    if unknown or missing:
        raise ValueError(
            "the schedule does not match the scenario: "
            f"missing {missing[:5]}, unknown {unknown[:5]}"
        )
    return [Booking.from_cells(by_id[c.case_id]) for c in scenario.cases]
