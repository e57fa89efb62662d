"""The cases' columns added for realism and for the desk: beds, induction, overrides.

``icu_days`` and ``ward_days`` give the length of stay, ``induction_min`` the
minutes an anaesthetist spends in the room at the start of a case, and
``fixed_date``, ``fixed_room``, ``fixed_start`` where the planner fixed the case
(a room needs a date, a start a room). Each row's cells are checked here, with
the file, row and column of each problem; whether a fixed slot can be used at
all (a session there, the surgeon's hours) is checked with the pinned cases, in
:mod:`.pinned`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..clock import MINUTES_PER_DAY, format_time
from . import limits
from .cells import parse_bool, parse_date, parse_int, parse_time
from .reading import Reader, Spec, Table
from .typos import unlisted_hint


def _parse_icu_days(text: str) -> int:
    return parse_int(text, 1, limits.MAX_STAY_DAYS, "days")


def _parse_ward_days(text: str) -> int:
    return parse_int(text, 0, limits.MAX_STAY_DAYS, "days")


def _parse_induction(text: str) -> int:
    return parse_int(text, 0, limits.MAX_DURATION_MIN, "minutes")


SPEC: Spec = (
    ("icu_days", _parse_icu_days, False),
    ("ward_days", _parse_ward_days, False),
    ("induction_min", _parse_induction, False),
    ("fixed_date", parse_date, False),
    ("fixed_room", None, False),
    ("fixed_start", parse_time, False),
    ("known_date", parse_date, False),
    ("known_room", None, False),
    ("known_start", parse_time, False),
    ("known_none", parse_bool, False),
    ("cancelled_date", parse_date, False),
)
COLUMNS = tuple(col for col, _, _ in SPEC)


@dataclass(frozen=True)
class CaseExtras:
    """The parsed cells of one row (``None``: empty or bad)."""

    icu_days: int | None
    ward_days: int | None
    induction_min: int | None
    fixed_date: dt.date | None
    fixed_room: str | None
    fixed_start: int | None
    known_date: dt.date | None
    known_room: str | None
    known_start: int | None
    known_none: bool | None
    cancelled_date: dt.date | None

    def fields(self) -> dict[str, Any]:
        """The :class:`~optimizer.scenario.schema.Case` fields they give (defaults left out)."""
        out: dict[str, Any] = {}
        if self.icu_days is not None:
            out["icu_days"] = self.icu_days
        if self.ward_days is not None:
            out["ward_days"] = self.ward_days
        if self.induction_min is not None:
            out["induction_min"] = self.induction_min
        out.update(fixed_date=self.fixed_date, fixed_room=self.fixed_room)
        out["fixed_start"] = self.fixed_start
        out.update(known_date=self.known_date, known_room=self.known_room)
        out["known_start"] = self.known_start
        out["known_none"] = bool(self.known_none)
        out["cancelled_date"] = self.cancelled_date
        return out


def read_case_extras(
    loader: Reader,
    t: Table,
    row: int,
    cells: list[str],
    case: tuple[int | None, bool | None, bool | None, dt.date | None, dt.date | None],
    room_ids: Collection[str] | None,
) -> CaseExtras:
    """Parse and check one row's added cells; ``case`` is the row's ``duration_min``,
    ``needs_icu``, ``pinned``, ``planned_date`` and ``release_date`` (already parsed)."""
    f = t.file
    dur, icu, pinned, pdate, release = case
    x = CaseExtras(*loader.values(t, row, cells, SPEC))
    given = {col: (j := t.index.get(col)) is not None and cells[j] != "" for col in COLUMNS}
    if given["icu_days"] and not icu:
        loader.error(f, row, "icu_days", "icu_days is given but the case needs no ICU (needs_icu)")
    if x.induction_min is not None and dur is not None and x.induction_min > dur:
        loader.error(
            f,
            row,
            "induction_min",
            f"the induction ({x.induction_min} min) is longer than the case ({dur} min)",
        )
    if given["fixed_room"] and not given["fixed_date"]:
        loader.error(f, row, "fixed_date", "a fixed room is given without a fixed date")
    if given["fixed_start"] and not given["fixed_room"]:
        loader.error(f, row, "fixed_room", "a fixed start is given without a fixed room")
    if (given["known_room"] or given["known_start"]) and not given["known_date"]:
        loader.error(f, row, "known_date", "a known room or start is given without a known date")
    if x.known_none and given["known_date"]:
        loader.error(f, row, "known_none", "known_none is true but a known date is given")
    if x.fixed_room is not None and room_ids is not None and x.fixed_room not in room_ids:
        loader.error(f, row, "fixed_room", f"room {x.fixed_room} is not listed in rooms.csv"
                     f"{unlisted_hint(x.fixed_room, room_ids)}")  # fmt: skip
    if x.fixed_start is not None and dur is not None and x.fixed_start + dur > MINUTES_PER_DAY:
        loader.error(
            f,
            row,
            "fixed_start",
            f"the case would end after midnight ({format_time(x.fixed_start)} + {dur} min)",
        )
    if given["fixed_date"] and pinned:
        loader.error(
            f,
            row,
            "fixed_date",
            "a pinned case stays at its planned slot: clear pinned or the fixed columns",
        )
    if x.fixed_date is not None and pdate is not None and x.fixed_date < pdate:
        loader.error(
            f,
            row,
            "fixed_date",
            f"the fixed date {x.fixed_date} is before the planned date {pdate} "
            "(a case is never operated before its planned date)",
        )
    if x.fixed_date is not None and release is not None and x.fixed_date < release:
        loader.error(
            f,
            row,
            "fixed_date",
            f"the fixed date {x.fixed_date} is before the release date {release}",
        )
    return x
