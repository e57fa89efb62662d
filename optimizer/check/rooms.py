"""Rule 2: rooms, their open sessions, and the turnover between consecutive cases."""

from __future__ import annotations

from .contract import Violation
from .plan import Plan, by_room_and_date, hm


def inside_sessions(plan: Plan) -> list[Violation]:
    """Rule 2: inside the open session of its room, and turnover between consecutive cases."""
    out: list[Violation] = []
    turnover = plan.facts.scenario.policy.turnover_min
    for p in plan.operated:
        cid = p.case_id
        if p.row.end is not None and p.row.end != p.end:
            out.append(
                Violation(
                    "2",
                    cid,
                    f"case {cid} ends at {hm(p.row.end)}, but starts at {hm(p.start)} and "
                    f"lasts {p.case.duration_min} min",
                )
            )
        if p.room_id not in plan.facts.rooms:
            out.append(Violation("2", cid, f"case {cid} is in room {p.room_id}, which is no room"))
            continue
        session = plan.facts.sessions.get((p.date, p.room_id))
        if session is None:
            out.append(
                Violation("2", cid, f"case {cid} is in room {p.room_id}, closed on {p.date}")
            )
        elif p.start < session.start or p.end > session.end:
            out.append(
                Violation(
                    "2",
                    cid,
                    f"case {cid} ({hm(p.start)}-{hm(p.end)}) is outside the session of room "
                    f"{p.room_id} on {p.date} ({hm(session.start)}-{hm(session.end)})",
                )
            )
    for (room_id, day), group in by_room_and_date(plan.operated).items():
        # Sweep by start, against the latest-ending case so far: catches nested cases too.
        group.sort(key=lambda p: (p.start, p.end, p.case_id))
        latest = group[0]
        for p in group[1:]:
            if p.start < latest.end + turnover:
                out.append(
                    Violation(
                        "2",
                        p.case_id,
                        f"cases {latest.case_id} and {p.case_id} in room {room_id} on {day} are "
                        f"less than the {turnover} min turnover apart",
                    )
                )
            if p.end > latest.end:
                latest = p
    return out
