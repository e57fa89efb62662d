"""Rule 1 (every case exactly once, with a known status) and what each status implies."""

from __future__ import annotations

from collections import Counter

from .contract import NEEDS_REASON, OPERATED, STATUSES, Violation
from .plan import Plan
from .table import Row


def every_case_once(plan: Plan) -> list[Violation]:
    """Rule 1: every input case exactly once, no unknown id, a known status."""
    out: list[Violation] = []
    seen = Counter(plan.table.ids)
    for cid in plan.facts.cases:
        if seen[cid] == 0:
            out.append(Violation("1", cid, f"case {cid} is missing from the schedule"))
        elif seen[cid] > 1:
            out.append(Violation("1", cid, f"case {cid} appears {seen[cid]} times"))
    for cid in sorted(set(seen) - set(plan.facts.cases)):
        if cid:
            out.append(Violation("1", cid, f"case {cid} is not a case of the scenario"))
        else:
            out.append(Violation("1", None, f"{seen[cid]} row(s) have no case id"))
    for cid, status in zip(plan.table.ids, plan.table.statuses, strict=True):
        if status not in STATUSES:
            out.append(
                Violation(
                    "1",
                    cid or None,
                    f"case {cid} has status {status!r}, not one of {', '.join(sorted(STATUSES))}",
                )
            )
    return out


def status_semantics(plan: Plan) -> list[Violation]:
    """What each status implies for the other columns of its row."""
    out: list[Violation] = []
    for cid, row in plan.rows.items():
        case = plan.facts.cases[cid]
        planned = case.planned_date

        def bad(message: str, cid: str = cid) -> None:
            out.append(Violation("status", cid, f"case {cid} {message}"))

        if row.status in OPERATED:
            empty = [c for c, v in _place(row).items() if v is None and c != "partner_id"]
            if empty:
                bad(f"is {row.status} but has no {', '.join(empty)}")
            if row.partner_id is not None:
                bad(f"is {row.status} here but names a partner")
        if row.status == "kept" and (planned is None or row.date != planned):
            bad("is kept but not on its planned date")
        if row.status == "postponed" and (
            planned is None or row.date is None or row.date <= planned
        ):
            bad("is postponed but not to a date after its planned date")
        if row.status == "scheduled" and planned is not None:
            bad("is scheduled but was planned (kept or postponed expected)")
        if row.status == "transferred" and (row.partner_id is None or row.date is None):
            bad("is transferred without a partner and a date")
        if row.status == "unscheduled":
            given = [c for c, v in _place(row).items() if v is not None]
            if given:
                bad(f"is unscheduled but has {', '.join(given)}")
        if row.status != "unscheduled":
            if planned is None and row.delay_days is not None:
                bad("is a waiting case but has a delay_days")
            if planned is not None and row.date is not None:
                expected = (row.date - planned).days
                if row.delay_days != expected:
                    bad(f"has delay_days {row.delay_days}, expected {expected}")
        if row.status in NEEDS_REASON and not row.reason:
            bad(f"is {row.status} without a reason")
    return out


def _place(row: Row) -> dict[str, object]:
    """The cells that place a row, by column, in the contract's order."""
    return {"date": row.date, "room_id": row.room_id, "start": row.start, "end": row.end,
            "partner_id": row.partner_id}  # fmt: skip
