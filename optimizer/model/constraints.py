"""The contract's rules as CP-SAT constraints, one small builder per rule family.

Session bounds, specialties, blocks, fixed equipment, surgeon windows, release
dates and pins are already in the candidate options (a case simply has no
option where they fail); the builders here add what links cases together.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..rules import SEQUENCING
from ..scenario.schema import ANAESTHETIST
from .capacity import capacity_expr
from .variables import Variables


def add_room_capacity(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Rule 2: cases in a room on a date do not overlap, turnover included.

    Each interval is ``duration + turnover`` long; as starts are bounded by
    ``session end - duration``, the turnover after the last case may run past
    the session end, as it should.
    """
    turnover = cand.scenario.policy.turnover_min
    per_room: dict[tuple[int, int], list[cp_model.IntervalVar]] = defaultdict(list)
    for (i, d, r), x in v.room.items():
        size = cand.cases[i].duration_min + turnover
        per_room[d, r].append(
            model.new_optional_fixed_size_interval_var(v.start[i, d], size, x, f"in_{i}_{d}_{r}")
        )
    for intervals in per_room.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    # The same rule as an energy bound: redundant, but it gives the LP relaxation
    # (and so the best bound of the delay levels) the room's minutes to count with.
    add_room_minutes(model, cand, v)


def add_room_minutes(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """A room-date holds at most its minutes, one turnover after each case but the last
    (the whole model's energy bound of rule 2, and the master's form of it)."""
    turnover = cand.scenario.policy.turnover_min
    load: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (i, d, r), x in v.room.items():
        load[d, r].append((cand.cases[i].duration_min + turnover, x))
    for (d, r), terms in load.items():
        lo, hi = cand.session_span[d, r]
        if sum(size for size, _ in terms) > hi - lo + turnover:
            lits, sizes = [x for _, x in terms], [size for size, _ in terms]
            model.add(cp_model.LinearExpr.weighted_sum(lits, sizes) <= hi - lo + turnover)


def case_intervals(
    model: cp_model.CpModel, cand: Candidates, v: Variables
) -> dict[tuple[int, int], cp_model.IntervalVar]:
    """One optional interval per (case, date), the time the case occupies people and kit."""
    return {
        (i, d): model.new_optional_fixed_size_interval_var(
            v.start[i, d], cand.cases[i].duration_min, y, f"op_{i}_{d}"
        )
        for (i, d), y in v.day.items()
    }


def add_surgeons(
    model: cp_model.CpModel,
    cand: Candidates,
    intervals: dict[tuple[int, int], cp_model.IntervalVar],
) -> None:
    """Rule 3: a surgeon operates one case at a time (windows are in the options)."""
    per_surgeon: dict[tuple[str, int], list[cp_model.IntervalVar]] = defaultdict(list)
    for (i, d), iv in intervals.items():
        per_surgeon[cand.cases[i].surgeon_id, d].append(iv)
    for ivs in per_surgeon.values():
        if len(ivs) > 1:
            model.add_no_overlap(ivs)


def add_shared_resources(
    model: cp_model.CpModel,
    cand: Candidates,
    v: Variables,
    intervals: dict[tuple[int, int], cp_model.IntervalVar],
) -> None:
    """Rule 4: anaesthetists and mobile pools at every moment, beds per date.

    Anaesthetists are two cumulatives: the cases in their induction at most the
    anaesthetists, the running cases needing anaesthesia at most
    ``anaesthetist_rooms`` times as many. Beds: on each date with a capacity row,
    the cases whose stay covers it (operated that date or earlier) at most the beds.
    """
    pools = cand.scenario.pool_names
    users: dict[tuple[str, int], list[cp_model.IntervalVar]] = defaultdict(list)
    inducting: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
    for (i, d), iv in intervals.items():
        c = cand.cases[i]
        if c.needs_anaesthetist:
            users[ANAESTHETIST, d].append(iv)
            if c.induction_min:
                inducting[d].append(
                    model.new_optional_fixed_size_interval_var(
                        v.start[i, d], c.induction_min, v.day[i, d], f"induction_{i}_{d}"
                    )
                )
        for e in c.equipment:
            if e in pools:
                users[e, d].append(iv)
    rooms = cand.scenario.policy.anaesthetist_rooms
    for (res, d), ivs in users.items():
        per = rooms if res == ANAESTHETIST else 1
        _at_most(model, ivs, _times(per, cand, v, res, d, len(ivs)))
    for d, ivs in inducting.items():
        _at_most(model, ivs, _times(1, cand, v, ANAESTHETIST, d, len(ivs)))
    add_beds(model, cand, v)


def add_beds(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Rule 4, beds: on each date with a bed row, the cases whose stay covers it (operated
    that date or before) at most the beds (exact as a sum of date choices: the master
    model uses it as it is)."""
    beds: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for i, d in v.day:
        for key in cand.stay(i, d):
            beds[key].append(v.day[i, d])
    for (bed, d), lits in beds.items():
        cap = cand.capacity(bed, d)
        if cap is not None and len(lits) > cap:
            given = capacity_expr(cand, v, bed, d)  # with the beds added, whatif
            assert given is not None
            model.add(sum(lits) <= given)


def _times(
    per: int, cand: Candidates, v: Variables, res: str, day: int, users: int
) -> int | cp_model.LinearExprT | None:
    """``per`` times the capacity of ``res`` on ``day`` (with the units added, whatif), or
    ``None`` when ``users`` cases can never exceed it as given (no constraint, no variable)."""
    cap = cand.capacity(res, day)
    if cap is None or users <= per * cap:
        return None
    expr = capacity_expr(cand, v, res, day)
    assert expr is not None
    return per * expr if per != 1 else expr


def _at_most(
    model: cp_model.CpModel, ivs: list[cp_model.IntervalVar], cap: int | cp_model.LinearExprT | None
) -> None:
    """At most ``cap`` of ``ivs`` at any moment (``None``: unlimited)."""
    if cap is None:
        return
    if isinstance(cap, int):
        if len(ivs) <= cap:
            return
        if cap == 1:
            model.add_no_overlap(ivs)
            return
    model.add_cumulative(ivs, [1] * len(ivs), cap)


def add_sequencing(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Rule 6: latex-allergy cases first, then paediatric, infectious cases last.

    In one room the cases never overlap, so "every case of set A before every
    case of set B" holds exactly when some cut time separates them: every A
    case ends by the cut and every B case starts after it. One cut variable
    per rule and room-date keeps this linear in the number of cases.
    """
    by_room: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, d, r in v.room:
        by_room[d, r].append(i)
    for (d, r), cases in by_room.items():
        flagged = [i for i in cases if cand.cases[i].flags]
        if not flagged:
            continue
        lo, hi = cand.session_span[d, r]
        for rule in SEQUENCING:
            a = [i for i in cases if rule.front(cand.cases[i].flags)]
            b = [i for i in cases if not rule.front(cand.cases[i].flags)]
            if not a or not b:
                continue
            cut = v.new_cut(d, r, lo, hi, a, b)
            for i in a:
                dur = cand.cases[i].duration_min
                model.add(v.start[i, d] + dur <= cut).only_enforce_if(v.room[i, d, r])
            for i in b:
                model.add(v.start[i, d] >= cut).only_enforce_if(v.room[i, d, r])


def add_transfers(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Rule 7: a partner takes at most its capacity of cases of that specialty on that date."""
    per_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for options in v.transfers.values():
        for t, lit in options:
            per_slot[t.partner].append(lit)
    for k, lits in per_slot.items():
        cap = cand.partner_slots[k].capacity
        if len(lits) > cap:
            model.add(sum(lits) <= cap)
