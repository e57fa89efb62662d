"""Every CP-SAT variable of the model, grouped with accessors, and the hint.

Per case and candidate date ``d``: a presence literal ``day[i, d]`` and one
start variable ``start[i, d]`` shared by every room of that date, so surgeon,
anaesthetist and pool constraints need one interval per (case, date), not per
room. Per candidate room: a literal ``room[i, d, r]``. Per transfer option: a
literal. Per case: ``unscheduled[i]``.

The auxiliaries are created here too, by the factories the rule builders and
the objective call (``new_cut``, ``new_shortfall``, ``new_stay``,
``new_shift``, ``new_as_announced``): no other module creates a variable. This module also owns what
must know every family: :meth:`Variables.hint` (a value for each variable, so
a hint is a complete first solution, not one CP-SAT must search for) and
:meth:`Variables.by_case` / :meth:`Variables.by_day` (which variables belong
to a case, or to a date, for the window search). Adding a family means adding
it here, to the field list, the hint and one of the two groupings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates, TransferOption
from ..facts.levers import capacity_use
from ..facts.solution import Placement, Solution


@dataclass(frozen=True)
class Cut:
    """A sequencing cut of one room-date: ``before`` cases end by it, ``after`` start after."""

    var: cp_model.IntVar
    day: int
    room: int
    before: list[int]
    after: list[int]


@dataclass(frozen=True)
class Shortfall:
    """Cases short of ``need`` kept among ``cases``, all planned on ``day``."""

    var: cp_model.IntVar
    day: int
    need: int
    cases: list[int]


@dataclass
class Variables:
    model: cp_model.CpModel
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
    # auxiliaries
    cuts: list[Cut] = field(default_factory=list)
    shortfall: list[Shortfall] = field(default_factory=list)
    stay: dict[int, cp_model.IntVar] = field(default_factory=dict)  # planned case left in place
    shift: dict[int, cp_model.IntVar] = field(default_factory=dict)  # minutes from planned start
    # the levers (model/capacity.py), each belonging to a date
    extra: dict[int, cp_model.IntVar] = field(default_factory=dict)  # extra session n taken
    overtime: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # (day, room)
    reserve_use: dict[int, cp_model.IntVar] = field(default_factory=dict)  # reserve group g
    added: dict[int, cp_model.IntVar] = field(default_factory=dict)  # units of Levers.resources
    lever_day: dict[int, int] = field(default_factory=dict)  # variable index -> its date
    # announced case operated in its announced room and at its announced start, that day
    as_announced: dict[int, cp_model.IntVar] = field(default_factory=dict)

    # -- the auxiliaries' factories -------------------------------------------------

    def new_cut(
        self, day: int, room: int, lo: int, hi: int, before: list[int], after: list[int]
    ) -> cp_model.IntVar:
        """The cut time between ``before`` and ``after`` cases in a room-date (rule 6)."""
        var = self.model.new_int_var(lo, hi, f"cut_{day}_{room}")
        self.cuts.append(Cut(var, day, room, before, after))
        return var

    def new_shortfall(self, day: int, need: int, cases: list[int]) -> cp_model.IntVar:
        """Cases short of ``need`` kept on ``day`` (objective level 2)."""
        var = self.model.new_int_var(0, need, f"short_{day}")
        self.shortfall.append(Shortfall(var, day, need, cases))
        return var

    def new_stay(self, i: int) -> cp_model.IntVar:
        """True when planned case ``i`` goes ahead in its planned room and start."""
        var = self.model.new_bool_var(f"stay_{i}")
        self.stay[i] = var
        return var

    def new_shift(self, i: int) -> cp_model.IntVar:
        """Minutes case ``i`` starts away from its planned start (0 to a day)."""
        var = self.model.new_int_var(0, 1440, f"shift_{i}")
        self.shift[i] = var
        return var

    def new_extra(self, n: int, day: int) -> cp_model.IntVar:
        """True when extra session ``n`` (of ``Levers.extras``) is taken (whatif)."""
        var = self.model.new_bool_var(f"extra_{n}")
        self.extra[n] = var
        self.lever_day[var.index] = day
        return var

    def new_overtime(self, day: int, room: int, most: int) -> cp_model.IntVar:
        """Minutes the room-date runs past the end of its hours in use (0 to ``most``)."""
        var = self.model.new_int_var(0, most, f"overtime_{day}_{room}")
        self.overtime[day, room] = var
        self.lever_day[var.index] = day
        return var

    def new_reserve_use(self, g: int, day: int) -> cp_model.IntVar:
        """True when any elective case is in the sessions of reserve group ``g``."""
        var = self.model.new_bool_var(f"reserve_use_{g}")
        self.reserve_use[g] = var
        self.lever_day[var.index] = day
        return var

    def new_added(self, n: int, day: int, most: int) -> cp_model.IntVar:
        """Units of extra resource ``n`` (of ``Levers.resources``) added (0 to ``most``)."""
        var = self.model.new_int_var(0, most, f"added_{n}")
        self.added[n] = var
        self.lever_day[var.index] = day
        return var

    def new_as_announced(self, i: int) -> cp_model.IntVar:
        """True when case ``i`` holds its announced room and start on its announced date."""
        var = self.model.new_bool_var(f"as_announced_{i}")
        self.as_announced[i] = var
        return var

    # -- groupings ------------------------------------------------------------------

    def by_case(self) -> dict[int, list[int]]:
        """Indices of the variables that belong to each case."""
        out: dict[int, list[int]] = {}
        for (i, _d), var in self.day.items():
            out.setdefault(i, []).append(var.index)
        for (i, _d), var in self.start.items():
            out.setdefault(i, []).append(var.index)
        for (i, _d, _r), var in self.room.items():
            out.setdefault(i, []).append(var.index)
        for i, options in self.transfers.items():
            out.setdefault(i, []).extend(lit.index for _t, lit in options)
        for i, var in self.unscheduled.items():
            out.setdefault(i, []).append(var.index)
        for aux in (self.stay, self.shift, self.as_announced):
            for i, var in aux.items():
                out.setdefault(i, []).append(var.index)
        return out

    def by_day(self) -> dict[int, list[int]]:
        """Indices of the variables that belong to a date rather than to a case."""
        out: dict[int, list[int]] = {}
        for cut in self.cuts:
            out.setdefault(cut.day, []).append(cut.var.index)
        for short in self.shortfall:
            out.setdefault(short.day, []).append(short.var.index)
        for index, day in self.lever_day.items():
            out.setdefault(day, []).append(index)
        return out

    # -- the hint -------------------------------------------------------------------

    def hint(self, cand: Candidates, solution: Solution) -> list[tuple[cp_model.IntVar, int]]:
        """A value for every variable, so that the hint is a complete first solution."""
        out: list[tuple[cp_model.IntVar, int]] = []
        for i, days in self.days_of.items():
            p = solution[i]
            for d in days:
                on = p is not None and p.here and p.day == d
                out.append((self.day[i, d], on))
                start = self.start[i, d]
                if on:
                    assert p is not None and p.start is not None
                    out.append((start, p.start))
                else:  # any value of its domain: the start of an absent case is free
                    out.append((start, start.proto.domain[0]))
                rooms = self.rooms_of[i, d]
                if len(rooms) > 1:  # else the room literal is the day literal
                    for r in rooms:
                        out.append((self.room[i, d, r], on and p is not None and p.room == r))
        for i, options in self.transfers.items():
            p = solution[i]
            for t, lit in options:
                out.append((lit, p is not None and p.partner == t.partner))
        for i, u in self.unscheduled.items():
            out.append((u, solution[i] is None))

        def at(i: int, d: int, r: int | None = None) -> Placement | None:
            p = solution[i]
            if p is None or not p.here or p.day != d or (r is not None and p.room != r):
                return None
            return p

        for cut in self.cuts:
            ends = [
                p.start + cand.cases[i].duration_min
                for i in cut.before
                if (p := at(i, cut.day, cut.room)) is not None and p.start is not None
            ]
            out.append((cut.var, max(ends, default=cand.session_span[cut.day, cut.room][0])))
        for short in self.shortfall:
            kept = sum(at(i, short.day) is not None for i in short.cases)
            out.append((short.var, max(0, short.need - kept)))
        for i, stay in self.stay.items():
            c = cand.cases[i]
            pd = cand.planned_day[i]
            assert pd is not None
            p = at(i, pd)
            same = (
                p is not None
                and (c.planned_room is None or p.room == cand.planned_room[i])
                and (c.planned_start is None or p.start == c.planned_start)
            )
            out.append((stay, same))
            if i in self.shift:
                assert c.planned_start is not None
                shift = (
                    abs(p.start - c.planned_start) if p is not None and p.start is not None else 0
                )
                out.append((self.shift[i], shift))
        lev = cand.levers
        if lev is not None and self.lever_day:
            use = capacity_use(lev, cand.cases, solution)
            for n, var in self.extra.items():
                out.append((var, n in use.extras))
            for key, var in self.overtime.items():
                out.append((var, use.overtime.get(key, 0)))
            for g, var in self.reserve_use.items():
                out.append((var, use.elective_min[g] > 0))
            for n, var in self.added.items():
                out.append((var, min(use.resources.get(n, 0), lev.resources[n].most)))
        for i, var in self.as_announced.items():
            slot = cand.announced[i]
            assert slot is not None and slot.day is not None
            p = at(i, slot.day)
            same = (
                p is not None
                and (not slot.has_room or p.room == slot.room)
                and (slot.start is None or p.start == slot.start)
            )
            out.append((var, same))
        return out


def add_variables(model: cp_model.CpModel, cand: Candidates) -> Variables:
    """Create every decision variable, and link them: each case goes exactly one way."""
    v = Variables(model)
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
        if not options and not cand.transfer_options[i] and cand.out_of_run[i]:
            # no way to place it and no level counts it (a window's case left out, a case
            # planned after the horizon): no variable (a university's window would hold
            # 5,000 of them, a third of building it)
            if cand.pinned[i]:
                model.add_bool_or([])  # a held case with no option: infeasible, as before
            continue
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
