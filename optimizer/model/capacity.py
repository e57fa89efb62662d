"""The levers in CP-SAT: optional extra sessions, overtime, the emergency reserve, their cost.

Built on the facts of :mod:`optimizer.facts.levers`; the candidates already let
a case start anywhere in a room-date's widest hours (extra hours and overtime
included), and the builders here say when it may:

* **extra session** ``n``: one literal ``extra[n]``. A case in an added session's
  room needs it (``room[i, d, r] -> extra[n]``); a case in a lengthenable
  session keeps to the regular hours unless it is taken
  (``start >= regular start`` and ``end <= regular end (+ overtime)``, both
  enforced by ``room[i, d, r] and not extra[n]``).
* **overtime** of a room-date: an integer ``overtime[d, r]`` in
  ``[0, overtime_max_min]``, at least how far each of its cases ends past the
  end of the hours in use.
* **reserve** of a date (and specialty): the elective cases' minutes (turnover
  included) in its rooms are at most ``max(0, session minutes - reserve)``, the
  session minutes counting the extra sessions taken. Where the regular
  minutes alone may fall below the reserve, a literal ``reserve_use[g]`` says
  whether any elective case is there at all.

* **more beds or anaesthetists** (``extra_resources.csv``): an integer
  ``added[n]`` in ``[0, extra]`` raises that resource's capacity on that date
  wherever a rule reads it (:func:`capacity_expr`: beds over the stays, the
  anaesthetists' two cumulatives, the master's energy sums).

The added cost, ``sum(cost * extra) + sum(cost * added) + cost per minute *
sum(overtime)``, is one
objective level: after the shortfall level for ``whatif`` and ``solve`` (so
extra capacity is paid for only to avoid deadline misses and to reach the
target), after the kept level for the curve (the most kept with at most ``k``
sessions). Its value on a plain schedule is :func:`capacity_use`'s cost, the
model's own optimum for those placements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..facts.levels import SCALE, LevelKind
from ..facts.levers import Levers, capacity_use
from .objective import Level
from .variables import Variables

COST_LEVEL_WHATIF = "added cost (extra sessions, overtime)"
COST_LEVEL_RESOURCES = "added cost (extra sessions, beds, anaesthetists, overtime)"
COST_LEVEL_OVERTIME = "overtime cost"


@dataclass(frozen=True)
class LeverOptions:
    """How a solve uses the levers beyond the policy's own (overtime, reserve).

    ``extras``: the scenario's extra sessions are options (``whatif``);
    ``most_extras``: at most that many of them (a point of the curve);
    ``resources``: the scenario's extra beds and anaesthetists are options (``whatif``);
    ``cost_after``: the kinds of level the added cost comes right after;
    ``last_level``: ``"cost"`` to stop once the added cost is solved
    (the curve needs nothing after it).
    """

    extras: bool = False
    most_extras: int | None = None
    resources: bool = False
    cost_after: frozenset[LevelKind] = frozenset({LevelKind.SHORTFALL})
    last_level: str | None = None


def capacity_expr(
    cand: Candidates, v: Variables, resource: str, day: int
) -> int | cp_model.LinearExprT | None:
    """The capacity of ``resource`` on ``day`` (``None``: unlimited), plus the units added
    when more is on offer there (the variable is made on first use)."""
    cap = cand.capacity(resource, day)
    lev = cand.levers
    n = None if cap is None or lev is None else lev.resource_at.get((resource, day))
    if n is None or lev is None or cap is None:
        return cap
    var = v.added.get(n)
    if var is None:  # a bed's date may be past the horizon: it belongs to the last one
        var = v.new_added(n, min(day, len(cand.dates) - 1), lev.resources[n].most)
    return cap + var


def add_levers(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Every lever's constraints; nothing at all when the scenario has none."""
    lev = cand.levers
    if lev is None:
        return
    for n, e in enumerate(lev.extras):
        v.new_extra(n, e.day)
    if lev.most_extras is not None and len(lev.extras) > lev.most_extras:
        model.add(sum(v.extra.values()) <= lev.most_extras)  # a point of the curve
    _add_hours(model, cand, lev, v)
    _add_reserves(model, cand, lev, v)


def _add_hours(model: cp_model.CpModel, cand: Candidates, lev: Levers, v: Variables) -> None:
    """A case stays in the hours in use: regular, or the extra session's when taken, plus
    the room-date's overtime."""
    per_room: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for i, d, r in v.room:
        per_room[d, r].append((i, d))
    for (d, r), members in sorted(per_room.items()):
        over: cp_model.IntVar | int = 0
        if lev.overtime:
            over = v.new_overtime(d, r, lev.overtime)
        n = lev.extra_at.get((d, r))
        base = lev.base_span.get((d, r))
        for i, day in members:
            x = v.room[i, day, r]
            end = v.start[i, day] + cand.cases[i].duration_min
            if n is None:
                assert base is not None
                if lev.overtime:
                    model.add(end <= base[1] + over).only_enforce_if(x)
                continue
            extra = v.extra[n]
            e = lev.extras[n]
            if lev.overtime:
                model.add(end <= e.end + over).only_enforce_if(x)
            if base is None:  # an added session: no case without it
                model.add_implication(x, extra)
                continue
            if e.start < base[0]:
                model.add(v.start[i, day] >= base[0]).only_enforce_if([x, extra.Not()])
            if e.end > base[1] or lev.overtime:
                model.add(end <= base[1] + over).only_enforce_if([x, extra.Not()])


def _add_reserves(model: cp_model.CpModel, cand: Candidates, lev: Levers, v: Variables) -> None:
    """Each date keeps its reserve free of elective cases (per specialty where given)."""
    if not lev.reserves:
        return
    turnover = lev.turnover
    for g, group in enumerate(lev.reserves):
        terms = [
            (cand.cases[i].duration_min + turnover, x)
            for (i, d, r), x in v.room.items()
            if d == group.day and r in group.rooms and lev.elective[i]
        ]
        if not terms:
            continue
        load = sum(size * x for size, x in terms)
        most = sum(size for size, _ in terms)
        if not group.extras:
            if most > group.allowance():
                model.add(load <= group.allowance())
            continue
        hours = group.base_min + sum(m * v.extra[n] for n, m in group.extras)
        if group.base_min >= group.minutes:  # never below the reserve: linear as it is
            model.add(load <= hours - group.minutes)
            continue
        used = v.new_reserve_use(g, group.day)
        model.add(load <= most * used)
        model.add(load <= hours - group.minutes).only_enforce_if(used)


def levels_with_cost(levels: list[Level], cost: Level | None, opts: LeverOptions) -> list[Level]:
    """The objective levels with the added cost inserted after ``opts.cost_after`` (and the
    ones after it dropped when ``opts.last_level == "cost"``)."""
    if cost is None:
        return levels
    at = next(
        (k + 1 for k, lv in enumerate(levels) if lv.kind in opts.cost_after),
        len(levels),
    )
    rest = [] if opts.last_level == "cost" else levels[at:]
    return [*levels[:at], cost, *rest]


def cost_level(cand: Candidates, v: Variables) -> Level | None:
    """The added-cost level, or ``None`` when nothing costs (no extra session, no paid
    overtime). With a bound on the number of extra sessions (the curve), a plain
    schedule is scored with the fewest sessions its placements need."""
    lev = cand.levers
    if lev is None or not lev.priced:
        return None
    terms = [o.cost * v.extra[n] for n, o in enumerate(lev.extras) if o.cost]
    terms += [lev.resources[n].cost * var for n, var in v.added.items() if lev.resources[n].cost]
    if lev.overtime_cost:
        terms += [lev.overtime_cost * ot for ot in v.overtime.values()]
    cases = cand.cases
    return Level(
        LevelKind.COST,
        COST_LEVEL_RESOURCES
        if lev.resources
        else COST_LEVEL_WHATIF
        if lev.extras
        else COST_LEVEL_OVERTIME,
        sum(terms),
        lambda sol: capacity_use(lev, cases, sol).cost,
        0,
        unit=1 / SCALE,
    )
