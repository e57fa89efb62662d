"""Extra beds and anaesthetists taken: their rows, their words, and whom they serve.

The rows of ``resources_added.csv`` are ``extra_resources.csv`` rows, ``extra``
being the units taken (``cost`` per unit, as offered). What a unit buys is read
from the two schedules: the cases that hold that resource on that date with it
(a bed over their stay, an anaesthetist on their surgery date) and did not hold
it in the schedule without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..i18n import DEFAULT_LANG, Lang, amount, day, text
from ..result.result import Result
from ..scenario.schema import ANAESTHETIST, ExtraResource

RESOURCE_COLUMNS = ("resource", "date", "extra", "cost")


def describe_resource(e: ExtraResource) -> str:
    """``icu_bed +1`` (the resource's name, the units added)."""
    return f"{e.resource} +{e.extra}"


def say_resource(e: ExtraResource, lang: Lang = DEFAULT_LANG) -> str:
    """``1 ICU bed`` / ``2 anesthésistes``, in the planner's words."""
    return text(lang, f"whatif.resource.{e.resource}", count=e.extra)


def holders(result: Result, resource: str, date: dt.date) -> set[str]:
    """The cases of ``result`` operated here that hold ``resource`` on ``date``."""
    sc = result.scenario
    by_id = {c.case_id: c for c in sc.cases}
    out = set()
    for r in result.rows:
        if r.room_id is None or r.date is None:
            continue
        c = by_id[r.case_id]
        when = r.date
        if resource == ANAESTHETIST:
            if c.needs_anaesthetist and when == date:
                out.add(c.case_id)
        elif any(bed == resource and when + dt.timedelta(days=k) == date
                 for bed, k in c.bed_stay):  # fmt: skip
            out.add(c.case_id)
    return out


def served(e: ExtraResource, baseline: Result, result: Result) -> list[str]:
    """The cases holding ``e``'s resource on its date with it, and not without it."""
    return sorted(holders(result, e.resource, e.date) - holders(baseline, e.resource, e.date))


def resource_rows(
    added: Sequence[ExtraResource], baseline: Result, result: Result, *, as_dicts: bool = False
) -> list[Any]:
    """The resources taken, by date then name: ``resources_added.csv`` rows, or (``as_dicts``)
    ``whatif.json``'s entries with their total cost and the cases they serve."""
    ordered = sorted(added, key=lambda e: (e.date, e.resource))
    if not as_dicts:
        return [[e.resource, e.date.isoformat(), str(e.extra), repr(float(e.cost))]
                for e in ordered]  # fmt: skip
    return [
        {"resource": e.resource, "date": e.date.isoformat(), "units": e.extra,
         "cost_per_unit": e.cost, "cost": round(e.cost * e.extra, 2),
         "cases": served(e, baseline, result)}
        for e in ordered
    ]  # fmt: skip


def resource_lines(
    added: Sequence[ExtraResource], baseline: Result, result: Result, lang: Lang
) -> list[str]:
    """One line per resource taken: what, when, at what cost, for which cases."""
    lines = []
    for e in sorted(added, key=lambda e: (e.date, e.resource)):
        cases = served(e, baseline, result)
        key = "whatif.resource_line" if cases else "whatif.resource_line_plain"
        lines.append(
            text(lang, key, what=say_resource(e, lang), date=day(e.date, lang),
                 cost=amount(e.cost * e.extra, lang), cases=", ".join(cases))
        )  # fmt: skip
    return lines
