"""Rule 5 (release and planned dates, pinned cases), the planner's overrides (a case with
``fixed_date`` is operated that date, in ``fixed_room`` and at ``fixed_start`` when given),
the patients' availability, the day begun (nothing starts before ``now`` on the first date
but a case held there) and the horizon."""

from __future__ import annotations

from .contract import OPERATED, Violation
from .plan import Plan, hm


def release_and_pins(plan: Plan) -> list[Violation]:
    """Rule 5: not before the planned or release date; a pinned case stays as planned."""
    out: list[Violation] = []
    for cid, row in plan.rows.items():
        case = plan.facts.cases[cid]
        if (row.status in OPERATED or row.status == "transferred") and row.date is not None:
            if case.planned_date is not None and row.date < case.planned_date:
                out.append(Violation("5", cid, f"case {cid} is dated before its planned date"))
            if case.release_date is not None and row.date < case.release_date:
                out.append(Violation("5", cid, f"case {cid} is dated before its release date"))
        if case.pinned and plan.facts.in_horizon(case.planned_date):
            as_planned = (
                row.status == "kept"
                and row.date == case.planned_date
                and row.room_id == case.planned_room
                and row.start == case.planned_start
            )
            if not as_planned:
                out.append(
                    Violation(
                        "5",
                        cid,
                        f"pinned case {cid} is not kept at its planned date, room and start",
                    )
                )
        if case.fixed_date is not None:
            there = (
                row.status in OPERATED
                and row.date == case.fixed_date
                and case.fixed_room in (None, row.room_id)
                and case.fixed_start in (None, row.start)
            )
            if not there:
                start = None if case.fixed_start is None else hm(case.fixed_start)
                where = ", ".join(
                    str(x) for x in (case.fixed_date, case.fixed_room, start) if x is not None
                )
                out.append(
                    Violation(
                        "fixed",
                        cid,
                        f"case {cid} is not operated where the planner fixed it ({where})",
                    )
                )
    return out


def patients_available(plan: Plan) -> list[Violation]:
    """No case operated or transferred on a date its patient cannot come (unavailable.csv)."""
    out: list[Violation] = []
    for u in plan.facts.scenario.unavailable:
        row = plan.rows.get(u.case_id)
        if row is None or row.date is None or row.status == "unscheduled":
            continue
        if u.from_date <= row.date <= u.to_date:
            out.append(
                Violation(
                    "availability",
                    u.case_id,
                    f"case {u.case_id} is {row.status} on {row.date}, a date its patient "
                    f"cannot come ({u.from_date} to {u.to_date})",
                )
            )
    return out


def within_horizon(plan: Plan) -> list[Violation]:
    """Nothing operated or sent outside the horizon; a case planned after it is unscheduled."""
    out: list[Violation] = []
    facts = plan.facts
    for cid, row in plan.rows.items():
        case = facts.cases[cid]
        if row.status != "unscheduled" and row.date is not None and not facts.in_horizon(row.date):
            out.append(
                Violation("horizon", cid, f"case {cid} is dated {row.date}, outside the horizon")
            )
        if (
            case.planned_date is not None
            and case.planned_date > facts.end_date
            and row.status != "unscheduled"
        ):
            out.append(
                Violation(
                    "horizon",
                    cid,
                    f"case {cid} is planned after the horizon but is {row.status}, not unscheduled",
                )
            )
    return out


def not_before_now(plan: Plan) -> list[Violation]:
    """The day begun (``now`` in policy.toml): no case starts on ``start_date`` before it
    but one held there at that start (pinned at its planned start, or fixed by the planner
    at ``fixed_start``: a case under way)."""
    policy = plan.facts.scenario.policy
    if policy.now is None:
        return []
    out: list[Violation] = []
    for cid, row in plan.rows.items():
        if row.status not in OPERATED or row.date != policy.start_date or row.start is None:
            continue
        if row.start >= policy.now:
            continue
        case = plan.facts.cases[cid]
        pinned = case.pinned and (case.planned_date, case.planned_start) == (row.date, row.start)
        fixed = (case.fixed_date, case.fixed_start) == (row.date, row.start)
        if not (pinned or fixed):
            out.append(
                Violation(
                    "now",
                    cid,
                    f"case {cid} starts at {hm(row.start)} on {row.date}, before the plan was "
                    f"made ({hm(policy.now)}), and is not held there",
                )
            )
    return out
