"""Lengths of stay and anaesthetists for several rooms, drawn onto a generated plan.

A case needing ICU stays there one to four dates, most often one or two; so
does every case of three hours or more under general anaesthesia (major
surgery goes to critical care after theatre, whatever the specialty); after
surgery under general or regional anaesthesia a patient stays on the ward for
about a night per ninety minutes of surgery (a Poisson draw: none after a short
case under local anaesthesia, as in day surgery). With one anaesthetist for
several rooms (French theatres: one for two rooms, a nurse anaesthetist in
each), each case under general or regional anaesthesia has an induction of 5
to 20 minutes.

The beds given per date are what the plan needs, with a little slack on
working days (``icu_slack``, ``ward_slack``), on every date from the first to
the last one a stay reaches: a schedule that moves cases later finds the beds
of the following dates taken, as a hospital does. An ICU keeps surgery its
usual beds on working days, at least the plan's mean occupancy of those days:
the busiest dates, where the plan needs more, are the full ones, and a case
moved onto them finds no bed. The anaesthetists per date are the fewest that
cover the plan's inductions and its running cases, and at least 80 % of the
open rooms' worth of supervision. Draws use their own random stream, so a plan
generated without them is the same as before they existed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

from ..scenario.schema import (
    ANAESTHETIST,
    BEDS,
    ICU_BED,
    WARD_BED,
    Case,
    ResourceCapacity,
    Scenario,
)
from .disrupt import peak_concurrency

ICU_DAYS = (1, 2, 3, 4)
ICU_DAYS_P = (0.4, 0.3, 0.2, 0.1)
MAJOR_SURGERY_MIN = 180  # under general anaesthesia, this long or longer: ICU after theatre
INDUCTION_MIN = {"general": (10, 15, 20), "regional": (5, 10), "local": (0,)}


def draw_stays_and_inductions(
    cases: Iterable[Case], seed: int, *, stays: bool, inductions: bool
) -> tuple[Case, ...]:
    """The cases with ``icu_days``, ``ward_days`` (``stays``; major surgery needs ICU) and
    ``induction_min`` (``inductions``) drawn from their own stream of ``seed``."""
    rng = np.random.default_rng([seed, 21])
    out = []
    for c in cases:
        update: dict[str, int] = {}
        if stays:
            if c.needs_icu or (c.anaesthesia == "general" and c.duration_min >= MAJOR_SURGERY_MIN):
                update["needs_icu"] = True
                update["icu_days"] = int(rng.choice(ICU_DAYS, p=ICU_DAYS_P))
            if c.anaesthesia != "local" or c.duration_min >= 90:
                update["ward_days"] = min(10, int(rng.poisson(c.duration_min / 90)))
        if inductions and c.needs_anaesthetist:
            update["induction_min"] = min(
                c.duration_min, int(rng.choice(INDUCTION_MIN[c.anaesthesia]))
            )
        out.append(c.model_copy(update=update) if update else c)
    return tuple(out)


def bed_occupancy(cases: Iterable[Case]) -> Counter[tuple[str, dt.date]]:
    """Beds the planned cases hold, per bed and date, were each operated on its planned date."""
    held: Counter[tuple[str, dt.date]] = Counter()
    for c in cases:
        if c.planned_date is not None:
            for bed, k in c.bed_stay:
                held[bed, c.planned_date + dt.timedelta(days=k)] += 1
    return held


def with_realism(
    plan: Scenario,
    seed: int,
    *,
    stays: bool,
    anaesthetist_rooms: int,
    icu_slack: int = 0,
    ward_slack: int = 3,
) -> Scenario:
    """``plan`` with stays and inductions drawn, ``anaesthetist_rooms`` in the policy, and
    the anaesthetist and bed rows of ``resources.csv`` the plan needs (see the module)."""
    cases = draw_stays_and_inductions(
        plan.cases, seed, stays=stays, inductions=anaesthetist_rooms > 1
    )
    policy = plan.policy.model_copy(update={"anaesthetist_rooms": anaesthetist_rooms})
    resources = [r for r in plan.resources if not (stays and r.resource in BEDS)]
    if anaesthetist_rooms > 1:
        resources = _anaesthetists(resources, cases, plan, anaesthetist_rooms)
    if stays:
        resources += _beds(cases, plan, icu_slack, ward_slack)
    resources.sort(key=lambda r: (r.date, _ORDER.get(r.resource, 1), r.resource))
    return plan.model_copy(update={"cases": cases, "policy": policy, "resources": tuple(resources)})


_ORDER = {ANAESTHETIST: 0, ICU_BED: 2, WARD_BED: 3}


def _anaesthetists(
    resources: list[ResourceCapacity], cases: tuple[Case, ...], plan: Scenario, rooms_each: int
) -> list[ResourceCapacity]:
    """Each date's anaesthetists: the plan's inductions at once, its running cases over
    ``rooms_each``, and 80 % of the open rooms over ``rooms_each``, whichever is most."""
    open_rooms = Counter(s.date for s in plan.sessions)
    out = []
    for r in resources:
        if r.resource == ANAESTHETIST:
            on = [c for c in cases if c.planned_date == r.date and c.needs_anaesthetist]
            inducting = [
                c.model_copy(update={"duration_min": c.induction_min})
                for c in on
                if c.induction_min
            ]
            need = max(
                peak_concurrency(inducting),
                math.ceil(peak_concurrency(on) / rooms_each),
                math.ceil(0.8 * open_rooms.get(r.date, 0) / rooms_each),
                1,
            )
            r = r.model_copy(update={"capacity": need})
        out.append(r)
    return out


def _beds(
    cases: tuple[Case, ...], plan: Scenario, icu_slack: int, ward_slack: int
) -> list[ResourceCapacity]:
    """Bed rows from the first date to the last one a stay reaches: the plan's occupancy,
    plus the slack on working days (dates with a session), where the ICU gives at least
    the plan's mean ICU occupancy of those days."""
    held = bed_occupancy(cases)
    working = {s.date for s in plan.sessions}
    last = max([d for _, d in held] + [plan.policy.end_date])
    usual = round(sum(held[ICU_BED, d] for d in working) / len(working)) if working else 0
    out = []
    d = plan.policy.start_date
    while d <= last:
        for bed, slack, floor in ((ICU_BED, icu_slack, usual), (WARD_BED, ward_slack, 0)):
            cap = max(held[bed, d] + slack, floor) if d in working else held[bed, d]
            out.append(ResourceCapacity(date=d, resource=bed, capacity=cap))
        d += dt.timedelta(days=1)
    return out
