"""Soft problems of a scenario: it loads, but the planner should know.

Sessions outside the horizon, resources given for some dates only, cases no
room can host. They are warnings, not errors: the scenario can be solved.
(Unknown columns and keys, and empty optional files, are warned about where
they are read.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .. import rules
from .layout import CASES, RESOURCES, SESSIONS
from .reading import Reader
from .schema import Case, Policy, ResourceCapacity, Room, Session


def warn_horizon(
    loader: Reader,
    policy: Policy,
    sessions: list[Session],
    resources: list[ResourceCapacity],
) -> None:
    """Soft problems about dates: sessions outside the horizon, resources given for some dates."""
    start, end = policy.start_date, policy.end_date
    outside = sum(1 for s in sessions if not start <= s.date <= end)
    if outside:
        loader.warn(
            f"{SESSIONS}: {outside} session(s) fall outside the horizon {start} to "
            f"{end} and are not used"
        )
    horizon_days = (end - start).days + 1
    dates_of: dict[str, set[dt.date]] = defaultdict(set)
    for r in resources:
        if start <= r.date <= end:
            dates_of[r.resource].add(r.date)
    for name in sorted(dates_of):
        n = len(dates_of[name])
        if n < horizon_days:
            loader.warn(
                f"{RESOURCES}: {name} is given for {n} of the {horizon_days} dates of the "
                "horizon; it is unlimited on the dates without a row"
            )


def warn_unreachable(
    loader: Reader, cases: list[Case], rooms: list[Room], pools: frozenset[str]
) -> None:
    """Cases that no room can host: they can only be transferred or left unscheduled."""
    if not rooms:
        return
    counts: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for c in cases:
        counts[c.specialty, tuple(sorted(rules.fixed_needed(c.equipment, pools)))] += 1
    for (spec, fixed), n in sorted(counts.items()):
        if not any(rules.hosts_case(r, None, spec, fixed) for r in rooms):
            needs = f" with {', '.join(fixed)}" if fixed else ""
            loader.warn(
                f"{CASES}: {n} case(s) of {spec} need a room{needs} and no room "
                "hosts that; they can only be transferred or left unscheduled"
            )
