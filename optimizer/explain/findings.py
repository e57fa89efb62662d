"""Findings: what a cause says, as data (a code, ids, message keys with typed fields).

No words here: :mod:`optimizer.explain.words` renders a finding in English or
French, so the schedule, the report and the ``explain`` command say the same
thing in either language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

from .facts import Book

CAUSES = (
    "backlog",
    "outside_horizon",
    "not_released",
    "patient_unavailable",
    "room_closed",
    "rearranged",
    "no_session",
    "surgeon_unavailable",
    "resource_full",
    "capacity_taken",
    "sequencing",
    "deadline_priority",
    "stability",  # kept as announced: set by the announced-appointment feature, not here
    "other",
)


@dataclass(frozen=True)
class Clock:
    """A clock time, in minutes after midnight."""

    minutes: int


@dataclass(frozen=True)
class CaseRef:
    """Another case named in a reason: its id, class and what happened to it."""

    case_id: str
    urgency: str
    note: Part


@dataclass(frozen=True)
class Resource:
    """A resource by name (``anaesthetist`` and ``icu_bed`` get words of their own)."""

    name: str


Value = Union[str, int, dt.date, Clock, CaseRef, Resource, "Part", tuple["Value", ...]]


@dataclass(frozen=True)
class Part:
    """One message of the catalogue's ``reasons`` domain, with its fields."""

    key: str
    fields: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """Why one case is not kept in its planned room and start.

    ``cause`` is one of :data:`CAUSES`; ``blocking`` the ids involved (cases,
    a room, a surgeon or resources, per the contract); ``parts`` what the
    reason says, in order.
    """

    case_id: str
    cause: str
    blocking: tuple[str, ...]
    parts: tuple[Part, ...]
    short: bool = False  # the short form: the reasons' budget was spent (explain/budget.py)


def place(room: str, start: int) -> str:
    return f"{room} {start // 60:02d}:{start % 60:02d}"


def refs(book: Book, cases: Sequence[int]) -> tuple[Value, ...]:
    return tuple(ref(book, j) for j in cases)


def ref(book: Book, j: int) -> CaseRef:
    c, b = book.scenario.cases[j], book.bookings[j]
    if b.status == "kept":
        if c.planned_room is not None and b.room != c.planned_room:
            note = Part("note_moved_in", {"room": c.planned_room})
        elif c.planned_start is not None and b.start != c.planned_start:
            note = Part("note_moved", {"start": Clock(c.planned_start)})
        else:
            note = Part("note_kept")
    elif b.status == "postponed" and c.planned_date is not None:
        note = Part("note_postponed", {"date": c.planned_date})
    elif b.status == "scheduled" and (arrived := _arrived(book, c.listed_date)) is not None:
        note = Part("note_arrived", {"date": arrived})
    elif b.status == "scheduled":
        note = Part("note_waiting")
    else:
        note = Part("note_" + b.status)
    return CaseRef(c.case_id, c.urgency, note)


def _arrived(book: Book, listed: dt.date | None) -> dt.date | None:
    """The date a waiting case put on the list on the run's first date (an urgent case added
    that morning, as ``insert`` and ``replan --cases`` write it) arrived; ``None`` for one
    that waited on the list."""
    return listed if listed is not None and listed >= book.scenario.policy.start_date else None


def more_urgent(book: Book, i: int, cases: Sequence[int]) -> bool:
    return bool(cases) and all(book.rank[j] < book.rank[i] for j in cases)


def rules_of(rules: Sequence[str]) -> tuple[Value, ...]:
    return tuple(Part("rule_" + r) for r in dict.fromkeys(rules))


def hm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"
