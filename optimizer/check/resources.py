"""Rule 4: specialty, fixed equipment, pooled equipment, anaesthetists and ICU beds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .contract import ANAESTHETIST, ICU_BED, Violation
from .plan import Placed, Plan, id_list


def _peak(placed: list[Placed]) -> tuple[int, list[Placed]]:
    """The largest number of cases running at one moment, and those cases.

    With half-open intervals the load only rises at a start, so the starts are
    the only moments to look at.
    """
    best: list[Placed] = []
    for moment in sorted({p.start for p in placed}):
        running = [p for p in placed if p.start <= moment < p.end]
        if len(running) > len(best):
            best = running
    return len(best), best


def room_fits_and_resources(plan: Plan) -> list[Violation]:
    """Rule 4: specialty, fixed equipment, pools, anaesthetists and ICU beds."""
    out: list[Violation] = []
    facts = plan.facts
    users: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
    icu: dict[dt.date, list[Placed]] = defaultdict(list)
    for p in plan.operated:
        cid, case = p.case_id, p.case
        room = facts.rooms.get(p.room_id)
        if room is not None:
            if room.specialties and case.specialty not in room.specialties:
                out.append(
                    Violation(
                        "4", cid, f"room {p.room_id} does not host the specialty of case {cid}"
                    )
                )
            lacking = [e for e in case.equipment if e in facts.fixed_equipment]
            lacking = [e for e in lacking if e not in room.equipment]
            if lacking:
                out.append(
                    Violation(
                        "4",
                        cid,
                        f"room {p.room_id} lacks {', '.join(lacking)}, needed by case {cid}",
                    )
                )
        session = facts.sessions.get((p.date, p.room_id))
        if session is not None and session.specialty and session.specialty != case.specialty:
            out.append(
                Violation(
                    "4",
                    cid,
                    f"the session of room {p.room_id} on {p.date} is reserved to another "
                    f"specialty than case {cid}'s",
                )
            )
        for name in case.equipment:
            if name not in facts.fixed_equipment:
                users[name, p.date].append(p)
        if case.anaesthesia != "local":
            users[ANAESTHETIST, p.date].append(p)
        if case.needs_icu:
            icu[p.date].append(p)
    for (name, day), group in sorted(users.items()):
        cap = facts.capacity.get((name, day))
        if cap is None:
            continue  # no row for that date: unlimited
        load, running = _peak(group)
        if load > cap:
            last = max(running, key=lambda p: (p.start, p.case_id))
            out.append(
                Violation(
                    "4",
                    last.case_id,
                    f"{load} cases need {name} at once on {day} "
                    f"({id_list(p.case_id for p in running)}), above its capacity {cap}",
                )
            )
    for day, group in sorted(icu.items()):
        cap = facts.capacity.get((ICU_BED, day))
        if cap is not None and len(group) > cap:
            out.append(
                Violation(
                    "4",
                    max(p.case_id for p in group),
                    f"{len(group)} cases need an ICU bed on {day} "
                    f"({id_list(p.case_id for p in group)}), above its capacity {cap}",
                )
            )
    return out
