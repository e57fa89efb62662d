"""One block of dates as a scenario of its own: the sub-problems of the block search.

The horizon's dates are cut into disjoint blocks of consecutive dates;
each case goes to exactly one block (where the current schedule operates or
transfers it; a case it leaves out, to the first block, from its earliest
option on, with room for it). A block's scenario holds its cases, the sessions
and partner places of its dates, and every other row as it is, except the
beds: a stay crosses blocks, so each block gets, on each date, the beds the
cases of other blocks leave free, and outside its own dates no more than its
own cases already hold there. Blocks solved at the same time then never
overbook a bed together, whatever each one does, and any subset of their
answers merged into the current schedule still keeps every rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from ..scenario.schema import BEDS, Case, Scenario


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a case goes, in the scenario's own words: operated in ``room`` at ``start``,
    or transferred to ``partner``, on ``date``."""

    date: dt.date
    room: str | None = None
    start: int | None = None
    partner: str | None = None


def to_slots(cand: Candidates, solution: Solution, members: Sequence[int]) -> list[Slot | None]:
    """The places of cases ``members`` (indices of ``cand``) in ``solution``, as slots."""
    out: list[Slot | None] = []
    for i in members:
        p = solution[i]
        if p is None:
            out.append(None)
        elif p.partner is not None:
            out.append(Slot(cand.dates[p.day], partner=cand.partner_slots[p.partner].partner_id))
        else:
            assert p.room is not None
            out.append(Slot(cand.dates[p.day], cand.rooms[p.room], p.start))
    return out


def to_placements(
    scenario: Scenario, slots: Sequence[Slot | None], members: Sequence[int] | None = None
) -> Solution:
    """``slots`` (of cases ``members`` of ``scenario``, default all, in order) as placements
    in the indices :func:`~optimizer.facts.candidates.build_candidates` gives ``scenario``:
    its dates, its rooms, its partner places with room left (by date, partner, specialty)."""
    day_of = {d: k for k, d in enumerate(scenario.policy.dates)}
    room_of = {r.room_id: k for k, r in enumerate(scenario.rooms)}
    places = sorted(
        (p.date, p.partner_id, p.specialty)
        for p in scenario.partners
        if p.date in day_of and p.capacity > 0
    )
    place_of = {key: k for k, key in enumerate(places)}
    out: Solution = []
    cases = scenario.cases if members is None else [scenario.cases[i] for i in members]
    for case, s in zip(cases, slots, strict=True):
        if s is None:
            out.append(None)
        elif s.partner is None:
            assert s.room is not None
            out.append(Placement(day_of[s.date], room_of[s.room], s.start))
        else:
            k = place_of[s.date, s.partner, case.specialty]
            out.append(Placement(day_of[s.date], partner=k))
    return out


def date_blocks(dates: Sequence[dt.date], width: int, offset: int) -> list[list[dt.date]]:
    """``dates`` (sorted) cut into blocks of ``width``, the first one ``offset`` dates short
    (so that the next round's boundaries fall elsewhere)."""
    first = offset % width or width
    cuts = [0, *range(first, len(dates), width)]
    return [list(dates[a:b]) for a, b in zip(cuts, [*cuts[1:], len(dates)], strict=True) if a < b]


@dataclass(frozen=True)
class Part:
    """A block's cases (indices of the candidates): ``members`` it may move, ``guests`` it
    holds where they are (visitors of another block operated on its dates)."""

    members: list[int]
    guests: list[int]

    @property
    def cases(self) -> list[int]:
        """The cases of the block's scenario, in the scenario's order."""
        return sorted(self.members + self.guests)


def assign(cand: Candidates, solution: Solution, blocks: list[list[dt.date]]) -> list[Part]:
    """Each case (index of ``cand``) a member of exactly one block, or of none when it can
    go nowhere.

    A case ``solution`` operates away from its planned date, on a date of another block, is
    a member of its planned date's block (which may bring it back) and a guest, held in
    place, of the block it is operated in. Any other case ``solution`` places goes to the
    block of its date; one it leaves out, in case order, to the first block from its
    earliest option on whose free session minutes still hold it (else to its earliest
    option's block)."""
    block_of = {d: b for b, dates in enumerate(blocks) for d in dates}
    free = [0] * len(blocks)
    for (d, _r), (s0, s1) in cand.session_span.items():
        b = block_of.get(cand.dates[d])
        if b is not None:
            free[b] += s1 - s0
    parts = [Part([], []) for _ in blocks]
    waiting = []
    for i, p in enumerate(solution):
        if p is None:
            waiting.append(i)
            continue
        b = block_of[cand.dates[p.day]]
        planned = cand.planned_day[i]
        home = None if planned is None else block_of[cand.dates[planned]]
        if p.here:
            free[b] -= cand.cases[i].duration_min
        if p.here and not cand.pinned[i] and home is not None and home != b:
            parts[home].members.append(i)
            parts[b].guests.append(i)
        else:
            parts[b].members.append(i)
    for i in waiting:
        days = {o.day for o in cand.room_options[i]} | {t.day for t in cand.transfer_options[i]}
        options = [block_of[cand.dates[d]] for d in sorted(days)]
        if not options:
            continue  # no option anywhere: it stays out, in no block
        duration = cand.cases[i].duration_min
        b = next((b for b in sorted(set(options)) if free[b] >= duration), options[0])
        free[b] -= duration
        parts[b].members.append(i)
    return [Part(sorted(p.members), sorted(p.guests)) for p in parts]


def block_scenario(
    cand: Candidates, solution: Solution, dates: list[dt.date], part: Part
) -> Scenario:
    """The scenario of one block: its ``part`` of the cases (a guest pinned where
    ``solution`` operates it), the sessions and partner places of ``dates``, and the beds
    as the module says (a member operated on another block's dates holds its beds there
    for that block, as its guest)."""
    scenario = cand.scenario
    own = set(dates)
    guests = set(part.guests)
    inside = {i for i in part.members if _on(cand, solution[i], own)} | guests
    held_out: Counter[tuple[str, dt.date]] = Counter()  # beds of the other blocks' cases
    held_in: Counter[tuple[str, dt.date]] = Counter()  # beds of this block's, as placed now
    for i, p in enumerate(solution):
        if p is None or not p.here:
            continue
        held = held_in if i in inside else held_out
        for bed, k in cand.cases[i].bed_stay:
            held[bed, cand.dates[p.day] + dt.timedelta(days=k)] += 1
    resources = []
    for r in scenario.resources:
        if r.resource in BEDS:
            key = (r.resource, r.date)
            left = r.capacity - held_out[key] if r.date in own else held_in[key]
            r = r.model_copy(update={"capacity": left})
        resources.append(r)
    cases = [_held(cand, i, solution[i]) if i in guests else cand.cases[i] for i in part.cases]
    ids = {c.case_id for c in cases}
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    fields.update(
        cases=tuple(cases),
        sessions=tuple(s for s in scenario.sessions if s.date in own),
        resources=tuple(resources),
        partners=tuple(
            p if p.date in own else p.model_copy(update={"capacity": 0}) for p in scenario.partners
        ),
        extra_sessions=(),
        unavailable=tuple(u for u in scenario.unavailable if u.case_id in ids),
        name=f"{scenario.name} {dates[0]}..{dates[-1]}",
        input_hash="",
        warnings=(),
    )
    return Scenario(**fields)


def hint_of(
    cand: Candidates, solution: Solution, dates: list[dt.date], part: Part
) -> tuple[Slot | None, ...]:
    """The places of the block's cases to start its search from: where ``solution`` has
    them, except a member operated on another block's dates (not in the block: nowhere)."""
    own = set(dates)
    slots = to_slots(cand, solution, part.cases)
    return tuple(s if s is None or s.date in own else None for s in slots)


def _on(cand: Candidates, p: Placement | None, dates: set[dt.date]) -> bool:
    return p is not None and cand.dates[p.day] in dates


def _held(cand: Candidates, i: int, p: Placement | None) -> Case:
    """Case ``i`` pinned where ``p`` operates it: a guest its block may not move."""
    assert p is not None and p.room is not None and p.start is not None
    return cand.cases[i].model_copy(
        update={
            "planned_date": cand.dates[p.day], "planned_room": cand.rooms[p.room],
            "planned_start": p.start, "pinned": True, "fixed_date": None, "fixed_room": None,
            "fixed_start": None, "announced_date": None, "announced_room": None,
            "announced_start": None,
        }
    )  # fmt: skip
