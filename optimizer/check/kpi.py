"""Recomputing the objective levels and KPIs of a schedule, from the contract alone."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from fractions import Fraction
from typing import Any

import pandas as pd

from optimizer.scenario.schema import Scenario

from .announced import announced_counts
from .contract import OPERATED
from .deadlines import missed_deadlines
from .plan import read_plan
from .summary import day_counts


def _rank(scenario: Scenario) -> list[str]:
    """Class names, most urgent first: smaller delay, no deadline last, larger weight, name."""
    classes = scenario.policy.urgency.values()
    return [
        c.name
        for c in sorted(
            classes,
            key=lambda c: (
                c.max_delay_days is None,
                c.max_delay_days if c.max_delay_days is not None else 0,
                -c.weight,
                c.name,
            ),
        )
    ]


def _default_transfer_cost(scenario: Scenario) -> float:
    """More than any postponement a deadline allows: 1 + max(weight * max delay)."""
    costs = [
        c.weight * c.max_delay_days
        for c in scenario.policy.urgency.values()
        if c.max_delay_days is not None
    ]
    return 1.0 + max(costs) if costs else 1.0


def evaluate(scenario: Scenario, schedule: pd.DataFrame) -> dict[str, Any]:
    """Recompute the objective levels and KPIs of a schedule.

    A case missing from the schedule, or whose row cannot be read, counts as
    unscheduled; a duplicate row counts once (the first).

    Returns
    -------
    dict
        ``misses_by_class`` (most urgent class first), ``deadline_misses``,
        ``shortfall`` (cases short of the target, summed over dates),
        ``announced_changed`` (date changes count twice a room or time
        change), ``kept``, ``kept_weighted``, ``weighted_delay``, ``waiting``
        (weight × days waited by the planned date × days of delay, for patients
        listed before it), ``moved``, ``shift_min``.
    """
    plan = read_plan(scenario, schedule)
    facts = plan.facts
    policy = scenario.policy
    missed = missed_deadlines(plan)
    by_class = Counter(facts.cases[cid].urgency for cid in missed)

    target = Fraction(repr(policy.target_ratio))
    shortfall = 0
    for count in day_counts(plan).values():
        need = math.ceil(target * count.planned)  # smallest k with k / planned >= target
        shortfall += max(0, need - count.kept)

    kept = moved = shift = 0
    kept_weighted = weighted_delay = waiting = 0.0
    default_transfer = _default_transfer_cost(scenario)
    for cid, case in facts.cases.items():
        if case.planned_date is not None and case.planned_date > facts.end_date:
            continue  # outside this run
        row = plan.rows.get(cid)
        status = row.status if row is not None else "unscheduled"
        base = case.planned_date if case.planned_date is not None else facts.start_date
        weight = facts.weight(case)
        if row is not None and status in OPERATED and row.date is not None:
            weighted_delay += weight * (row.date - base).days
        elif status == "transferred":
            cost = policy.urgency[case.urgency].transfer_cost
            weighted_delay += cost if cost is not None else default_transfer
        else:
            weighted_delay += weight * ((facts.end_date - base).days + 1)
        listed = case.listed_date if case.listed_date is not None else base
        waited = max((base - listed).days, 0)
        if waited:
            dated = status in OPERATED or status == "transferred"
            until = row.date if row is not None and dated and row.date is not None else None
            if until is None:
                until = facts.end_date + dt.timedelta(days=1)
            waiting += weight * waited * max((until - base).days, 0)
        if row is not None and status == "kept" and facts.in_horizon(case.planned_date):
            kept += 1
            kept_weighted += weight
            off_room = case.planned_room is not None and row.room_id != case.planned_room
            off_start = case.planned_start is not None and row.start != case.planned_start
            moved += off_room or off_start
            if case.planned_start is not None and row.start is not None:
                shift += abs(row.start - case.planned_start)
    return {
        "misses_by_class": [by_class[name] for name in _rank(scenario)],
        "deadline_misses": len(missed),
        "shortfall": shortfall,
        "announced_changed": announced_counts(plan)["weighted"],
        "kept": kept,
        "kept_weighted": kept_weighted,
        "weighted_delay": weighted_delay,
        "waiting": waiting,
        "moved": moved,
        "shift_min": shift,
    }
