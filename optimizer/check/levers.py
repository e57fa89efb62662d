"""The levers' rules: overtime within its limit, the emergency reserve kept, and what the
summary says of them.

Read from the policy as the README states them, recomputed here:

* **overtime**: a case may end up to ``overtime_max_min`` minutes past its
  session's end (rule 2 allows it); the overtime of a room-date is how far its
  last case ends past the end.
* **reserve**: on every horizon date, for ``reserve_min`` (all sessions) and for
  each ``[reserve]`` specialty (the sessions whose room hosts it and whose block
  is none or it), ``session minutes - elective minutes >= min(reserve, session
  minutes)``, where an elective case is one whose class has a maximum delay
  other than 0 days and takes its duration plus the turnover.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from optimizer.scenario.schema import Room, Session

from .contract import Violation
from .plan import Plan, id_list


def _hosts(room: Room, session: Session, specialty: str | None) -> bool:
    if specialty is None:
        return True
    hosts = not room.specialties or specialty in room.specialties
    return hosts and session.specialty in (None, specialty)


def reserves_to_keep(plan: Plan) -> list[tuple[str | None, int]]:
    """``(None, reserve_min)`` and ``(specialty, minutes)`` of ``[reserve]``, none of 0."""
    policy = plan.facts.scenario.policy
    out: list[tuple[str | None, int]] = [(None, policy.reserve_min)] if policy.reserve_min else []
    return out + [(s, m) for s, m in sorted(policy.reserve.items()) if m]


def reserve_report(plan: Plan) -> list[dict[str, Any]]:
    """Per date and reserve: session minutes, elective minutes, free minutes, kept or not."""
    facts = plan.facts
    policy = facts.scenario.policy
    turnover = policy.turnover_min

    def elective(urgency: str) -> bool:
        cls = policy.urgency.get(urgency)
        return cls is None or cls.max_delay_days != 0

    operated = defaultdict(list)
    for p in plan.operated:
        operated[p.date, p.room_id].append(p)
    out = []
    for specialty, minutes in reserves_to_keep(plan):
        hours: dict[dt.date, int] = defaultdict(int)
        load: dict[dt.date, int] = defaultdict(int)
        cases: dict[dt.date, list[str]] = defaultdict(list)
        for (day, room_id), s in sorted(facts.sessions.items()):
            room = facts.rooms.get(room_id)
            if not facts.in_horizon(day) or room is None or not _hosts(room, s, specialty):
                continue
            hours[day] += s.end - s.start
            for p in operated.get((day, room_id), ()):
                if elective(p.case.urgency):
                    load[day] += p.case.duration_min + turnover
                    cases[day].append(p.case_id)
        for day in sorted(hours):
            free = hours[day] - load[day]
            out.append(
                {
                    "date": day.isoformat(),
                    "specialty": specialty,
                    "reserve_min": minutes,
                    "session_min": hours[day],
                    "elective_min": load[day],
                    "free_min": free,
                    "kept": free >= min(minutes, hours[day]),
                    "_cases": cases[day],
                }
            )
    return out


def reserve_kept(plan: Plan) -> list[Violation]:
    """Every date keeps each reserve free of elective cases."""
    out = []
    for r in reserve_report(plan):
        if not r["kept"]:
            what = "all sessions" if r["specialty"] is None else f"the {r['specialty']} sessions"
            out.append(
                Violation(
                    "reserve",
                    None,
                    f"on {r['date']} elective cases ({id_list(r['_cases'])}) take "
                    f"{r['elective_min']} of the {r['session_min']} min of {what}: "
                    f"{r['free_min']} min free, less than the {r['reserve_min']} min reserve",
                )
            )
    return out


def overtime_used(plan: Plan) -> dict[tuple[dt.date, str], int]:
    """Minutes the last case of each room-date ends past its session's end (> 0 only)."""
    used: dict[tuple[dt.date, str], int] = {}
    for p in plan.operated:
        s = plan.facts.sessions.get((p.date, p.room_id))
        if s is not None and p.end > s.end:
            key = (p.date, p.room_id)
            used[key] = max(used.get(key, 0), p.end - s.end)
    return dict(sorted(used.items()))


def levers_in_summary(plan: Plan, summary: Mapping[str, Any]) -> list[Violation]:
    """``overtime`` and ``reserve`` in summary.json agree with the schedule, when present,
    and are present when the policy sets the lever."""
    policy = plan.facts.scenario.policy
    out: list[Violation] = []

    def bad(message: str) -> None:
        out.append(Violation("summary", None, message))

    overtime = summary.get("overtime")
    if policy.overtime_max_min and not isinstance(overtime, Mapping):
        bad("the policy allows overtime but the summary has no overtime section")
    elif isinstance(overtime, Mapping):
        said = {
            (str(u.get("date")), str(u.get("room_id"))): u.get("minutes")
            for u in overtime.get("used", [])
            if isinstance(u, Mapping)
        }
        real = {(d.isoformat(), r): m for (d, r), m in overtime_used(plan).items()}
        if said != real:
            bad(f"overtime.used says {sorted(said.items())}, the schedule {sorted(real.items())}")
        if overtime.get("total_min") != sum(real.values()):
            bad(f"overtime.total_min is {overtime.get('total_min')}, not {sum(real.values())}")
    reserve = summary.get("reserve")
    if reserves_to_keep(plan) and not isinstance(reserve, list):
        bad("the policy keeps a reserve but the summary has no reserve section")
    elif isinstance(reserve, list):
        real_rows = [
            {k: v for k, v in r.items() if not k.startswith("_")} for r in reserve_report(plan)
        ]
        if list(reserve) != real_rows:
            bad("the reserve section does not match the schedule's elective minutes")
    return out
