"""An exact answer for tiny scenarios, computed from the contract's rules alone.

It shares no code with the solver: it reads the scenario's plain fields (no helper of
the data model that the model or the checker uses) and imports nothing from
``optimizer.model``, ``optimizer.search``, ``optimizer.check`` or ``optimizer.facts``
(``tests/search/test_exact_optima.py`` checks its imports).

It enumerates every assignment of each case to a date here, a transfer (partner, date)
or no date, keeps those whose dates can be sequenced, scores the first levels of the
README's "What \"best\" means" (they read the assignment only) and returns their
lexicographic minimum.

The rules it handles exactly, and so the only ones a scenario given to it may use:

- the horizon, ``planned_date`` (in, before or after the horizon, or none: waiting),
  ``release_date``, ``due_date`` and the urgency classes' delays, weights and
  ``transfer_cost``, ``unavailable`` dates, ``waiting_notice_days`` of 0 or 1;
- sessions (a room closed on a date has none), the room's specialties, the session's
  block, fixed equipment of rooms, ``turnover_min``;
- surgeon windows (touching windows count as one) and one case at a time per surgeon;
- the latex / paediatric / infectious order in a room;
- partners: ``transferable``, the partner's specialty and capacity per date;
- ``target_ratio``, ``level3`` (count or weighted).

It refuses (``ValueError``) a scenario with pools, anaesthetist or bed rows, ICU cases,
pinned or fixed cases, announced appointments, listed dates, overtime, reserves,
other notice days or a ``now``: rules it does not model.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Protocol

from optimizer.scenario.schema import Case, Scenario

Option = tuple[str, dt.date, str | None]
"""``("here", date, None)``, ``("transfer", date, partner_id)`` or ``("none", ...)``."""
NONE: Option = ("none", dt.date.min, None)


@dataclass(frozen=True)
class Levels:
    """The first levels of an assignment, in the user's units.

    ``misses``: deadline misses per class, most urgent class first (``classes``);
    ``kept``: planned cases kept (or their class weights); the lexicographic key minimises
    ``misses``, then ``shortfall``, maximises ``kept``, then minimises ``delay``.
    """

    classes: tuple[str, ...]
    misses: tuple[int, ...]
    shortfall: int
    kept: Fraction
    delay: Fraction

    @property
    def key(self) -> tuple[tuple[int, ...], int, Fraction, Fraction]:
        return (self.misses, self.shortfall, -self.kept, self.delay)

    def misses_of(self) -> dict[str, int]:
        return dict(zip(self.classes, self.misses, strict=True))


@dataclass(frozen=True)
class Answer:
    """The lexicographic optimum and one assignment reaching it."""

    best: Levels
    assignment: Mapping[str, Option]


def _refuse_unmodelled(scenario: Scenario) -> None:
    p = scenario.policy
    why = []
    if scenario.resources:
        why.append("resources (pools, anaesthetists, beds)")
    if scenario.extra_sessions or scenario.extra_resources:
        why.append("extra capacity")
    if p.overtime_max_min or p.reserve_min or p.reserve:
        why.append("overtime or reserve")
    if p.notice_days or p.waiting_notice_days > 1 or p.now is not None:
        why.append("notice (but a waiting list's notice of 1 day) or now")
    for c in scenario.cases:
        if (
            c.pinned
            or c.needs_icu
            or c.ward_days
            or c.announced_date is not None
            or c.listed_date is not None
            or c.fixed_date is not None
        ):
            why.append(f"case {c.case_id}: pinned, beds, announced, listed or fixed")
    if why:
        raise ValueError("the oracle does not model: " + "; ".join(why))


class Oracle:
    """The exact lexicographic optimum of one tiny scenario."""

    def __init__(self, scenario: Scenario) -> None:
        _refuse_unmodelled(scenario)
        self.scenario = scenario
        p = scenario.policy
        self.dates = [
            p.start_date + dt.timedelta(days=k) for k in range((p.end_date - p.start_date).days + 1)
        ]
        # most urgent first: the smaller delay, no delay last, ties by the larger weight
        self.classes = tuple(
            sorted(
                p.urgency,
                key=lambda n: (
                    p.urgency[n].max_delay_days is None,
                    p.urgency[n].max_delay_days or 0,
                    -p.urgency[n].weight,
                ),
            )
        )
        self.rooms = {r.room_id: r for r in scenario.rooms}
        self.sessions = {(s.date, s.room_id): s for s in scenario.sessions}
        self.listed_surgeons = {w.surgeon_id for w in scenario.surgeon_windows}
        finite = [
            u.weight * u.max_delay_days for u in p.urgency.values() if u.max_delay_days is not None
        ]
        self.default_transfer = Fraction(1) + Fraction(max(finite, default=0))
        self.need = self._needs()
        self.cases = {c.case_id: c for c in scenario.cases}
        self.feasible_on = lru_cache(maxsize=None)(self._feasible_on)

    # -- the rules, one small function each ---------------------------------------------

    def raw_deadline(self, c: Case) -> dt.date | None:
        """Due date, else planned date (first date if waiting) + class delay."""
        if c.due_date is not None:
            return c.due_date
        delay = self.scenario.policy.urgency[c.urgency].max_delay_days
        if delay is None:
            return None
        return (c.planned_date or self.dates[0]) + dt.timedelta(days=delay)

    def deadline(self, c: Case) -> dt.date | None:
        """The deadline when it falls inside the horizon (only then does it count)."""
        dl = self.raw_deadline(c)
        return dl if dl is not None and self.dates[0] <= dl <= self.dates[-1] else None

    def out_of_run(self, c: Case) -> bool:
        return c.planned_date is not None and c.planned_date > self.dates[-1]

    def away(self, c: Case, d: dt.date) -> bool:
        return any(
            u.case_id == c.case_id and u.from_date <= d <= u.to_date
            for u in self.scenario.unavailable
        )

    def may_go(self, c: Case, d: dt.date) -> bool:
        """Not before its planned date, release date, nor on a date the patient is away; a
        waiting case not before ``start_date + waiting_notice_days`` unless its deadline
        falls earlier (then up to its deadline: with a notice of 1 day, the only one the
        tests use, every reading of that rule agrees)."""
        earliest = max(x for x in (c.planned_date, c.release_date, self.dates[0]) if x)
        if d < earliest or self.away(c, d):
            return False
        notice_end = self.dates[0] + dt.timedelta(days=self.scenario.policy.waiting_notice_days)
        if c.planned_date is None and d < notice_end:
            dl = self.raw_deadline(c)
            return dl is not None and dl < notice_end and d <= dl
        return True

    def rooms_for(self, c: Case, d: dt.date) -> list[str]:
        out = []
        for (sd, rid), s in sorted(self.sessions.items()):
            room = self.rooms[rid]
            if sd != d:
                continue
            if room.specialties and c.specialty not in room.specialties:
                continue
            if s.specialty is not None and s.specialty != c.specialty:
                continue
            if not set(c.equipment) <= set(room.equipment):
                continue
            out.append(rid)
        return out

    def windows(self, surgeon: str, d: dt.date) -> list[tuple[int, int]] | None:
        """The surgeon's windows that date, touching ones merged; None: not restricted."""
        if surgeon not in self.listed_surgeons:
            return None
        spans = sorted(
            (w.start, w.end)
            for w in self.scenario.surgeon_windows
            if w.surgeon_id == surgeon and w.date == d
        )
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    @staticmethod
    def before(a: Case, b: Case) -> bool:
        """Must ``a`` come before ``b`` in a room (contract rule 6)?"""
        la, lb = "latex_allergy" in a.flags, "latex_allergy" in b.flags
        pa, pb = "paediatric" in a.flags, "paediatric" in b.flags
        ia, ib = "infectious" in a.flags, "infectious" in b.flags
        return (la and not lb) or (pa and not lb and not pb) or (ib and not ia)

    def transfers(self, c: Case) -> list[Option]:
        if not c.transferable:
            return []
        return sorted(
            {
                ("transfer", p.date, p.partner_id)
                for p in self.scenario.partners
                if p.specialty == c.specialty
                and p.capacity > 0
                and self.dates[0] <= p.date <= self.dates[-1]
                and self.may_go(c, p.date)
            }
        )

    def partner_capacity(self, partner: str, d: dt.date, specialty: str) -> int:
        return sum(
            p.capacity
            for p in self.scenario.partners
            if (p.partner_id, p.date, p.specialty) == (partner, d, specialty)
        )

    # -- sequencing a date exactly --------------------------------------------------------

    def _feasible_on(self, d: dt.date, ids: frozenset[str]) -> bool:
        """Can these cases all be operated on ``d``? Exact: every global order of starts and
        every room per case, each case at its earliest start after those placed before it.

        Why this is exact: sort any valid day by start times; placing the cases in that
        order, each at the earliest minute allowed by its session, its surgeon's windows,
        its room's previous case plus turnover, its surgeon's previous case and the previous
        start, places each no later than the valid day did (by induction), so it succeeds.
        """
        cases = [self.cases[i] for i in sorted(ids)]
        rooms = {c.case_id: self.rooms_for(c, d) for c in cases}
        if any(not rooms[c.case_id] for c in cases):
            return False
        turnover = self.scenario.policy.turnover_min

        def place(
            left: tuple[Case, ...],
            room_seq: dict[str, list[tuple[Case, int]]],
            surgeon_end: dict[str, int],
            last_start: int,
        ) -> bool:
            if not left:
                return True
            for k, c in enumerate(left):
                rest = left[:k] + left[k + 1 :]
                for rid in rooms[c.case_id]:
                    seq = room_seq.get(rid, [])
                    if any(self.before(c, prev) for prev, _ in seq):
                        continue
                    s = self.sessions[d, rid]
                    lb = max(s.start, last_start, surgeon_end.get(c.surgeon_id, 0))
                    if seq:
                        lb = max(lb, seq[-1][1] + turnover)
                    spans = self.windows(c.surgeon_id, d)
                    if spans is None:
                        spans = [(s.start, s.end)]
                    starts = [
                        max(lb, a) for a, b in spans if max(lb, a) + c.duration_min <= min(b, s.end)
                    ]
                    if not starts:
                        continue
                    t = min(starts)
                    end = t + c.duration_min
                    seqs = dict(room_seq)
                    seqs[rid] = [*seq, (c, end)]
                    ends = dict(surgeon_end)
                    ends[c.surgeon_id] = end
                    if place(rest, seqs, ends, t):
                        return True
            return False

        return place(tuple(cases), {}, {}, 0)

    # -- the levels ------------------------------------------------------------------------

    def _needs(self) -> dict[dt.date, int]:
        planned: dict[dt.date, int] = {}
        for c in self.scenario.cases:
            if c.planned_date is not None and self.dates[0] <= c.planned_date <= self.dates[-1]:
                planned[c.planned_date] = planned.get(c.planned_date, 0) + 1
        target = Fraction(repr(self.scenario.policy.target_ratio))
        return {d: min(n, math.ceil(target * n)) for d, n in planned.items()}

    def levels(self, assignment: Mapping[str, Option]) -> Levels:
        p = self.scenario.policy
        misses = dict.fromkeys(self.classes, 0)
        kept_on: dict[dt.date, int] = {}
        kept = Fraction(0)
        delay = Fraction(0)
        after = len(self.dates)  # the day after the horizon, as an index
        for c in self.scenario.cases:
            if self.out_of_run(c):
                continue
            kind, d, _partner = assignment[c.case_id]
            cls = p.urgency[c.urgency]
            weight = Fraction(repr(cls.weight))
            dl = self.deadline(c)
            if dl is not None and (kind == "none" or d > dl):
                misses[c.urgency] += 1
            base = (c.planned_date or self.dates[0]) - self.dates[0]
            if kind == "transfer":
                own = cls.transfer_cost
                delay += Fraction(repr(own)) if own is not None else self.default_transfer
            elif kind == "none":
                delay += weight * (after - base.days)
            else:
                delay += weight * ((d - self.dates[0]).days - base.days)
                if d == c.planned_date:
                    kept_on[d] = kept_on.get(d, 0) + 1
                    kept += weight if p.level3 == "weighted" else 1
        shortfall = sum(max(0, n - kept_on.get(d, 0)) for d, n in self.need.items())
        return Levels(
            self.classes,
            tuple(misses[n] for n in self.classes),
            shortfall,
            kept,
            delay,
        )

    # -- the search ------------------------------------------------------------------------

    def options(self, c: Case) -> list[Option]:
        if self.out_of_run(c):
            return [NONE]
        here: list[Option] = [
            ("here", d, None)
            for d in self.dates
            if self.may_go(c, d) and self.feasible_on(d, frozenset({c.case_id}))
        ]
        return [*here, *self.transfers(c), NONE]

    def feasible(self, assignment: Mapping[str, Option]) -> bool:
        """Whether an assignment (a solver's, say) can be sequenced and obeys the options."""
        for c in self.scenario.cases:
            if assignment[c.case_id] not in self.options(c):
                return False
        return all(self._fits(assignment, d) for d in self.dates)

    def _fits(self, assignment: Mapping[str, Option], d: dt.date) -> bool:
        ids = frozenset(i for i, o in assignment.items() if o[0] == "here" and o[1] == d)
        if ids and not self.feasible_on(d, ids):
            return False
        used: dict[tuple[str | None, str], int] = {}
        for i, (kind, od, partner) in assignment.items():
            if kind == "transfer" and od == d:
                key = (partner, self.cases[i].specialty)
                used[key] = used.get(key, 0) + 1
        return all(
            n <= self.partner_capacity(str(partner), d, spec) for (partner, spec), n in used.items()
        )

    def assignments(self) -> Iterator[dict[str, Option]]:
        """Every assignment that can be sequenced (partial ones pruned as they grow)."""
        cases = list(self.scenario.cases)
        choices = [self.options(c) for c in cases]

        def grow(k: int, chosen: dict[str, Option]) -> Iterator[dict[str, Option]]:
            if k == len(cases):
                yield dict(chosen)
                return
            c = cases[k]
            for o in choices[k]:
                chosen[c.case_id] = o
                if o == NONE or self._fits(chosen, o[1]):
                    yield from grow(k + 1, chosen)
                del chosen[c.case_id]

        yield from grow(0, {})

    def solve(self) -> Answer:
        best: tuple[Levels, dict[str, Option]] | None = None
        for a in self.assignments():
            lv = self.levels(a)
            if best is None or lv.key < best[0].key:
                best = (lv, a)
        assert best is not None  # "no date" for every case is always an assignment
        return Answer(best[0], best[1])


class Row(Protocol):
    """What the oracle reads of a result's row (``ScheduleRow``, not imported: it lives
    beside the checker's and the model's code)."""

    case_id: str
    status: str
    date: dt.date | None
    partner_id: str | None


def assignment_of(rows: Sequence[Row]) -> dict[str, Option]:
    """A result's rows as an assignment: status, date and partner only."""
    out: dict[str, Option] = {}
    for row in rows:
        if row.status == "transferred":
            assert row.date is not None
            out[row.case_id] = ("transfer", row.date, row.partner_id)
        elif row.status == "unscheduled":
            out[row.case_id] = NONE
        else:
            assert row.date is not None
            out[row.case_id] = ("here", row.date, None)
    return out
