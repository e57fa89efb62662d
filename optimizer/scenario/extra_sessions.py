"""``extra_sessions.csv`` and the emergency reserve, as the loader checks them.

An extra session is capacity that could be added at a cost (``whatif`` may
take it, ``solve`` never does): a row for a room closed that date opens it; a
row for a room with a session that date lengthens that session, so its hours
must contain the session's and be longer, and it keeps the session's
specialty. The reserve (``reserve_min``, ``[reserve]`` in ``policy.toml``)
must be possible with the pinned cases where they are: pinned elective cases
that alone leave less than a reserve free would make every schedule break it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..clock import format_time
from .cells import parse_cost, parse_date, parse_end_time, parse_time
from .layout import CASES, EXTRA_SESSIONS, POLICY_FILE, ROOMS, SESSIONS
from .policy_toml import PolicyDraft
from .readers import Read
from .reading import Reader, Spec, Table
from .schema import Case, ExtraSession, Policy, Session

_EXTRA_SPEC: Spec = (
    ("date", parse_date, True),
    ("room_id", None, True),
    ("start", parse_time, True),
    ("end", parse_end_time, True),
    ("specialty", None, False),
    ("cost", parse_cost, False),
)


def read_extra_sessions(loader: Reader, t: Table | None, rooms: Read, sessions: Read) -> Read:
    """The rows of ``extra_sessions.csv`` as :class:`ExtraSession` (cost 1 when empty)."""
    out = Read(loaded=t is not None)
    if t is None:
        return out
    f = t.file
    room_by_id = {r.room_id: r for r in rooms.items}
    session_by_key: dict[tuple[dt.date, str], Session] = {
        (s.date, s.room_id): s for s in sessions.items
    }
    for row, cells in t.rows:
        before = loader.per_file[f]
        d, rid, start, end, block, cost = loader.values(t, row, cells, _EXTRA_SPEC)
        if rid is not None and rooms.loaded and rid not in rooms.rows:
            loader.error(f, row, "room_id", f"room {rid} is not listed in rooms.csv")
        if start is not None and end is not None and start >= end:
            loader.error(
                f, row, "end",
                f"the session ends at {format_time(end)}, not after it starts "
                f"({format_time(start)})",
            )  # fmt: skip
        if d is not None and rid is not None:
            first = out.rows.setdefault((d, rid), row)
            if first != row:
                loader.error(
                    f, row, "date",
                    f"an extra session of room {rid} on {d} is already listed on row {first} "
                    "(one per room and date)",
                )  # fmt: skip
        s = session_by_key.get((d, rid))
        if loader.per_file[f] == before and s is not None:
            _check_lengthening(loader, f, row, s, start, end, block)
        if loader.per_file[f] > before:
            continue
        room = room_by_id.get(rid) if rid is not None else None
        if block and room is not None and not room.hosts(block):
            loader.warn(
                f"{f}, row {row}: room {rid} does not host {block}, the "
                "specialty the extra session is reserved to; no case can use it"
            )
        out.items.append(
            ExtraSession(
                date=d, room_id=rid, start=start, end=end, specialty=block,
                cost=1.0 if cost is None else cost,
            )
        )  # fmt: skip
    return out


def _check_lengthening(
    loader: Reader, f: str, row: int, s: Session, start: int, end: int, block: str | None
) -> None:
    hours = f"{format_time(s.start)}-{format_time(s.end)}"
    if start > s.start or end < s.end or (start, end) == (s.start, s.end):
        loader.error(
            f, row, "start" if start > s.start else "end",
            f"room {s.room_id} has a session on {s.date} ({hours}, sessions.csv): an extra "
            "session there lengthens it, so its hours must contain those and be longer",
        )  # fmt: skip
    if block is not None and block != s.specialty:
        loader.error(
            f, row, "specialty",
            f"room {s.room_id} has a session on {s.date} reserved to "
            f"{s.specialty or 'no specialty'}: a lengthened session keeps its specialty "
            "(leave this cell empty)",
        )  # fmt: skip


def warn_extra_outside(loader: Reader, policy: Policy, extras: list[ExtraSession]) -> None:
    outside = sum(1 for e in extras if not policy.start_date <= e.date <= policy.end_date)
    if outside:
        loader.warn(
            f"{EXTRA_SESSIONS}: {outside} extra session(s) fall outside the horizon "
            f"{policy.start_date} to {policy.end_date} and are not used"
        )


def check_reserve(
    loader: Reader, cases: Read, rooms: Read, sessions: Read, policy: Policy, draft: PolicyDraft
) -> None:
    """Pinned elective cases alone must leave each reserve free: no schedule could, else.

    The rule is the one the schedule keeps (README, "Levers"): on each date,
    session minutes minus elective minutes (duration plus turnover) at least
    ``min(reserve, session minutes)``, in the sessions that can host the
    reserve's specialty (all sessions for ``reserve_min``).
    """
    if not policy.reserves or not loader.clean(SESSIONS, CASES, ROOMS):
        return
    turnover = policy.turnover_min
    room_by_id = {r.room_id: r for r in rooms.items}
    for specialty, minutes in policy.reserves:
        hours: dict[dt.date, int] = defaultdict(int)
        rooms_of: dict[dt.date, set[str]] = defaultdict(set)
        for s in sessions.items:
            room = room_by_id.get(s.room_id)
            hosts = (
                room is not None
                and room.hosts(specialty or "")
                and s.specialty
                in (
                    None,
                    specialty,
                )
            )
            if specialty is None or hosts:
                hours[s.date] += s.end - s.start
                rooms_of[s.date].add(s.room_id)
        load: dict[dt.date, list[Case]] = defaultdict(list)
        for c in cases.items:
            d = c.planned_date
            elective = c.pinned and d is not None and policy.is_elective(c.urgency)
            if elective and d is not None and c.planned_room in rooms_of.get(d, ()):
                load[d].append(c)
        for d, pinned in sorted(load.items()):
            used = sum(c.duration_min + turnover for c in pinned)
            if hours[d] - used < min(minutes, hours[d]):
                path = ("reserve_min",) if specialty is None else ("reserve", specialty)
                loader.error(
                    POLICY_FILE, draft.line(*path), ".".join(path),
                    f"pinned elective cases {', '.join(c.case_id for c in pinned)} on {d} leave "
                    f"{max(0, hours[d] - used)} min of the sessions free, less than the "
                    f"{minutes} min reserve: unpin some or lower the reserve",
                )  # fmt: skip
