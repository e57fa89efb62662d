"""The CP-SAT decision variables, grouped with accessors.

Per case and candidate date ``d``: a presence literal ``day[i, d]`` and one
start variable ``start[i, d]`` shared by every room of that date, so surgeon,
anaesthetist and pool constraints need one interval per (case, date), not per
room. Per candidate room: a literal ``room[i, d, r]``. Per transfer option: a
literal. Per case: ``unscheduled[i]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .candidates import Candidates, TransferOption


@dataclass
class Variables:
    day: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    start: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    room: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    transfers: dict[int, list[tuple[TransferOption, cp_model.IntVar]]] = field(
        default_factory=dict
    )  # per case: (option, literal)
    unscheduled: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # per case: the candidate dates and, per date, candidate rooms
    days_of: dict[int, list[int]] = field(default_factory=dict)
    rooms_of: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    # auxiliary variables, registered so that a hint can give them values too
    # (a complete hint is a first solution; an incomplete one must be searched for)
    cuts: list[tuple[cp_model.IntVar, int, int, list[int], list[int]]] = field(
        default_factory=list
    )  # (cut, day, room, cases that end before it, cases that start after it)
    shortfall: list[tuple[cp_model.IntVar, int, list[int]]] = field(
        default_factory=list
    )  # (shortfall, need, cases planned that day)
    stay: dict[int, cp_model.IntVar] = field(default_factory=dict)
    shift: dict[int, cp_model.IntVar] = field(default_factory=dict)


def add_variables(model: cp_model.CpModel, cand: Candidates) -> Variables:
    """Create every decision variable, and link them: each case goes exactly one way."""
    v = Variables()
    for i, options in enumerate(cand.room_options):
        by_day: dict[int, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
        for opt in options:
            by_day.setdefault(opt.day, []).append((opt.room, opt.starts))
        v.days_of[i] = sorted(by_day)
        ways: list[cp_model.IntVar] = []
        for d, room_list in sorted(by_day.items()):
            spans = sorted({s for _, starts in room_list for s in starts})
            domain = cp_model.Domain.from_intervals([list(s) for s in spans])
            y = model.new_bool_var(f"day_{i}_{d}")
            s = model.new_int_var_from_domain(domain, f"start_{i}_{d}")
            v.day[i, d] = y
            v.start[i, d] = s
            v.rooms_of[i, d] = [r for r, _ in room_list]
            ways.append(y)
            if len(room_list) == 1:
                r, starts = room_list[0]
                v.room[i, d, r] = y
                continue
            lits = []
            for r, starts in room_list:
                x = model.new_bool_var(f"room_{i}_{d}_{r}")
                v.room[i, d, r] = x
                lits.append(x)
                if list(starts) != spans:
                    allowed = cp_model.Domain.from_intervals([list(a) for a in starts])
                    model.add_linear_expression_in_domain(s, allowed).only_enforce_if(x)
            model.add(sum(lits) == y)
        v.transfers[i] = []
        for t in cand.transfer_options[i]:
            lit = model.new_bool_var(f"transfer_{i}_{t.partner}")
            v.transfers[i].append((t, lit))
            ways.append(lit)
        u = model.new_bool_var(f"unscheduled_{i}")
        v.unscheduled[i] = u
        ways.append(u)
        model.add_exactly_one(ways)
        if cand.pinned[i]:
            model.add(u == 0)
    return v
