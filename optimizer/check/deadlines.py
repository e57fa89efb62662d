"""Rule 8: deadline misses, counted and explained."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from optimizer.scenario.schema import Scenario

from .contract import NEEDS_REASON, OPERATED, Violation
from .plan import Plan, id_list, read_plan
from .summary import is_count


def missed_deadlines(plan: Plan) -> list[str]:
    """Cases whose deadline falls in the horizon and that are not operated or sent by then."""
    facts = plan.facts
    missed = []
    for cid, case in facts.cases.items():
        deadline = facts.deadline(case)
        if deadline is None or not facts.in_horizon(deadline):
            continue
        row = plan.rows.get(cid)
        done = (
            row is not None
            and (row.status in OPERATED or row.status == "transferred")
            and row.date is not None
            and row.date <= deadline
        )
        if not done:
            missed.append(cid)
    return missed


def deadline_misses(scenario: Scenario, schedule: pd.DataFrame) -> list[str]:
    """Case ids whose deadline falls inside the horizon and is not met.

    A deadline is the due date, else the planned date (the start date for a
    waiting case) plus the class's maximum delay. It is met when the case is
    operated or transferred on or before it; a missing or unscheduled case
    misses it.
    """
    return missed_deadlines(read_plan(scenario, schedule))


def misses_explained_and_counted(plan: Plan, summary: Mapping[str, Any] | None) -> list[Violation]:
    """Rule 8: a miss is allowed, but it is counted and has a reason."""
    out: list[Violation] = []
    missed = missed_deadlines(plan)
    for cid in missed:
        row = plan.rows.get(cid)
        # Rows whose status needs a reason anyway are reported by the status rule.
        if row is not None and row.status not in NEEDS_REASON and not row.reason:
            out.append(Violation("8", cid, f"case {cid} misses its deadline without a reason"))
    if summary is not None:
        totals = summary.get("totals")
        if isinstance(totals, Mapping) and "deadline_misses" in totals:
            said = totals["deadline_misses"]
            if not is_count(said) or said != len(missed):
                out.append(
                    Violation(
                        "8",
                        None,
                        f"the summary counts {said!r} deadline misses, the schedule has "
                        f"{len(missed)} ({id_list(missed)})",
                    )
                )
    return out
