"""The first fit's bookkeeping: what is already placed, and whether a new placement obeys
every rule of the contract there (rooms and turnovers, surgeons, resources and beds,
anaesthetists and their inductions, reserves, sequencing, partner places).

:mod:`.construct` decides the order in which cases are placed; the settling and
Benders steps test their moves against the same :class:`Occupancy`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..facts.candidates import Candidates, RoomOption
from ..facts.solution import Placement
from ..rules import must_precede
from ..scenario.schema import ANAESTHETIST

# the sequencing rule of two cases' flags, asked at every test of a start: the same few pairs
_precedes = functools.lru_cache(maxsize=None)(must_precede)

NEVER = 10**9
MINUTES = 1440
INDUCTION = "anaesthetist induction"  # the minutes an anaesthetist spends inducting a case


@dataclass
class Occupancy:
    """What is already placed, to test a new placement against every rule."""

    cand: Candidates
    room_day: dict[tuple[int, int], list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (day, room) -> [(start, end, case)]
    surgeon_day: dict[tuple[str, int], list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # per (resource, day): cases using it at each minute of the day (an array: a case's
    # minutes are added, removed and tested as one slice, not minute by minute)
    usage: dict[tuple[str, int], npt.NDArray[np.int32]] = field(
        default_factory=lambda: defaultdict(lambda: np.zeros(MINUTES + 1, dtype=np.int32))
    )
    # per (bed, day): the cases whose stay covers that date (see Candidates.stay)
    beds_used: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    # per (day, room): minutes of the cases placed, plus one turnover each
    room_load: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    partner_used: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # per reserve group (see model.levers): elective minutes placed, turnover included
    elective_load: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # per case: what it holds while it runs (resources_of), read at every test of a start
    held: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    # per (resource, day): resource_capacity, read at every test of a start
    capacities: dict[tuple[str, int], int | None] = field(default_factory=dict)

    def _reserve_groups(self, i: int, day: int, room: int) -> tuple[int, ...]:
        lev = self.cand.levers
        if lev is None or not lev.reserves or not lev.elective[i]:
            return ()
        return lev.groups_of.get((day, room), ())

    def resources_of(self, i: int) -> list[tuple[str, int]]:
        """What case ``i`` holds while it runs: ``(resource, minutes from its start)``; an
        induction holds an anaesthetist (:data:`INDUCTION`) for its first minutes."""
        known = self.held.get(i)
        if known is None:
            known = self.held[i] = self._resources_of(i)
        return known

    def _resources_of(self, i: int) -> list[tuple[str, int]]:
        c = self.cand.cases[i]
        pools = self.cand.scenario.pool_names
        names = [(e, c.duration_min) for e in c.equipment if e in pools]
        if c.needs_anaesthetist:
            names.append((ANAESTHETIST, c.duration_min))
            if c.induction_min:
                names.append((INDUCTION, c.induction_min))
        return names

    def resource_capacity(self, res: str, day: int) -> int | None:
        """How many may hold ``res`` at once on ``day``: the anaesthetists supervise
        ``anaesthetist_rooms`` running cases each, and induct one at a time."""
        key = (res, day)
        if key not in self.capacities:
            self.capacities[key] = self._capacity(res, day)
        return self.capacities[key]

    def _capacity(self, res: str, day: int) -> int | None:
        cand = self.cand
        if res in (INDUCTION, ANAESTHETIST):
            caps = cand.anaesthetist_capacity(day)
            if caps is None:
                return None
            inducting, running = caps
            return running if res == ANAESTHETIST else inducting
        return cand.capacity(res, day)

    def conflict(self, opt: RoomOption, start: int) -> int | None:
        """``None`` if case ``opt.case`` can start at ``start`` in its room and date, else the
        earliest later start worth trying (``NEVER`` if no later start can work).

        A later start is worth trying only past the end of what blocks this one, so
        the search for the earliest start jumps from conflict to conflict. The resources
        are read only once the room and the surgeon are free at ``start`` (a shorter jump
        passes over no start that could work: :meth:`earliest` finds the same start).
        """
        i, d, r = opt.case, opt.day, opt.room
        cand = self.cand
        cases = cand.cases
        c = cases[i]
        end = start + c.duration_min
        turnover = cand.scenario.policy.turnover_min
        flags = c.flags
        nxt = start
        for s0, s1, j in self.room_day[d, r]:
            other = cases[j].flags
            if flags or other:
                if _precedes(flags, other) and end > s0:
                    return NEVER  # starting later only makes it worse
                if _precedes(other, flags) and s1 + turnover > start:
                    nxt = max(nxt, s1 + turnover)
            if start < s1 + turnover and s0 < end + turnover:
                nxt = max(nxt, s1 + turnover)
        for a, b in self.surgeon_day[c.surgeon_id, d]:
            if start < b and a < end:
                nxt = max(nxt, b)
        for bed, day in cand.stay(i, d) if cand.bed_stays[i] else ():
            cap = cand.capacity(bed, day)
            assert cap is not None
            if self.beds_used[bed, day] >= cap:
                return NEVER
        lev = cand.levers
        if lev is not None and lev.reserves and lev.elective[i]:
            # the emergency reserve, with the regular sessions only
            size = c.duration_min + turnover
            for g in lev.groups_of.get((d, r), ()):
                if self.elective_load[g] + size > lev.reserves[g].allowance():
                    return NEVER
        if nxt != start:
            return nxt
        held = self.held.get(i)
        for res, minutes in held if held is not None else self.resources_of(i):
            cap = self.capacities.get((res, d), -1)
            if cap == -1:
                cap = self.resource_capacity(res, d)
            if cap is None:
                continue
            used = self.usage[res, d]
            if used[start : start + minutes].max() >= cap:
                # no start up to the first full minute works: jump past the full stretch
                full = used[start : start + minutes] >= cap
                p = start + int(full.argmax())
                free = used[p:MINUTES] < cap
                p = p + int(free.argmax()) if free.any() else MINUTES
                nxt = max(nxt, p)
        return None if nxt == start else nxt

    def fits(self, opt: RoomOption, start: int) -> bool:
        """Can case ``opt.case`` start at ``start`` in ``opt.room`` on ``opt.day``, inside the
        regular session (no extra session, no overtime)?"""
        if not any(a <= start <= b for a, b in self.cand.regular_starts(opt)):
            return False
        return self.conflict(opt, start) is None

    def earliest(self, opt: RoomOption) -> int | None:
        """The earliest start in the regular session at which the case fits, jumping over
        conflicts."""
        s0, s1 = self.cand.session_span[opt.day, opt.room]
        if self.room_load[opt.day, opt.room] + self.cand.cases[opt.case].duration_min > s1 - s0:
            return None  # the room's cases and turnovers already leave too little
        for a, b in self.cand.regular_starts(opt):
            t = a
            while t <= b:
                nxt = self.conflict(opt, t)
                if nxt is None:
                    return t
                if nxt >= NEVER:
                    return None
                t = nxt
        return None

    def place(self, opt: RoomOption, start: int) -> Placement:
        return self.take(opt.case, Placement(day=opt.day, room=opt.room, start=start))

    def take(self, i: int, p: Placement) -> Placement:
        """Record case i at placement ``p`` (operated here or transferred)."""
        if p.partner is not None:
            self.partner_used[p.partner] += 1
            return p
        assert p.room is not None and p.start is not None
        c = self.cand.cases[i]
        end = p.start + c.duration_min
        self.room_day[p.day, p.room].append((p.start, end, i))
        self.room_load[p.day, p.room] += c.duration_min + self.cand.scenario.policy.turnover_min
        self.surgeon_day[c.surgeon_id, p.day].append((p.start, end))
        for key in self.cand.stay(i, p.day) if self.cand.bed_stays[i] else ():
            self.beds_used[key] += 1
        for g in self._reserve_groups(i, p.day, p.room):
            self.elective_load[g] += c.duration_min + self.cand.scenario.policy.turnover_min
        for res, held in self.resources_of(i):
            self.usage[res, p.day][p.start : p.start + held] += 1
        return p

    def release(self, i: int, p: Placement) -> None:
        """Undo :meth:`take` of case i at ``p``."""
        if p.partner is not None:
            self.partner_used[p.partner] -= 1
            return
        assert p.room is not None and p.start is not None
        c = self.cand.cases[i]
        end = p.start + c.duration_min
        self.room_day[p.day, p.room].remove((p.start, end, i))
        self.room_load[p.day, p.room] -= c.duration_min + self.cand.scenario.policy.turnover_min
        self.surgeon_day[c.surgeon_id, p.day].remove((p.start, end))
        for key in self.cand.stay(i, p.day) if self.cand.bed_stays[i] else ():
            self.beds_used[key] -= 1
        for g in self._reserve_groups(i, p.day, p.room):  # as take() added it
            self.elective_load[g] -= c.duration_min + self.cand.scenario.policy.turnover_min
        for res, held in self.resources_of(i):
            self.usage[res, p.day][p.start : p.start + held] -= 1

    def transfer_to(self, i: int, partner: str, day: int | None) -> Placement | None:
        """Case i transferred to ``partner`` on ``day`` if it has room left, else ``None``."""
        for t in self.cand.transfer_options[i]:
            slot = self.cand.partner_slots[t.partner]
            fits = self.partner_used[t.partner] < slot.capacity
            if t.day == day and slot.partner_id == partner and fits:
                self.partner_used[t.partner] += 1
                return Placement(day=t.day, partner=t.partner)
        return None

    def transfer(self, i: int, before: int | None) -> Placement | None:
        for t in self.cand.transfer_options[i]:
            if before is not None and t.day > before:
                continue
            slot = self.cand.partner_slots[t.partner]
            if self.partner_used[t.partner] < slot.capacity:
                self.partner_used[t.partner] += 1
                return Placement(day=t.day, partner=t.partner)
        return None
