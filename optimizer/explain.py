"""Why a case is not kept as planned, in words a planner can act on.

The reason names the first cause found on the planned date (room closed,
surgeon away, patient not ready, a resource full, the sessions full with more
urgent cases), then what was done about it. It holds case, room, surgeon and
resource ids only: no other patient data.
"""

from __future__ import annotations

from .clock import format_day_month as ddmm
from .clock import format_time
from .construct import Occupancy
from .model.candidates import Candidates
from .rules import fixed_needed
from .scenario.schema import ANAESTHETIST, ICU_BED
from .solution import Placement, Solution


def _occupancy(cand: Candidates, solution: Solution) -> Occupancy:
    occ = Occupancy(cand)
    for i, p in enumerate(solution):
        if p is not None:
            occ.take(i, p)
    return occ


def _needs(cand: Candidates, i: int) -> str:
    c = cand.cases[i]
    fixed = fixed_needed(c.equipment, cand.scenario.pool_names)
    return c.specialty + (f" with {', '.join(fixed)}" if fixed else "")


def _cause(cand: Candidates, occ: Occupancy, i: int) -> str:
    """The first reason case i could not go ahead on its planned date."""
    c = cand.cases[i]
    assert c.planned_date is not None
    pd = c.planned_date
    policy = cand.scenario.policy
    if pd < policy.start_date:
        return f"planned on {ddmm(pd)}, before this run's first date (backlog)"
    if c.release_date is not None and c.release_date > pd:
        return f"patient not ready before {ddmm(c.release_date)}"
    d = cand.day_of[pd]
    windows = cand.scenario.windows_by_surgeon.get(c.surgeon_id)
    if windows is not None and not windows.get(pd):
        return f"surgeon {c.surgeon_id} not available on {ddmm(pd)}"
    date = cand.dates[d]
    if c.needs_icu and cand.capacity(ICU_BED, d) == 0:
        return f"no ICU bed on {ddmm(date)}"
    if c.needs_anaesthetist and cand.capacity(ANAESTHETIST, d) == 0:
        return f"no anaesthetist on {ddmm(date)}"
    for res in c.equipment:
        if res in cand.scenario.pool_names and cand.capacity(res, d) == 0:
            return f"no {res} available on {ddmm(date)}"
    options = [o for o in cand.room_options[i] if o.day == d]
    closed = ""
    if c.planned_room is not None and (d, cand.room_index[c.planned_room]) not in cand.session_span:
        closed = f"room {c.planned_room} closed on {ddmm(pd)}"
        if not options:
            return f"{closed}; no other open session for {_needs(cand, i)} that day"
    if not options:
        return f"no open session for {_needs(cand, i)} on {ddmm(pd)}"
    if c.needs_icu:
        cap = cand.capacity(ICU_BED, d)
        if cap is not None and occ.icu_used[d] >= cap:
            return f"ICU full on {ddmm(pd)}" + (f" ({closed})" if closed else "")
    if c.planned_start is not None:
        s, e = c.planned_start, c.planned_start + c.duration_min
        for res in occ.resources_of(i):
            cap = cand.capacity(res, d)
            if cap is None:
                continue
            if max(occ.usage[res, d][s:e]) >= cap:
                what = "anaesthetist" if res == ANAESTHETIST else res
                return f"no {what} free {format_time(s)}-{format_time(e)} on {ddmm(pd)}" + (
                    f" ({closed})" if closed else ""
                )
    if closed:
        return f"{closed}; the other open sessions that day are full with more urgent cases"
    return f"sessions on {ddmm(pd)} full with more urgent or already-planned cases"


def reasons(cand: Candidates, solution: Solution) -> list[str]:
    """One reason per case; empty for cases kept exactly as planned and for scheduled ones."""
    occ = _occupancy(cand, solution)
    policy = cand.scenario.policy
    out: list[str] = []
    for i, c in enumerate(cand.cases):
        p = solution[i]
        if cand.out_of_run[i]:
            assert c.planned_date is not None
            out.append(
                f"planned on {ddmm(c.planned_date)}, after this run's last date "
                f"{ddmm(policy.end_date)}: outside this run"
            )
            continue
        dl = cand.deadline_day[i]
        miss = dl is not None and (p is None or p.day > dl)
        prefix = (
            f"DEADLINE MISSED (due {ddmm(cand.dates[dl])}): " if miss and dl is not None else ""
        )
        kept = (
            p is not None
            and p.here
            and c.planned_date is not None
            and (cand.planned_day[i] == p.day)
        )
        if kept:
            assert p is not None
            out.append(_moved(cand, i, p))
            continue
        if c.planned_date is None:
            out.append(prefix + _waiting(cand, i, p))
            continue
        cause = _cause(cand, occ, i)
        out.append(prefix + cause + "; " + _outcome(cand, i, p))
    return out


def _moved(cand: Candidates, i: int, p: Placement) -> str:
    c = cand.cases[i]
    changes = []
    if c.planned_room is not None and p.room is not None and cand.rooms[p.room] != c.planned_room:
        changes.append(f"room {c.planned_room} -> {cand.rooms[p.room]}")
    if c.planned_start is not None and p.start is not None and p.start != c.planned_start:
        changes.append(f"{format_time(c.planned_start)} -> {format_time(p.start)}")
    return ("kept, moved: " + ", ".join(changes)) if changes else ""


def _first_option_day(cand: Candidates, i: int, after: int) -> int | None:
    return min((o.day for o in cand.room_options[i] if o.day > after), default=None)


def _outcome(cand: Candidates, i: int, p: Placement | None) -> str:
    last = ddmm(cand.dates[-1])
    pd = cand.planned_day[i]
    after = pd if pd is not None else -1
    if p is None:
        if not cand.room_options[i]:
            return f"no compatible open session up to {last}: not scheduled in this run"
        return f"no free slot up to {last} after more urgent cases: not scheduled in this run"
    when = ddmm(cand.dates[p.day])
    if p.partner is not None:
        slot = cand.partner_slots[p.partner]
        dl = cand.deadline_day[i]
        why = ""
        if dl is not None and p.day <= dl:
            why = f" to be operated by its deadline {ddmm(cand.dates[dl])}"
        return f"transferred to {slot.partner_id} on {when}{why}"
    first = _first_option_day(cand, i, after)
    if first is not None and first == p.day and pd is not None and p.day > pd + 1:
        return f"postponed to {when}, the first date with a compatible open session"
    return f"postponed to {when}"


def _waiting(cand: Candidates, i: int, p: Placement | None) -> str:
    if p is None:
        if not cand.room_options[i] and not cand.transfer_options[i]:
            return f"waiting list: no compatible open session up to {ddmm(cand.dates[-1])}"
        return f"waiting list: no free slot up to {ddmm(cand.dates[-1])} after more urgent cases"
    if p.partner is not None:
        slot = cand.partner_slots[p.partner]
        return f"waiting list: transferred to {slot.partner_id} on {ddmm(cand.dates[p.day])}"
    return ""
