"""The invariants every scenario keeps, however it is built: the data model checks them itself.

A :class:`~optimizer.scenario.schema.Scenario` runs these checks when it is
made (from files, DataFrames, an importer, the generator or code), so no
scenario that breaks one exists. Each broken invariant is a :class:`Flaw`
named by object: the scenario's collection (``cases``, ``sessions``...), the
object's position in it and the field at fault. A scenario built in code
reports it so (``cases, row 3, column case_id``: row = position, from 0); the
loader, which reads a file row by row, maps the very same flaws to file, row
and column (:mod:`optimizer.scenario.loader`).

Pinned cases stay exactly as planned, so each must fit there and all of them
together; the reserve must be possible with the pinned cases where they are.
Either failing would make every schedule break the contract: it is bad input.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import rules
from ..clock import format_time
from .layout import ANAESTHETIST, ICU_BED

if TYPE_CHECKING:
    from .schema import (
        Case,
        ExtraSession,
        Policy,
        Room,
        Scenario,
        Session,
        SurgeonWindow,
        Unavailability,
    )


@dataclass(frozen=True)
class Flaw:
    """One broken invariant, by object.

    ``table`` is the scenario's collection (``cases``, ``rooms``, ``sessions``,
    ``surgeon_windows``, ``resources``, ``partners``, ``extra_sessions``) or
    ``policy``; ``index`` the object's position in it (``None`` for the
    policy); ``column`` the field at fault (the file's column, or the dotted
    key of ``policy.toml``). ``message`` may name other objects of the same
    collection by their row, as ``{0}``, ``{1}``..., which are ``refs``.
    """

    table: str
    index: int | None
    column: str | None
    message: str
    refs: tuple[int, ...] = ()

    def text(self, row: Callable[[int], int] = lambda i: i) -> str:
        """The message, with each object in ``refs`` named by ``row`` (its position by default)."""
        if not self.refs:
            return self.message
        return self.message.format(*(row(i) for i in self.refs))


@dataclass(frozen=True)
class Known:
    """Which collections may be trusted (the loader: read without problems); all in code."""

    rooms: bool = True
    sessions: bool = True
    windows: bool = True
    resources: bool = True


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


def pinned_flaws(
    cases: Sequence[Case],
    rooms: Sequence[Room],
    sessions: Sequence[Session],
    windows: Sequence[SurgeonWindow],
    capacity: Mapping[tuple[str, dt.date], int],
    pools: frozenset[str],
    policy: Policy,
    known: Known = Known(),
) -> list[Flaw]:
    """Each pinned case of the horizon fits where it is planned, and all of them together.

    Its date in the horizon and after its release, its room's session (times,
    block), its room (specialty, fixed equipment), its surgeon's windows; then
    the pinned cases together (turnover, rule 6, surgeons) and the capacities
    of the shared resources. A check needing a collection not ``known`` is skipped.
    """
    room_by_id = {r.room_id: r for r in rooms}
    session_by_key = {(s.date, s.room_id): s for s in sessions}
    merged = rules.windows_by_surgeon(windows) if known.windows else {}
    out: list[Flaw] = []
    placed: list[int] = []
    for i, c in enumerate(cases):
        if not c.pinned:
            continue
        assert c.planned_date is not None and c.planned_room is not None
        assert c.planned_start is not None
        if c.planned_date > policy.end_date:
            continue  # outside this run: written as unscheduled
        cid, d, before = c.case_id, c.planned_date, len(out)
        start, end = c.planned_start, c.planned_start + c.duration_min

        def flaw(column: str, message: str, i: int = i) -> None:
            out.append(Flaw("cases", i, column, message))

        if d < policy.start_date:
            flaw(
                "planned_date",
                f"case {cid} is pinned on {d}, before the horizon starts ({policy.start_date}); "
                "unpin it",
            )
            continue
        if c.release_date is not None and c.release_date > d:
            flaw("release_date", f"case {cid} is pinned on {d}, before its release date "
                 f"{c.release_date}")  # fmt: skip
        s = session_by_key.get((d, c.planned_room))
        if known.sessions and s is None:
            flaw("planned_room", f"case {cid} is pinned in room {c.planned_room}, which has "
                 f"no session on {d}")  # fmt: skip
        elif s is not None and (start < s.start or end > s.end):
            flaw(
                "planned_start",
                f"pinned case {cid} ({_span(c)}) does not fit the session of room "
                f"{c.planned_room} on {d} ({format_time(s.start)}-{format_time(s.end)})",
            )
        elif s is not None and not rules.session_admits(s.specialty, c.specialty):
            flaw(
                "planned_room",
                f"pinned case {cid} ({c.specialty}) is in room {c.planned_room} on {d}, whose "
                f"session is reserved to {s.specialty}",
            )
        room = room_by_id.get(c.planned_room)
        if known.rooms and room is not None:
            if not rules.room_hosts_specialty(room, c.specialty):
                flaw("planned_room", f"pinned case {cid}: room {c.planned_room} does not host "
                     f"{c.specialty}")  # fmt: skip
            absent = rules.missing_equipment(room, rules.fixed_needed(c.equipment, pools))
            if absent:
                flaw("equipment", f"pinned case {cid} needs {', '.join(absent)}, which room "
                     f"{c.planned_room} does not have")  # fmt: skip
        spans = merged.get(c.surgeon_id)
        if spans is not None and not rules.within_windows(spans, d, (start, end)):
            flaw(
                "planned_start",
                f"pinned case {cid} ({_span(c)}) is outside the windows of surgeon "
                f"{c.surgeon_id} on {d} (surgeons.csv)",
            )
        if len(out) == before:
            placed.append(i)
    out += _pinned_together(cases, placed, policy.turnover_min)
    if known.resources:
        out += _pinned_capacity(cases, placed, capacity, pools)
    return out


def _start(c: Case) -> int:
    assert c.planned_start is not None
    return c.planned_start


def _pinned_together(cases: Sequence[Case], placed: list[int], turnover: int) -> list[Flaw]:
    """Pinned cases must not collide in a room or for a surgeon, and keep the sequencing rule."""
    out: list[Flaw] = []
    by_room: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for i in placed:
        c = cases[i]
        assert c.planned_date is not None and c.planned_room is not None
        by_room[c.planned_date, c.planned_room].append(i)
        by_surgeon[c.planned_date, c.surgeon_id].append(i)
    for (d, rid), group in by_room.items():
        group.sort(key=lambda i: _start(cases[i]))
        for i, j in zip(group, group[1:], strict=False):
            a, b = cases[i], cases[j]
            if _start(b) < _start(a) + a.duration_min + turnover:
                out.append(
                    Flaw(
                        "cases", j, "planned_start",
                        f"pinned cases {a.case_id} ({_span(a)}, row {{0}}) and {b.case_id} "
                        f"({_span(b)}) in room {rid} on {d} are less than the turnover "
                        f"({turnover} min) apart",
                        (i,),
                    )
                )  # fmt: skip
        for k, i in enumerate(group):
            for j in group[k + 1 :]:
                if problem := _sequencing_problem(cases[i], cases[j]):
                    out.append(
                        Flaw(
                            "cases", j, "flags",
                            f"{problem} in room {rid} on {d}, but both are pinned "
                            "(row {0} and this row)",
                            (i,),
                        )
                    )  # fmt: skip
    for (d, sid), group in by_surgeon.items():
        group.sort(key=lambda i: _start(cases[i]))
        for k, i in enumerate(group):
            for j in group[k + 1 :]:
                a, b = cases[i], cases[j]
                if _start(b) >= _start(a) + a.duration_min:
                    break
                out.append(
                    Flaw(
                        "cases", j, "planned_start",
                        f"pinned cases {a.case_id} ({_span(a)}, row {{0}}) and {b.case_id} "
                        f"({_span(b)}) overlap for surgeon {sid} on {d}",
                        (i,),
                    )
                )  # fmt: skip
    return out


# What is said when two pinned cases break rule 6, by the rule they break.
_OUT_OF_ORDER = {
    rules.LATEX_ALLERGY: "latex-allergy case {then} must come before case {first}",
    rules.PAEDIATRIC: "paediatric case {then} must come before case {first}",
    rules.INFECTIOUS: "infectious case {first} must come after case {then}",
}


def _sequencing_problem(first: Case, then: Case) -> str | None:
    """Why ``then`` may not follow ``first`` in a room (contract rule 6), or ``None``."""
    rule = rules.precedence_rule(then.flags, first.flags)
    if rule is None:
        return None
    return _OUT_OF_ORDER[rule.flag].format(first=first.case_id, then=then.case_id)


def _pinned_capacity(
    cases: Sequence[Case],
    placed: list[int],
    capacity: Mapping[tuple[str, dt.date], int],
    pools: frozenset[str],
) -> list[Flaw]:
    """Pinned cases alone must not need more anaesthetists, pool units or ICU beds than given."""
    out: list[Flaw] = []
    users: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    icu: dict[dt.date, list[int]] = defaultdict(list)
    for i in placed:
        c = cases[i]
        assert c.planned_date is not None
        if c.needs_anaesthetist:
            users[ANAESTHETIST, c.planned_date].append(i)
        for e in c.equipment:
            if e in pools:
                users[e, c.planned_date].append(i)
        if c.needs_icu:
            icu[c.planned_date].append(i)
    for (name, d), group in users.items():
        cap = capacity.get((name, d))
        if cap is None:
            continue
        column = "anaesthesia" if name == ANAESTHETIST else "equipment"
        running: list[int] = []  # end times of the pinned cases running, as a heap
        for i in sorted(group, key=lambda i: _start(cases[i])):
            c = cases[i]
            while running and running[0] <= _start(c):
                heapq.heappop(running)
            heapq.heappush(running, _start(c) + c.duration_min)
            if len(running) > cap:
                out.append(
                    Flaw(
                        "cases", i, column,
                        f"pinned case {c.case_id} ({_span(c)}) makes {len(running)} pinned "
                        f"cases use {name} at once on {d}; the capacity is {cap} "
                        "(resources.csv)",
                    )
                )  # fmt: skip
    for d, group in icu.items():
        cap = capacity.get((ICU_BED, d))
        if cap is not None and len(group) > cap:
            for i in group[cap:]:
                out.append(
                    Flaw(
                        "cases", i, "needs_icu",
                        f"pinned case {cases[i].case_id} needs an ICU bed on {d}, but the "
                        f"{cap} bed(s) of that date (resources.csv) are taken by other "
                        "pinned cases",
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


def scenario_flaws(s: Scenario) -> list[Flaw]:
    """Every broken invariant of ``s``; the pinned and reserve checks need sound references."""
    out = reference_flaws(
        s.cases, s.rooms, s.sessions, s.resources, s.partners, s.extra_sessions, s.policy
    )
    if out:
        return out
    out += pinned_flaws(
        s.cases, s.rooms, s.sessions, s.surgeon_windows, s.capacity, s.pool_names, s.policy
    )
    out += unavailable_flaws(s.cases, s.unavailable)
    return out + reserve_flaws(s.cases, s.rooms, s.sessions, s.policy)


def unavailable_flaws(cases: Sequence[Case], unavailable: Sequence[Unavailability]) -> list[Flaw]:
    """Each range names a listed case, and none covers a pinned case's planned date (it is
    operated that very date). The loader finds these as it reads ``unavailable.csv``."""
    by_id = {c.case_id: c for c in cases}
    out: list[Flaw] = []
    for i, u in enumerate(unavailable):
        c = by_id.get(u.case_id)
        if c is None:
            out.append(Flaw("unavailable", i, "case_id", f"case {u.case_id} is not listed"))
        elif c.pinned and c.planned_date is not None and u.covers(c.planned_date):
            out.append(
                Flaw("unavailable", i, "from", f"case {u.case_id} is pinned on {c.planned_date}, "
                     "inside this range: a pinned case is operated on its planned date")
            )  # fmt: skip
    return out
