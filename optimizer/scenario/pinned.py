"""Pinned cases stay exactly as planned: each must fit there, and all of them together.

A pinned case that cannot be kept would make every schedule break the
contract, so it is bad input, found when the folder is read rather than by
the solver, and named by the case's row. Each check runs only when the files
it needs were read without problems.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Mapping

from .. import rules
from ..clock import format_time
from .layout import CASES, RESOURCES, ROOMS, SESSIONS, SURGEONS
from .readers import Read, Resources
from .reading import Reader
from .schema import ANAESTHETIST, ICU_BED, Case, Policy


def _span(c: Case) -> str:
    assert c.planned_start is not None
    return f"{format_time(c.planned_start)}-{format_time(c.planned_start + c.duration_min)}"


def check_pinned(
    loader: Reader,
    cases: Read,
    rooms: Read,
    sessions: Read,
    windows: Read,
    resources: Resources,
    policy: Policy,
) -> None:
    """Each pinned case of the horizon must fit where it is planned, and all of them together.

    Its date in the horizon and after its release, its room's session (times,
    block), its room (specialty, fixed equipment), its surgeon's windows; then
    :func:`_check_pinned_together` and the capacities of the shared resources.
    """
    f = CASES
    row_of: Mapping[str, int] = cases.rows
    room_by_id = {r.room_id: r for r in rooms.items}
    session_by_key = {(s.date, s.room_id): s for s in sessions.items}
    rooms_ok, sessions_ok = loader.clean(ROOMS, RESOURCES), loader.clean(SESSIONS)
    windows_ok, resources_ok = loader.clean(SURGEONS), loader.clean(RESOURCES)
    merged = rules.windows_by_surgeon(windows.items) if windows_ok else {}
    placed: list[Case] = []
    for c in cases.items:
        if not c.pinned:
            continue
        assert c.planned_date is not None and c.planned_room is not None
        assert c.planned_start is not None
        if c.planned_date > policy.end_date:
            continue  # outside this run: written as unscheduled
        row, cid, d = row_of[c.case_id], c.case_id, c.planned_date
        before = loader.per_file[f]
        start, end = c.planned_start, c.planned_start + c.duration_min
        if d < policy.start_date:
            loader.error(
                f,
                row,
                "planned_date",
                f"case {cid} is pinned on {d}, before the "
                f"horizon starts ({policy.start_date}); unpin it",
            )
            continue
        if c.release_date is not None and c.release_date > d:
            loader.error(
                f,
                row,
                "release_date",
                f"case {cid} is pinned on {d}, before its release date {c.release_date}",
            )
        s = session_by_key.get((d, c.planned_room))
        if sessions_ok and s is None:
            loader.error(
                f,
                row,
                "planned_room",
                f"case {cid} is pinned in room {c.planned_room}, which has no session on {d}",
            )
        elif s is not None and (start < s.start or end > s.end):
            loader.error(
                f,
                row,
                "planned_start",
                f"pinned case {cid} ({_span(c)}) does not fit "
                f"the session of room {c.planned_room} on {d} "
                f"({format_time(s.start)}-{format_time(s.end)})",
            )
        elif s is not None and not rules.session_admits(s.specialty, c.specialty):
            loader.error(
                f,
                row,
                "planned_room",
                f"pinned case {cid} ({c.specialty}) is in room "
                f"{c.planned_room} on {d}, whose session is reserved to "
                f"{s.specialty}",
            )
        room = room_by_id.get(c.planned_room)
        if rooms_ok and room is not None:
            if not rules.room_hosts_specialty(room, c.specialty):
                loader.error(
                    f,
                    row,
                    "planned_room",
                    f"pinned case {cid}: room {c.planned_room} does not host {c.specialty}",
                )
            absent = rules.missing_equipment(room, rules.fixed_needed(c.equipment, resources.pools))
            if absent:
                loader.error(
                    f,
                    row,
                    "equipment",
                    f"pinned case {cid} needs {', '.join(absent)}, "
                    f"which room {c.planned_room} does not have",
                )
        spans = merged.get(c.surgeon_id)
        if spans is not None and not rules.within_windows(spans, d, (start, end)):
            loader.error(
                f,
                row,
                "planned_start",
                f"pinned case {cid} ({_span(c)}) is outside "
                f"the windows of surgeon {c.surgeon_id} on {d} (surgeons.csv)",
            )
        if loader.per_file[f] == before:
            placed.append(c)
    _check_pinned_together(loader, placed, row_of, policy.turnover_min)
    if resources_ok:
        _check_pinned_capacity(loader, placed, row_of, resources)


def _check_pinned_together(
    loader: Reader, placed: list[Case], row_of: Mapping[str, int], turnover: int
) -> None:
    """Pinned cases must not collide in a room or for a surgeon, and keep the sequencing rule."""
    f = CASES
    by_room: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    by_surgeon: dict[tuple[dt.date, str], list[Case]] = defaultdict(list)
    for c in placed:
        assert c.planned_date is not None and c.planned_room is not None
        by_room[c.planned_date, c.planned_room].append(c)
        by_surgeon[c.planned_date, c.surgeon_id].append(c)

    def start(c: Case) -> int:
        assert c.planned_start is not None
        return c.planned_start

    for (d, rid), group in by_room.items():
        group.sort(key=start)
        for a, b in zip(group, group[1:], strict=False):
            if start(b) < start(a) + a.duration_min + turnover:
                loader.error(
                    f,
                    row_of[b.case_id],
                    "planned_start",
                    f"pinned cases {a.case_id} ({_span(a)}, row {row_of[a.case_id]}) "
                    f"and {b.case_id} ({_span(b)}) in room {rid} on {d} are less than "
                    f"the turnover ({turnover} min) apart",
                )
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if problem := _sequencing_problem(a, b):
                    loader.error(
                        f,
                        row_of[b.case_id],
                        "flags",
                        f"{problem} in room {rid} on {d}, but both are pinned "
                        f"(row {row_of[a.case_id]} and this row)",
                    )
    for (d, sid), group in by_surgeon.items():
        group.sort(key=start)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if start(b) >= start(a) + a.duration_min:
                    break
                loader.error(
                    f,
                    row_of[b.case_id],
                    "planned_start",
                    f"pinned cases {a.case_id} ({_span(a)}, row {row_of[a.case_id]}) "
                    f"and {b.case_id} ({_span(b)}) overlap for surgeon {sid} on {d}",
                )


# What the loader says when two pinned cases break rule 6, by the rule they break.
_OUT_OF_ORDER = {
    rules.LATEX_ALLERGY: "latex-allergy case {then} must come before case {first}",
    rules.PAEDIATRIC: "paediatric case {then} must come before case {first}",
    rules.INFECTIOUS: "infectious case {first} must come after case {then}",
}


def _sequencing_problem(first: Case, then: Case) -> str | None:
    """Why ``then`` may not follow ``first`` in a room (contract rule 6), or ``None``."""
    rule = rules.precedence_rule(then.flags, first.flags)
    if rule is None:
        return None
    return _OUT_OF_ORDER[rule.flag].format(first=first.case_id, then=then.case_id)


def _check_pinned_capacity(
    loader: Reader, placed: list[Case], row_of: Mapping[str, int], resources: Resources
) -> None:
    """Pinned cases alone must not need more anaesthetists, pool units or ICU beds than given."""
    f = CASES
    users: dict[tuple[str, dt.date], list[Case]] = defaultdict(list)
    icu: dict[dt.date, list[Case]] = defaultdict(list)
    for c in placed:
        assert c.planned_date is not None
        if c.needs_anaesthetist:
            users[ANAESTHETIST, c.planned_date].append(c)
        for e in c.equipment:
            if e in resources.pools:
                users[e, c.planned_date].append(c)
        if c.needs_icu:
            icu[c.planned_date].append(c)
    for (name, d), group in users.items():
        cap = resources.capacity.get((name, d))
        if cap is None:
            continue
        column = "anaesthesia" if name == ANAESTHETIST else "equipment"
        running: list[int] = []  # end times of the pinned cases running, as a heap
        for c in sorted(group, key=lambda c: c.planned_start or 0):
            assert c.planned_start is not None
            while running and running[0] <= c.planned_start:
                heapq.heappop(running)
            heapq.heappush(running, c.planned_start + c.duration_min)
            if len(running) > cap:
                loader.error(
                    f,
                    row_of[c.case_id],
                    column,
                    f"pinned case {c.case_id} ({_span(c)}) makes {len(running)} pinned "
                    f"cases use {name} at once on {d}; the capacity is {cap} "
                    "(resources.csv)",
                )
    for d, group in icu.items():
        cap = resources.capacity.get((ICU_BED, d))
        if cap is not None and len(group) > cap:
            for c in group[cap:]:
                loader.error(
                    f,
                    row_of[c.case_id],
                    "needs_icu",
                    f"pinned case {c.case_id} needs an ICU bed on {d}, but the "
                    f"{cap} bed(s) of that date (resources.csv) are taken by other "
                    "pinned cases",
                )
