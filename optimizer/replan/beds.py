"""The beds the cases already operated still hold: the next morning has that many fewer.

``resources.csv`` counts, per date, the beds this schedule's cases may hold;
a case that leaves the list as done keeps its bed for the rest of its stay,
so the re-plan lowers the ``icu_bed`` and ``ward_bed`` rows its stay covers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from ..facts.booking import Booking
from ..scenario.schema import BEDS, Case, ResourceCapacity


def beds_left(
    resources: Sequence[ResourceCapacity], done: Iterable[tuple[Case, Booking | None]]
) -> tuple[ResourceCapacity, ...]:
    """``resources`` with each bed row lowered by the done cases whose stay covers it.

    Only cases operated here, on a known date, hold a bed (a transfer or a withdrawal
    holds none); a row never goes below 0.
    """
    held: Counter[tuple[str, dt.date]] = Counter()
    for case, slot in done:
        if slot is None or not slot.here or slot.date is None:
            continue
        for bed, k in case.bed_stay:
            held[bed, slot.date + dt.timedelta(days=k)] += 1
    if not held:
        return tuple(resources)
    return tuple(
        r.model_copy(update={"capacity": max(0, r.capacity - held[r.resource, r.date])})
        if r.resource in BEDS and held[r.resource, r.date]
        else r
        for r in resources
    )


def unfix_past(cases: Iterable[Case], today: dt.date) -> tuple[Case, ...]:
    """The cases with a planner's override before ``today`` freed of it (its day passed:
    a case cancelled on the day needs a new date)."""
    clear = {"fixed_date": None, "fixed_room": None, "fixed_start": None}
    return tuple(
        c.model_copy(update=clear) if c.fixed_date is not None and c.fixed_date < today else c
        for c in cases
    )
