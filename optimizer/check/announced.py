"""Announced appointments (the contract's additions): the notice period, and their figures.

A case with an announced appointment (``announced_date``, and its room and
start where given) that the schedule moves to another date must not land on
a date less than ``notice_days`` after ``start_date``, unless its deadline
(due date, or planned date + class delay) falls inside the notice period and
the new date is not after it. Changes are counted from the contract's words
only: another date (or a transfer, or no date) is a date change, the same
date in another announced room or at another announced start is a room or
time change. An announced transfer (the partner's id as ``announced_room``)
is kept by a transfer to that partner on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from optimizer.scenario.schema import Case

from .contract import OPERATED, Violation
from .plan import Plan
from .table import Row

DATE_CHANGE_WEIGHT = 2  # as the README's "What best means" states it
ROOM_OR_TIME_CHANGE_WEIGHT = 1


def change_of(case: Case, row: Row | None) -> str | None:
    """``"date"``, ``"room or time"`` or ``None`` (kept as announced, or nothing announced)."""
    if case.announced_date is None:
        return None
    if row is not None and row.status == "transferred" and row.partner_id is not None:
        # an announced transfer (a re-plan's: the partner's id as the room) kept as it was
        kept = row.partner_id == case.announced_room and row.date == case.announced_date
        return None if kept else "date"
    if row is None or row.status not in OPERATED or row.date != case.announced_date:
        return "date"
    if case.announced_room is not None and row.room_id != case.announced_room:
        return "room or time"
    if case.announced_start is not None and row.start != case.announced_start:
        return "room or time"
    return None


def notice_period_kept(plan: Plan) -> list[Violation]:
    """No announced appointment moves into the notice period unless its deadline requires it."""
    policy = plan.facts.scenario.policy
    out: list[Violation] = []
    for cid, case, row in _before_notice(plan, policy.notice_days):
        if case.announced_date is None or row.status == "unscheduled":
            continue
        if row.date == case.announced_date or row.date == case.fixed_date:
            continue  # kept as announced, or the planner moved it there (an override)
        out.append(
            Violation(
                "notice",
                cid,
                f"case {cid}'s appointment announced on {case.announced_date} moves to "
                f"{row.date}, inside the notice period ({policy.notice_days} days from "
                f"{policy.start_date}), and its deadline does not require it",
            )
        )
    return out


def waiting_notice_kept(plan: Plan) -> list[Violation]:
    """A waiting case without an announced appointment is not operated before ``start_date +
    waiting_notice_days``, unless its deadline falls earlier (and it is operated by then) or
    the planner fixed it on that date (``fixed_date``)."""
    policy = plan.facts.scenario.policy
    out: list[Violation] = []
    for cid, case, row in _before_notice(plan, policy.waiting_notice_days):
        if case.planned_date is not None or case.announced_date is not None:
            continue
        if row.status not in OPERATED or row.date == case.fixed_date:
            continue  # the planner fixed it there (an override, as for an announced one)
        out.append(
            Violation(
                "notice",
                cid,
                f"waiting case {cid} is operated on {row.date}, before its patient can be "
                f"called in ({policy.waiting_notice_days} days from {policy.start_date}), and "
                "its deadline does not require it",
            )
        )
    return out


def _before_notice(plan: Plan, days: int) -> Iterator[tuple[str, Case, Row]]:
    """The rows dated less than ``days`` after ``start_date`` (none when ``days`` is 0)
    whose deadline does not require it: a deadline inside that period may be met there."""
    if not days:
        return
    first_free = plan.facts.scenario.policy.start_date + dt.timedelta(days=days)
    for cid, row in plan.rows.items():
        if row.date is None or row.date >= first_free:
            continue
        case = plan.facts.cases[cid]
        deadline = plan.facts.deadline(case)
        if deadline is None or deadline >= first_free or row.date > deadline:
            yield cid, case, row


def announced_counts(plan: Plan) -> dict[str, int]:
    """Announced appointments kept and changed, date changes, and the weighted changes."""
    kept = changed = dates = 0
    for cid, case in plan.facts.cases.items():
        if case.announced_date is None:
            continue
        change = change_of(case, plan.rows.get(cid))
        kept += change is None
        changed += change is not None
        dates += change == "date"
    weighted = DATE_CHANGE_WEIGHT * dates + ROOM_OR_TIME_CHANGE_WEIGHT * (changed - dates)
    return {"announced": kept + changed, "kept": kept, "changed": changed, "date_changed": dates,
            "weighted": weighted}  # fmt: skip


def announced_summary_agrees(plan: Plan, summary: Mapping[str, Any]) -> list[Violation]:
    """The summary's ``announced`` figures, when present, match the schedule."""
    said = summary.get("announced")
    if said is None:
        return []
    if not isinstance(said, Mapping):
        return [Violation("summary", None, "announced is not an object")]
    counts = announced_counts(plan)
    return [
        Violation("summary", None, f"announced.{key} is {said.get(key)!r}, the schedule has {n}")
        for key, n in counts.items()
        if key != "weighted" and said.get(key) != n
    ]
