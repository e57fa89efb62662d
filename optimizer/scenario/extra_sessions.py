"""``extra_sessions.csv``, as the loader reads it.

An extra session is capacity that could be added at a cost (``whatif`` may
take it, ``solve`` never does): a row for a room closed that date opens it; a
row for a room with a session that date lengthens that session, so its hours
must contain the session's and be longer, and it keeps the session's
specialty (:func:`~optimizer.scenario.invariants.lengthening_flaws`, the data
model's own check).
"""

from __future__ import annotations

import datetime as dt

from ..clock import format_time
from .cells import parse_cost
from .invariants import lengthening_flaws
from .readers import SESSION_SPEC, Read, warn_block_elsewhere
from .reading import Reader, Spec, Table
from .schema import ExtraSession, Session
from .typos import unlisted_hint

# sessions.csv's columns, then the cost of opening (or lengthening) the session
_EXTRA_SPEC: Spec = (*SESSION_SPEC, ("cost", parse_cost, False))


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
            hint = unlisted_hint(rid, rooms.rows)
            loader.error(f, row, "room_id", f"room {rid} is not listed in rooms.csv{hint}")
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
        if loader.per_file[f] > before:
            continue
        extra = ExtraSession(
            date=d, room_id=rid, start=start, end=end, specialty=block,
            cost=1.0 if cost is None else cost,
        )  # fmt: skip
        s = session_by_key.get((d, rid))
        if s is not None:  # the data model's own check, named by this row
            flaws = lengthening_flaws(0, extra, s)
            for flaw in flaws:
                loader.error(f, row, flaw.column, flaw.text())
            if flaws:
                continue
        warn_block_elsewhere(loader, f"{f}, row {row}", room_by_id, rid, block, "extra session")
        out.items.append(extra)
    return out
