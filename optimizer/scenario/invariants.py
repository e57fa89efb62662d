"""The invariants every scenario keeps, however it is built: the data model checks them itself.

A :class:`~optimizer.scenario.schema.Scenario` runs these checks when it is
made (from files, DataFrames, an importer, the generator or code), so no
scenario that breaks one exists. Each broken invariant is a :class:`Flaw`
named by object: the scenario's collection (``cases``, ``sessions``...), the
object's position in it and the field at fault. A scenario built in code
reports it so (``cases, row 3, column case_id``: row = position, from 0); the
loader, which reads a file row by row, maps the very same flaws to file, row
and column (:mod:`optimizer.scenario.loader`).

Pinned cases stay exactly as planned, and cases the planner fixed stay where
fixed (:mod:`.held`), so each must fit there and all of them together; the
reserve must be possible with the pinned cases where they are. Either failing
would make every schedule break the contract: it is bad input.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..clock import format_time
from .flaw import Flaw as Flaw  # re-exported: its home before flaw.py
from .flaw import Known as Known
from .held import held_flaws
from .layout import RESERVED_HINT

if TYPE_CHECKING:
    from .schema import (
        Case,
        ExtraResource,
        ExtraSession,
        Policy,
        ResourceCapacity,
        Room,
        Scenario,
        Session,
        Unavailability,
    )


def _span(c: Case) -> str:
    assert c.planned_start is not None
    return f"{format_time(c.planned_start)}-{format_time(c.planned_start + c.duration_min)}"


def duplicates(
    table: str, keys: Iterable[Any], column: str, what: Callable[[Any], str]
) -> list[Flaw]:
    """Each key listed a second time, named on its own row with the row of the first."""
    first: dict[Any, int] = {}
    out: list[Flaw] = []
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        if j != i:
            out.append(Flaw(table, i, column, f"{what(key)} is already listed on row {{0}}", (j,)))
    return out


def reference_flaws(
    cases: Sequence[Case],
    rooms: Sequence[Room],
    sessions: Sequence[Session],
    resources: Sequence[Any],
    partners: Sequence[Any],
    extra: Sequence[ExtraSession],
    policy: Policy,
) -> list[Flaw]:
    """Ids listed once, and every reference to a room or an urgency class known.

    The loader finds these as it reads each row (an id on a row with other
    problems still counts as listed there), so it never meets them here.
    """
    room_ids = {r.room_id for r in rooms}
    out = duplicates("rooms", (r.room_id for r in rooms), "room_id", lambda k: f"room {k}")
    out += duplicates(
        "sessions",
        ((s.date, s.room_id) for s in sessions),
        "date",
        lambda k: (
            f"a session of room {k[1]} on {k[0]} (a room has at most one session a date); this one"
        ),
    )
    out += duplicates(
        "resources",
        ((r.resource, r.date) for r in resources),
        "resource",
        lambda k: f"the capacity of {k[0]} on {k[1]}",
    )
    out += duplicates(
        "partners",
        ((p.partner_id, p.date, p.specialty) for p in partners),
        "specialty",
        lambda k: f"partner {k[0]}, {k[2]} on {k[1]}",
    )
    out += duplicates(
        "extra_sessions",
        ((e.date, e.room_id) for e in extra),
        "date",
        lambda k: f"an extra session of room {k[1]} on {k[0]} (one per room and date); this one",
    )
    out += duplicates("cases", (c.case_id for c in cases), "case_id", lambda k: f"case {k}")
    for i, s in enumerate(sessions):
        if s.room_id not in room_ids:
            out.append(Flaw("sessions", i, "room_id", f"room {s.room_id} is not listed in rooms"))
    session_by_key = {(s.date, s.room_id): s for s in sessions}
    for i, e in enumerate(extra):
        if e.room_id not in room_ids:
            out.append(
                Flaw("extra_sessions", i, "room_id", f"room {e.room_id} is not listed in rooms")
            )
        base = session_by_key.get((e.date, e.room_id))
        if base is not None:
            out += lengthening_flaws(i, e, base)
    partner_ids = {p.partner_id for p in partners}
    for i, c in enumerate(cases):
        if c.urgency not in policy.urgency:
            known = ", ".join(sorted(policy.urgency))
            out.append(
                Flaw("cases", i, "urgency", f"{c.urgency} is not an urgency class (known: {known})")
            )
        if c.planned_room is not None and c.planned_room not in room_ids:
            out.append(
                Flaw("cases", i, "planned_room", f"room {c.planned_room} is not listed in rooms")
            )
        if c.fixed_room is not None and c.fixed_room not in room_ids:
            out.append(
                Flaw("cases", i, "fixed_room", f"room {c.fixed_room} is not listed in rooms")
            )
        if (
            c.announced_room is not None
            and c.announced_room not in room_ids
            and c.announced_room not in partner_ids
        ):
            out.append(
                Flaw(
                    "cases", i, "announced_room", f"room {c.announced_room} is not listed in rooms"
                )
            )
    return out


def lengthening_flaws(index: int, e: ExtraSession, s: Session) -> list[Flaw]:
    """An extra session where the room has a session lengthens it: longer hours, same block."""
    out = []
    hours = f"{format_time(s.start)}-{format_time(s.end)}"
    if not e.lengthens(s):
        out.append(
            Flaw(
                "extra_sessions", index, "start" if e.start > s.start else "end",
                f"room {s.room_id} has a session on {s.date} ({hours}, sessions.csv): an extra "
                "session there lengthens it, so its hours must contain those and be longer",
            )
        )  # fmt: skip
    if e.specialty is not None and e.specialty != s.specialty:
        out.append(
            Flaw(
                "extra_sessions", index, "specialty",
                f"room {s.room_id} has a session on {s.date} reserved to "
                f"{s.specialty or 'no specialty'}: a lengthened session keeps its specialty "
                "(leave this cell empty)",
            )
        )  # fmt: skip
    return out


def reserve_flaws(
    cases: Sequence[Case], rooms: Sequence[Room], sessions: Sequence[Session], policy: Policy
) -> list[Flaw]:
    """Pinned elective cases alone must leave each reserve free: no schedule could, else.

    The rule is the one the schedule keeps (README, "Levers"): on each date,
    session minutes minus elective minutes (duration plus turnover) at least
    ``min(reserve, session minutes)``, in the sessions that can host the
    reserve's specialty (all sessions for ``reserve_min``).
    """
    out: list[Flaw] = []
    turnover = policy.turnover_min
    room_by_id = {r.room_id: r for r in rooms}
    for specialty, minutes in policy.reserves:
        hours: dict[dt.date, int] = defaultdict(int)
        rooms_of: dict[dt.date, set[str]] = defaultdict(set)
        for s in sessions:
            room = room_by_id.get(s.room_id)
            hosts = (
                room is not None
                and room.hosts(specialty or "")
                and s.specialty in (None, specialty)
            )
            if specialty is None or hosts:
                hours[s.date] += s.end - s.start
                rooms_of[s.date].add(s.room_id)
        load: dict[dt.date, list[Case]] = defaultdict(list)
        for c in cases:
            d = c.planned_date
            elective = c.pinned and d is not None and policy.is_elective(c.urgency)
            if elective and d is not None and c.planned_room in rooms_of.get(d, ()):
                load[d].append(c)
        for d, pinned in sorted(load.items()):
            used = sum(c.duration_min + turnover for c in pinned)
            if hours[d] - used < min(minutes, hours[d]):
                key = "reserve_min" if specialty is None else f"reserve.{specialty}"
                out.append(
                    Flaw(
                        "policy", None, key,
                        f"pinned elective cases {', '.join(c.case_id for c in pinned)} on {d} "
                        f"leave {max(0, hours[d] - used)} min of the sessions free, less than "
                        f"the {minutes} min reserve: unpin some or lower the reserve",
                    )
                )  # fmt: skip
    return out


def equipment_flaws(
    cases: Sequence[Case], rooms: Sequence[Room], resources: Sequence[ResourceCapacity]
) -> list[Flaw]:
    """Each equipment name means one thing: fixed in rooms, or a mobile pool of
    ``resources``, not both, and never a reserved name (the anaesthetists and beds have
    columns of their own); a case needs only equipment one of them holds. The loader finds
    these as it reads the files (the same words); a scenario built in code meets them here,
    where a case needing unknown equipment was left unscheduled without a word."""
    out: list[Flaw] = []
    fixed_in: dict[str, str] = {}
    for i, r in enumerate(rooms):
        for name in sorted(r.equipment):
            if name in RESERVED_HINT:
                what = f"{name} is a reserved resource name (resources.csv), not equipment"
                out.append(Flaw("rooms", i, "equipment", what + " fixed in a room"))
            fixed_in.setdefault(name, r.room_id)
    first: dict[str, int] = {}
    for i, res in enumerate(resources):
        first.setdefault(res.resource, i)
    pools = first.keys() - RESERVED_HINT.keys()
    for name in sorted(pools & fixed_in.keys()):
        out.append(
            Flaw("resources", first[name], "resource",
                 f"{name} is both equipment fixed in room {fixed_in[name]} (rooms.csv) and a "
                 "mobile pool here; an equipment name must be one or the other")
        )  # fmt: skip
    for i, c in enumerate(cases):
        for name in c.equipment:
            if name in RESERVED_HINT:
                what = f"{name} is a reserved resource name, not equipment"
                out.append(Flaw("cases", i, "equipment", f"{what} (use the {RESERVED_HINT[name]})"))
            elif name not in fixed_in and name not in pools:
                out.append(
                    Flaw("cases", i, "equipment",
                         f"{name} is neither fixed in a room (rooms.csv) nor a mobile pool "
                         "(resources.csv)")
                )  # fmt: skip
    return out


def scenario_flaws(s: Scenario) -> list[Flaw]:
    """Every broken invariant of ``s``; the pinned and reserve checks need sound references."""
    out = reference_flaws(
        s.cases, s.rooms, s.sessions, s.resources, s.partners, s.extra_sessions, s.policy
    )
    out += equipment_flaws(s.cases, s.rooms, s.resources)
    if out:
        return out
    out += held_flaws(
        s.cases, s.rooms, s.sessions, s.surgeon_windows, s.capacity, s.pool_names, s.policy
    )
    out += unavailable_flaws(s.cases, s.unavailable)
    out += extra_resource_flaws(s.extra_resources, s.capacity)
    return out + reserve_flaws(s.cases, s.rooms, s.sessions, s.policy)


def unavailable_flaws(cases: Sequence[Case], unavailable: Sequence[Unavailability]) -> list[Flaw]:
    """Each range names a listed case, and none covers a pinned case's planned date or a fixed
    case's fixed date (it is operated that very date). The loader finds these as it reads
    ``unavailable.csv``."""
    by_id = {c.case_id: c for c in cases}
    out: list[Flaw] = []
    for i, u in enumerate(unavailable):
        c = by_id.get(u.case_id)
        if c is None:
            out.append(Flaw("unavailable", i, "case_id", f"case {u.case_id} is not listed"))
        elif (held := held_inside(c, u.from_date, u.to_date)) is not None:
            out.append(Flaw("unavailable", i, "from", held))
    return out


def held_inside(case: Case, first: dt.date, last: dt.date) -> str | None:
    """Why a range ``first`` to ``last`` of the patient's unavailability cannot be: it covers
    a pinned case's planned date or a fixed case's fixed date (operated that very date);
    ``None`` when it covers neither. The reader of ``unavailable.csv`` says the same."""
    if case.pinned and case.planned_date is not None and first <= case.planned_date <= last:
        return (f"case {case.case_id} is pinned on {case.planned_date}, inside this range: "
                "a pinned case is operated on its planned date")  # fmt: skip
    if case.fixed_date is not None and first <= case.fixed_date <= last:
        return (f"case {case.case_id} is fixed on {case.fixed_date}, inside this range: the "
                "planner fixed it on that date")  # fmt: skip
    return None


def extra_resource_flaws(
    extra: Sequence[ExtraResource], capacity: Mapping[tuple[str, dt.date], int]
) -> list[Flaw]:
    """Each resource and date is offered once, and only where ``resources.csv`` gives it a
    capacity (without a row it is unlimited that date: there is nothing to add)."""
    out = duplicates(
        "extra_resources",
        (e.key() for e in extra),
        "date",
        lambda k: f"extra {k[0]} on {k[1]} (one row per resource and date); this one",
    )
    for i, e in enumerate(extra):
        if e.key() not in capacity:
            out.append(
                Flaw(
                    "extra_resources", i, "date",
                    f"{e.resource} has no capacity on {e.date} in resources.csv (unlimited "
                    "that date): there is nothing to add; give it a row there first",
                )
            )  # fmt: skip
    return out
