"""Rule 4: specialty, fixed equipment, pooled equipment, anaesthetists and beds.

Anaesthetists (contract, "One anaesthetist for several rooms"): at every moment
the cases in their induction are at most the ``anaesthetist`` capacity ``A``, and
the running cases needing anaesthesia at most ``anaesthetist_rooms x A``. Beds
(contract, "Beds over the length of stay"): a case operated on date ``o`` holds
an ICU bed on ``o .. o+icu_days-1`` when it needs ICU, then a ward bed for
``ward_days`` dates; every date with a capacity row is checked, past the
horizon too.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict

from .contract import ANAESTHETIST, ICU_BED, WARD_BED, Violation
from .plan import Placed, Plan, id_list


def _peak(placed: list[Placed], induction: bool = False) -> tuple[int, list[Placed]]:
    """The largest number of cases holding a resource at one moment, and those cases; each
    holds it for its whole duration, or (``induction``) for its ``induction_min``.

    With half-open intervals the load only rises at a start, so the starts are
    the only moments to look at.
    """

    def end(p: Placed) -> int:
        return p.start + p.case.induction_min if induction else p.end

    # the load at a moment m: the cases started by m, less those ended by m (an end is never
    # before its start), counted by bisection rather than by a pass over the cases
    starts = sorted(p.start for p in placed)
    ends = sorted(end(p) for p in placed)
    most, peak = 0, None
    for moment in sorted(set(starts)):
        load = bisect_right(starts, moment) - bisect_right(ends, moment)
        if load > most:
            most, peak = load, moment
    if peak is None:
        return 0, []
    return most, [p for p in placed if p.start <= peak < end(p)]


def _stay(p: Placed) -> list[tuple[str, dt.date]]:
    """The beds case ``p`` holds, by date: ICU from its surgery date on, then the ward."""
    icu = p.case.icu_days if p.case.needs_icu else 0
    out = [(ICU_BED, p.date + dt.timedelta(days=k)) for k in range(icu)]
    out += [(WARD_BED, p.date + dt.timedelta(days=icu + k)) for k in range(p.case.ward_days)]
    return out


def room_fits_and_resources(plan: Plan) -> list[Violation]:
    """Rule 4: specialty, fixed equipment, pools, anaesthetists and ICU beds."""
    out: list[Violation] = []
    facts = plan.facts
    users: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
    beds: dict[tuple[str, dt.date], list[Placed]] = defaultdict(list)
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
        for key in _stay(p):
            beds[key].append(p)
    rooms_each = facts.scenario.policy.anaesthetist_rooms
    for (name, day), group in sorted(users.items()):
        cap = facts.capacity.get((name, day))
        if cap is None:
            continue  # no row for that date: unlimited
        if name == ANAESTHETIST:
            out += _inductions(group, day, cap)
            cap *= rooms_each
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
    for (bed, day), group in sorted(beds.items()):
        cap = facts.capacity.get((bed, day))
        if cap is not None and len(group) > cap:
            out.append(
                Violation(
                    "4",
                    max(p.case_id for p in group),
                    f"{len(group)} cases hold a {bed} on {day} "
                    f"({id_list(p.case_id for p in group)}), above its capacity {cap}",
                )
            )
    return out


def _inductions(group: list[Placed], day: dt.date, cap: int) -> list[Violation]:
    """An anaesthetist inducts one case at a time: inductions at once at most ``cap``."""
    load, running = _peak([p for p in group if p.case.induction_min], induction=True)
    if load <= cap:
        return []
    last = max(running, key=lambda p: (p.start, p.case_id))
    return [
        Violation(
            "4",
            last.case_id,
            f"{load} cases are in their induction at once on {day} "
            f"({id_list(p.case_id for p in running)}), above the {cap} anaesthetist(s)",
        )
    ]
