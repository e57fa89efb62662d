"""Beds per date against capacity: what the report shows of the lengths of stay.

Read from the schedule as written and the scenario's bed rows: each case
operated here holds an ICU bed from its surgery date for ``icu_days`` when it
needs ICU, then a ward bed for ``ward_days``. Every date with a bed row is
shown, past the horizon too, with the beds held and given; a date where they
are equal is full. Full is not binding: :func:`bed_causes` says, per kind of
bed, which cases the causes blame on it (``resource_full`` naming the bed),
so a ward that kept three cases out and an ICU full to the last bed that kept
none are told apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..facts.booking import OPERATED
from ..scenario.schema import BEDS, ICU_BED, WARD_BED, Scenario
from .words import Words


@dataclass(frozen=True)
class BedCell:
    held: int
    capacity: int

    @property
    def full(self) -> bool:
        return self.held >= self.capacity


@dataclass(frozen=True)
class BedLine:
    """One date: its ICU and ward beds held against those given (``None``: no row)."""

    day: str  # as the report writes a date with its weekday
    after_horizon: bool
    icu: BedCell | None
    ward: BedCell | None


def beds_held(
    sc: Scenario, schedule: Iterable[Mapping[str, str | None]]
) -> Counter[tuple[str, dt.date]]:
    """Beds held per (bed, date) by the cases the schedule operates here."""
    by_id = {c.case_id: c for c in sc.cases}
    held: Counter[tuple[str, dt.date]] = Counter()
    for row in schedule:
        case = by_id.get(str(row["case_id"]))
        if case is None or row["status"] not in OPERATED or not row["date"]:
            continue
        day = dt.date.fromisoformat(str(row["date"]))
        for bed, k in case.bed_stay:
            held[bed, day + dt.timedelta(days=k)] += 1
    return held


def bed_causes(w: Words, sc: Scenario, schedule: Iterable[Mapping[str, str | None]]) -> list[str]:
    """One sentence per kind of bed with rows: the cases whose cause is that no such bed was
    left (``resource_full``, the bed among ``blocking``), or that there is none."""
    kinds = [b for b in (ICU_BED, WARD_BED) if any(r.resource == b for r in sc.resources)]
    blamed: dict[str, list[str]] = {b: [] for b in kinds}
    for row in schedule:
        if row.get("cause") != "resource_full":
            continue
        for name in str(row.get("blocking") or "").split(";"):
            if name.strip() in blamed:
                blamed[name.strip()].append(str(row["case_id"]))
    out = []
    for bed in kinds:
        label = w(f"beds_col.{'icu' if bed == ICU_BED else 'ward'}")
        cases = sorted(blamed[bed])
        if cases:
            out.append(w("beds_causes", beds=label, count=len(cases), cases=", ".join(cases)))
        else:
            out.append(w("beds_causes_none", beds=label))
    return out


def bed_lines(
    w: Words, sc: Scenario, schedule: Iterable[Mapping[str, str | None]]
) -> list[BedLine]:
    """One line per date with a bed row, in date order; empty without bed rows."""
    rows = {(r.resource, r.date): r.capacity for r in sc.resources if r.resource in BEDS}
    if not rows:
        return []
    held = beds_held(sc, schedule)
    out = []
    for day in sorted({d for _, d in rows}):
        cells = {
            bed: BedCell(held[bed, day], rows[bed, day]) if (bed, day) in rows else None
            for bed in (ICU_BED, WARD_BED)
        }
        iso = day.isoformat()
        out.append(
            BedLine(w.weekday(iso), day > sc.policy.end_date, cells[ICU_BED], cells[WARD_BED])
        )
    return out
