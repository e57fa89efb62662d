"""Soft problems of a scenario: it loads, but the planner should know.

Sessions outside the horizon, resources given for some dates only, cases no
room can host, cases longer than every session that could host them. They are
warnings, not errors: the scenario can be solved.
(Unknown columns and keys, and empty optional files, are warned about where
they are read.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from .. import rules
from .layout import CASES, EXTRA_SESSIONS, RESOURCES, SESSIONS
from .reading import Reader
from .schema import Case, ExtraSession, Policy, ResourceCapacity, Room, Scenario, Session
from .typos import did_you_mean, rows_text


def scenario_warnings(scenario: Scenario) -> tuple[str, ...]:
    """The soft problems of a scenario made in memory, as the loader warns of them in a folder
    (those of a file's rows and columns aside: there are no rows)."""
    collector = Reader(Path("."))
    warn_horizon(collector, scenario.policy, list(scenario.sessions), list(scenario.resources))
    warn_extra_outside(collector, scenario.policy, list(scenario.extra_sessions))
    warn_unreachable(collector, list(scenario.cases), list(scenario.rooms), scenario.pool_names)
    warn_too_long(
        collector,
        list(scenario.cases),
        list(scenario.rooms),
        list(scenario.sessions),
        scenario.policy,
        scenario.pool_names,
    )
    return tuple(collector.warnings)


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
    loader: Reader,
    cases: list[Case],
    rooms: list[Room],
    pools: frozenset[str],
    rows: Mapping[str, int] | None = None,
) -> None:
    """Cases that no room can host: they can only be transferred or left unscheduled.

    With ``rows`` (each case's row in ``cases.csv``), the warning names them;
    a specialty no room lists that is near one some room lists is a typo's
    likely ("did you mean urology?").
    """
    if not rooms:
        return
    groups: dict[tuple[str, tuple[str, ...]], list[Case]] = defaultdict(list)
    for c in cases:
        groups[c.specialty, tuple(sorted(rules.fixed_needed(c.equipment, pools)))].append(c)
    listed = {s for r in rooms for s in r.specialties}
    for (spec, fixed), group in sorted(groups.items()):
        if not any(rules.hosts_case(r, None, spec, fixed) for r in rooms):
            needs = f" with {', '.join(fixed)}" if fixed else ""
            where = "" if rows is None else f", {rows_text([rows[c.case_id] for c in group])}"
            hint = "" if spec in listed else did_you_mean(spec, listed)
            loader.warn(
                f"{CASES}{where}: {len(group)} case(s) of {spec} need a room{needs} and no room "
                f"hosts that; they can only be transferred or left unscheduled{hint}"
            )


def warn_extra_outside(loader: Reader, policy: Policy, extras: list[ExtraSession]) -> None:
    """Extra sessions outside the horizon: never used."""
    outside = sum(1 for e in extras if not policy.start_date <= e.date <= policy.end_date)
    if outside:
        loader.warn(
            f"{EXTRA_SESSIONS}: {outside} extra session(s) fall outside the horizon "
            f"{policy.start_date} to {policy.end_date} and are not used"
        )


def warn_too_long(
    loader: Reader,
    cases: list[Case],
    rooms: list[Room],
    sessions: list[Session],
    policy: Policy,
    pools: frozenset[str],
    rows: Mapping[str, int] | None = None,
) -> None:
    """Cases longer than every session of the horizon that could host them (room, block and
    fixed equipment), overtime included: they cannot be operated here at all.

    A case no session hosts is :func:`warn_unreachable`'s (no room) or the schedule's
    (no session in the horizon). With ``rows``, the warning names the case's row.
    """
    room_by_id = {r.room_id: r for r in rooms}
    horizon = [s for s in sessions if policy.start_date <= s.date <= policy.end_date]
    longest: dict[tuple[str, tuple[str, ...]], int | None] = {}
    for c in cases:
        fixed = tuple(sorted(rules.fixed_needed(c.equipment, pools)))
        key = (c.specialty, fixed)
        if key not in longest:
            spans = [
                s.end - s.start
                for s in horizon
                if s.room_id in room_by_id
                and rules.hosts_case(room_by_id[s.room_id], s.specialty, c.specialty, fixed)
            ]
            longest[key] = max(spans) + policy.overtime_max_min if spans else None
        most = longest[key]
        if most is None or c.duration_min <= most:
            continue
        at = "" if rows is None else f", row {rows[c.case_id]}"
        overtime = " with overtime" if policy.overtime_max_min else ""
        loader.warn(
            f"{CASES}{at}, column duration_min: case {c.case_id} ({c.duration_min} min) is "
            f"longer than every session that can host it (the longest: {most} min{overtime}); "
            "it can only be transferred or left unscheduled"
        )
