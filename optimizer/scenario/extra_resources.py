"""``extra_resources.csv``, as the loader reads it.

More beds (``icu_bed``, ``ward_bed``) or anaesthetists on a date, up to
``extra`` units at ``cost`` each: ``whatif`` may take them, ``solve`` never
does. A date needs a capacity row of the resource in ``resources.csv`` (the
data model's own check, :func:`~optimizer.scenario.invariants.extra_resource_flaws`):
without one the resource is unlimited that date and there is nothing to add.
"""

from __future__ import annotations

import datetime as dt

from .cells import CellError, parse_capacity, parse_cost, parse_date
from .invariants import extra_resource_flaws
from .layout import RESOURCES
from .readers import Read, Resources
from .reading import Reader, Spec, Table
from .schema import EXTRA_RESOURCE_NAMES, ExtraResource
from .typos import did_you_mean


def _units(text: str) -> int:
    units = parse_capacity(text)
    if units < 1:
        raise CellError("0 units add nothing: give at least 1, or leave the row out")
    return units


_SPEC: Spec = (
    ("resource", None, True),
    ("date", parse_date, True),
    ("extra", _units, True),
    ("cost", parse_cost, False),
)


def read_extra_resources(loader: Reader, t: Table | None, resources: Resources) -> Read:
    """The rows of ``extra_resources.csv`` as :class:`ExtraResource` (cost 1 when empty)."""
    out = Read(loaded=t is not None)
    if t is None:
        return out
    f = t.file
    for row, cells in t.rows:
        before = loader.per_file[f]
        name, d, extra, cost = loader.values(t, row, cells, _SPEC)
        if name is not None and name not in EXTRA_RESOURCE_NAMES:
            loader.error(
                f, row, "resource",
                f"{name} cannot be added: the resource is one of "
                f"{', '.join(EXTRA_RESOURCE_NAMES)}{did_you_mean(name, EXTRA_RESOURCE_NAMES)}",
            )  # fmt: skip
        if loader.per_file[f] > before:
            continue
        assert isinstance(d, dt.date) and isinstance(extra, int)
        e = ExtraResource(resource=name, date=d, extra=extra, cost=1.0 if cost is None else cost)
        first = out.rows.setdefault(e.key(), row)
        if first != row:
            loader.error(
                f, row, "date",
                f"extra {name} on {d} is already listed on row {first} (one row per resource "
                "and date)",
            )  # fmt: skip
            continue
        if loader.clean(RESOURCES):  # the data model's own check, named by this row
            flaws = extra_resource_flaws([e], resources.capacity)
            for flaw in flaws:
                loader.error(f, row, flaw.column, flaw.text())
            if flaws:
                continue
        out.items.append(e)
    return out
