"""Capacity families of sessions alike, for the horizon relaxation of :mod:`benchmarks.horizon`.

The exact relaxation gives each session its own capacity row and a column per
case and session that could host it. On a region (220 rooms x 40 dates, some
50,000 cases) that is about six million columns; building and solving them
takes far longer than the benchmark gives the bound. Pooled, the sessions of
one date that host the same specialties (a session's block, else its room's)
with the same fixed equipment form one family, whatever their hours:

- a case may go to the family if it could go to one of its sessions (the
  sessions differ only in their hours, so room, block and equipment answer
  alike for all of them; the surgeon's windows and the case's length are
  tested against each distinct span);
- the family holds the sum of its sessions' lengths plus one turnover each.

Every valid schedule maps onto the pooled program (a case in a session goes
to that session's family; the family's row is the sum of its sessions' rows,
and the union of the sessions' hours only admits more), so the pooled optimum
bounds the exact one: a true relaxation. Its LP loses little against the
exact LP, whose fractional packing already ignores how cases split between
sessions; what it gives away is the hours (a case that fits the afternoon
session only may take a morning one's minutes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from benchmarks.relax import _Facts
from optimizer.scenario.schema import Case, Session

Span = tuple[int, int]

__all__ = ["Family", "family_fits", "session_families"]


@dataclass(frozen=True)
class Family:
    """Sessions of one date answering alike for every case but their hours."""

    key: object
    sessions: tuple[Session, ...]
    hosted: frozenset[str]  # specialties any of them may host
    equipment: frozenset[str]  # fixed equipment cases ask for, found in these rooms
    spans: tuple[Span, ...]  # their distinct hours
    capacity: int  # lengths plus one turnover each


def session_families(facts: _Facts, *, pooled: bool) -> dict[dt.date, list[Family]]:
    """Each date's families: every session alone, or pooled as the module docstring says."""
    sc = facts.scenario
    specialties = sorted({c.specialty for c in sc.cases})
    fixed = frozenset(e for c in sc.cases for e in c.equipment if e not in facts.pools)
    out: dict[dt.date, list[Family]] = {}
    for date, day in facts.days.items():
        members: dict[object, list[Session]] = defaultdict(list)
        traits: dict[object, tuple[frozenset[str], frozenset[str]]] = {}
        for s in day.sessions:
            room = sc.room_by_id[s.room_id]
            hosted = frozenset(
                sp for sp in specialties if room.hosts(sp) and s.specialty in (None, sp)
            )
            equipment = room.equipment & fixed
            key: object = (hosted, equipment) if pooled else s.room_id
            members[key].append(s)
            traits[key] = (hosted, equipment)
        out[date] = [
            Family(
                key=key,
                sessions=tuple(ss),
                hosted=traits[key][0],
                equipment=traits[key][1],
                spans=tuple(sorted({(s.start, s.end) for s in ss})),
                capacity=sum(s.end - s.start + facts.turnover for s in ss),
            )
            for key, ss in members.items()
        ]
    return out


def family_fits(facts: _Facts, case: Case, date: dt.date, family: Family) -> bool:
    """Could ``case`` go to one of the family's sessions (as :meth:`_Facts.fits` says)?"""
    if case.specialty not in family.hosted:
        return False
    if any(e not in family.equipment for e in case.equipment if e not in facts.pools):
        return False
    windows = facts.scenario.windows_by_surgeon.get(case.surgeon_id)
    need = case.duration_min
    if windows is None:
        return any(b - a >= need for a, b in family.spans)
    return any(
        min(wb, b) - max(wa, a) >= need for wa, wb in windows.get(date, ()) for a, b in family.spans
    )
