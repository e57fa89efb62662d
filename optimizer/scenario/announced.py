"""The announced appointment of a case (an addition to the contract): its cells checked.

A date alone is an appointment whose day was given (room and time told
later); a room or a start without a date is incomplete, as for the planned
slot. The announced room must be in ``rooms.csv`` (or be a partner of
``partners.csv``: a transfer announced by a re-plan), the slot must end by
midnight, and the date cannot be before the planned date (a case is never
operated before it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set

from ..clock import MINUTES_PER_DAY, format_time
from .reading import Reader, Table
from .typos import unlisted_hint


def check_announced(
    loader: Reader,
    t: Table,
    row: int,
    cells: list[str],
    values: tuple[dt.date | None, int | None, dt.date | None, str | None, int | None],
    room_ids: Set[str] | None,
    partner_ids: Set[str] = frozenset(),
) -> None:
    """Record the problems of one row's ``announced_*`` cells (already parsed in ``values``).

    ``room_ids``: the rooms of ``rooms.csv``, ``None`` when it could not be read;
    ``partner_ids``: the partners of ``partners.csv`` (an announced transfer names one).
    """
    f = t.file
    pdate, dur, adate, aroom, astart = values
    given = {
        col: (j := t.index.get(col)) is not None and cells[j] != ""
        for col in ("announced_date", "announced_room", "announced_start")
    }
    if (given["announced_room"] or given["announced_start"]) and not given["announced_date"]:
        loader.error(
            f,
            row,
            "announced_date",
            "an announced room or start is given without an announced date",
        )
    if (
        aroom is not None
        and room_ids is not None
        and aroom not in room_ids
        and aroom not in partner_ids
    ):
        hint = unlisted_hint(aroom, room_ids)
        loader.error(f, row, "announced_room", f"room {aroom} is not listed in rooms.csv{hint}")
    if astart is not None and dur is not None and astart + dur > MINUTES_PER_DAY:
        # a night case's appointment, as a re-plan carries it when the call did not get
        # through: the patient holds it, it cannot be kept as it is (as a planned slot)
        loader.warn(
            f"{f}, row {row}: the announced appointment would end after midnight "
            f"({format_time(astart)} + {dur} min); it cannot be kept as it is"
        )
    if adate is not None and pdate is not None and adate < pdate:
        loader.error(
            f,
            row,
            "announced_date",
            f"the announced date {adate} is before the planned date {pdate} "
            "(a case is never operated before its planned date)",
        )
