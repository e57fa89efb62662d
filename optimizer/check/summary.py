"""``summary.json`` against a recomputation from the schedule."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .contract import RATIO_TOLERANCE, Violation
from .plan import Plan


def is_count(value: Any) -> bool:
    """Whether a JSON value is a count (an integer, and not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def as_fraction(value: Any) -> Fraction | None:
    """The decimal a JSON number spells, exactly; None if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class DayCount:
    """Planned and kept cases of one horizon date."""

    planned: int
    kept: int


def day_counts(plan: Plan) -> dict[dt.date, DayCount]:
    """Planned and kept cases per horizon date that has planned cases."""
    planned: Counter[dt.date] = Counter()
    kept: Counter[dt.date] = Counter()
    for cid, case in plan.facts.cases.items():
        day = case.planned_date
        if day is None or not plan.facts.in_horizon(day):
            continue
        planned[day] += 1
        row = plan.rows.get(cid)
        if row is not None and row.status == "kept":
            kept[day] += 1
    return {d: DayCount(planned[d], kept[d]) for d in sorted(planned)}


def _ratio_ok(said: Any, kept: int, planned: int) -> bool:
    value = as_fraction(said)
    return value is not None and abs(value - Fraction(kept, planned)) <= RATIO_TOLERANCE


def summary_agrees(plan: Plan, summary: Mapping[str, Any]) -> list[Violation]:
    """summary.json agrees with a recomputation from the schedule."""
    out: list[Violation] = []

    def bad(message: str) -> None:
        out.append(Violation("summary", None, message))

    target = as_fraction(summary.get("target_ratio"))
    if target is None or not 0 <= target <= 1:
        bad("target_ratio is missing or not a number between 0 and 1")
        # Judge target_met against the scenario's own target instead.
        target = Fraction(repr(plan.facts.scenario.policy.target_ratio))
    counts = day_counts(plan)

    dates = summary.get("dates")
    if not isinstance(dates, list):
        bad("dates is missing or not a list")
        dates = []
    listed: set[dt.date] = set()
    for i, entry in enumerate(dates):
        if not isinstance(entry, Mapping):
            bad(f"dates[{i}] is not an object")
            continue
        try:
            day = dt.date.fromisoformat(str(entry.get("date")))
        except ValueError:
            bad(f"dates[{i}] has no date of the form YYYY-MM-DD")
            continue
        if day in listed:
            bad(f"{day} is listed twice in dates")
            continue
        listed.add(day)
        count = counts.get(day)
        if count is None:
            bad(f"{day} is listed in dates but has no planned case in the horizon")
            continue
        for key, expected in (("planned", count.planned), ("kept", count.kept)):
            if not is_count(entry.get(key)) or entry.get(key) != expected:
                bad(f"{day}: {key} is {entry.get(key)!r}, expected {expected}")
        if not _ratio_ok(entry.get("ratio"), count.kept, count.planned):
            bad(f"{day}: ratio is {entry.get('ratio')!r}, expected {count.kept}/{count.planned}")
        met = Fraction(count.kept, count.planned) >= target
        if entry.get("target_met") is not met:
            bad(f"{day}: target_met is {entry.get('target_met')!r}, expected {met}")
    for day in sorted(set(counts) - listed):
        bad(f"{day} has planned cases but is missing from dates")

    totals = summary.get("totals")
    if not isinstance(totals, Mapping):
        bad("totals is missing or not an object")
    else:
        planned = sum(c.planned for c in counts.values())
        kept = sum(c.kept for c in counts.values())
        statuses = Counter(plan.table.statuses)
        expected_counts = {
            "planned": planned,
            "kept": kept,
            "postponed": statuses["postponed"],
            "transferred": statuses["transferred"],
            "unscheduled": statuses["unscheduled"],
        }
        for key, expected in expected_counts.items():
            if not is_count(totals.get(key)) or totals.get(key) != expected:
                bad(f"totals.{key} is {totals.get(key)!r}, expected {expected}")
        if "ratio" not in totals:
            bad("totals.ratio is missing")
        elif planned == 0:
            if totals["ratio"] is not None:
                bad(f"totals.ratio is {totals['ratio']!r}, expected null (nothing planned)")
        elif not _ratio_ok(totals["ratio"], kept, planned):
            bad(f"totals.ratio is {totals['ratio']!r}, expected {kept}/{planned}")
        if "deadline_misses" not in totals:
            bad("totals.deadline_misses is missing")  # its value is judged by rule 8

    solver = summary.get("solver")
    if not isinstance(solver, Mapping):
        bad("solver is missing or not an object")
    else:
        for key in ("status", "objective", "best_bound", "wall_time_s"):
            if key not in solver:
                bad(f"solver.{key} is missing")
    return out
