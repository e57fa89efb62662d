"""The master of the decomposition: which cases go to which room on which date, no clock.

The same variables and levels as :func:`optimizer.model.build.build_model`, but
the rules that sequence a day (no two cases of a room, a surgeon, an
anaesthetist or a pool at once; the order of flagged cases) become energy sums:
a room holds at most its minutes, a surgeon operates at most the minutes of
their day, a resource of capacity ``k`` gives at most ``k`` times the minutes
from the day's first session to its last. Every valid schedule meets these
sums, so the master is a relaxation: its optimum of a level whose earlier
levels are fixed as in the whole model is a bound of that level for the whole
problem, and it is solved in a fraction of the whole model's time. When a
schedule sequenced from the master's dates reaches that bound, the level is
proven (logic-based Benders decomposition: ``search/benders.py`` adds the cuts
and, for the weighted delay, each date's caps that ``search/date_cuts.py``
proves).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ortools.sat.python import cp_model

from ..facts.candidates import Candidates
from ..scenario.schema import ANAESTHETIST
from .build import Built, build_model, with_levels
from .capacity import LeverOptions, capacity_expr
from .constraints import add_beds, add_room_minutes
from .variables import Variables, add_variables


def build_master(cand: Candidates, levers: LeverOptions | None = None) -> Built:
    """The relaxed model of ``cand``: assignment to room-dates, energy sums, the levels."""
    model = cp_model.CpModel()
    v = add_variables(model, cand)
    add_room_minutes(model, cand, v)
    _people_and_kit_minutes(model, cand, v)
    return with_levels(model, cand, v, levers)


def _people_and_kit_minutes(model: cp_model.CpModel, cand: Candidates, v: Variables) -> None:
    """Per surgeon and date, and per shared resource and date, the minutes it can give
    (the anaesthetists: ``anaesthetist_rooms`` running cases each); beds over the stays,
    exactly as the whole model has them."""
    earliest: dict[tuple[int, int], int] = {}
    latest: dict[tuple[int, int], int] = {}
    for i, options in enumerate(cand.room_options):
        for o in options:
            first = min(a for a, _ in o.starts)
            last = max(b for _, b in o.starts) + cand.cases[i].duration_min
            earliest[i, o.day] = min(earliest.get((i, o.day), first), first)
            latest[i, o.day] = max(latest.get((i, o.day), last), last)
    pools = cand.scenario.pool_names
    surgeon: dict[tuple[str, int], list[int]] = defaultdict(list)
    users: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, d in v.day:
        c = cand.cases[i]
        surgeon[c.surgeon_id, d].append(i)
        if c.needs_anaesthetist:
            users[ANAESTHETIST, d].append(i)
        for e in c.equipment:
            if e in pools:
                users[e, d].append(i)

    def energy(cases: list[int], d: int, per: int, res: str | None = None) -> None:
        """``per`` times the capacity (1 for a surgeon) times the day's span of minutes."""
        start = min(earliest[i, d] for i in cases)
        end = max(latest[i, d] for i in cases)
        minutes = [cand.cases[i].duration_min for i in cases]
        cap = 1 if res is None else cand.capacity(res, d)
        if cap is None or sum(minutes) <= per * cap * max(0, end - start):
            return
        given = cap if res is None else capacity_expr(cand, v, res, d)  # with units added
        assert given is not None
        room = per * max(0, end - start) * given
        model.add(sum(m * v.day[i, d] for m, i in zip(minutes, cases, strict=True)) <= room)

    for (_s, d), cases in surgeon.items():
        energy(cases, d, 1)
    rooms = cand.scenario.policy.anaesthetist_rooms  # each supervises that many running cases
    for (res, d), cases in users.items():
        energy(cases, d, rooms if res == ANAESTHETIST else 1, res)
    add_beds(model, cand, v)


def build_date(cand: Candidates, day: int, levers: LeverOptions | None = None) -> Built:
    """The relaxation of one date: the cases planned on ``day``, with their options on it
    only, and the cases held there (fixed on it alone); every other case left out, with no
    option at all (unscheduled). Every rule of a date holds as in the whole model, so the
    most planned cases a valid schedule keeps on ``day`` is at most this model's most: a
    bound for the whole problem, date by date (``search/days.py``)."""
    n = len(cand.cases)

    def held_here(i: int) -> bool:
        return (
            cand.pinned[i]
            and bool(cand.room_options[i])
            and (all(o.day == day for o in cand.room_options[i]))
        )

    keep = [cand.planned_day[i] == day or held_here(i) for i in range(n)]
    sub = dataclasses.replace(
        cand,
        room_options=[
            [o for o in cand.room_options[i] if o.day == day] if keep[i] else [] for i in range(n)
        ],
        transfer_options=[[] for _ in range(n)],
        # a held case is in every schedule: required where its options are, else left out
        pinned=[cand.pinned[i] and held_here(i) for i in range(n)],
    )
    return build_model(sub, levers)
