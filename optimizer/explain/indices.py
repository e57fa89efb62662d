"""The final schedule between indices (the solver's) and ids (the user's)."""

from __future__ import annotations

from collections.abc import Sequence

from ..facts.candidates import Candidates
from ..facts.solution import Placement, Solution
from .facts import Booking


def bookings_from_solution(cand: Candidates, solution: Solution) -> list[Booking]:
    """The final schedule in the user's ids, from a solution in indices."""
    out = []
    for c, p in zip(cand.cases, solution, strict=True):
        if p is None:
            out.append(Booking("unscheduled"))
            continue
        date = cand.dates[p.day]
        if p.partner is not None:
            partner = cand.partner_slots[p.partner].partner_id
            out.append(Booking("transferred", date, partner=partner))
            continue
        assert p.room is not None and p.start is not None
        if c.planned_date is None:
            status = "scheduled"
        elif date == c.planned_date:
            status = "kept"
        else:
            status = "postponed"
        out.append(Booking(status, date, cand.rooms[p.room], p.start))
    return out


def to_solution(cand: Candidates, bookings: Sequence[Booking]) -> Solution:
    """A schedule in the user's ids, back in indices (for hints and level values)."""
    slot_of = {
        (s.partner_id, cand.dates[s.day], s.specialty): k for k, s in enumerate(cand.partner_slots)
    }
    out: Solution = []
    for c, b in zip(cand.cases, bookings, strict=True):
        if b.date is None or b.date not in cand.day_of:
            out.append(None)
        elif b.partner is not None:
            slot = slot_of[b.partner, b.date, c.specialty]
            out.append(Placement(day=cand.day_of[b.date], partner=slot))
        else:
            assert b.room is not None and b.start is not None
            room = cand.room_index[b.room]
            out.append(Placement(day=cand.day_of[b.date], room=room, start=b.start))
    return out
