"""The option budget: how many (date, room) options a very large instance may have.

Before the candidates are built, :func:`allowed_days` picks the dates whose
options fit the budget; after, :func:`restrict` and :func:`pin_to_starts` cut
built candidates down around the starting schedules. Bounds proven on fewer
options hold for them only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..scenario.schema import Case, Scenario
    from .candidates import Candidates, RoomOption
    from .solution import Placement


def allowed_days(
    scenario: Scenario,
    day_of: dict[dt.date, int],
    hosts: Callable[[Case], list[list[tuple[int, int, int]]]],
    budget: int | None,
) -> tuple[list[set[int]] | None, int | None]:
    """Per case, the dates whose options are built when the estimate exceeds ``budget``.

    The estimate counts, per case and date from its earliest, the sessions that
    could host it (an upper bound on its options there). Returns ``(None,
    None)`` when everything fits.
    """
    if budget is None:
        return None, None
    policy = scenario.policy
    per_case: list[list[tuple[int, int]]] = []  # (day, sessions) from the earliest
    must: list[set[int]] = []
    for c in scenario.cases:
        first = max(d for d in (policy.start_date, c.planned_date, c.release_date) if d)
        outside = c.planned_date is not None and c.planned_date > policy.end_date
        if outside or first > policy.end_date or c.fixed_slot is not None:
            per_case.append([])
            must.append(set())
            continue
        by_day = hosts(c)
        days = [(d, len(by_day[d])) for d in range(day_of[first], len(by_day)) if by_day[d]]
        dl = scenario.deadline(c)
        last = -1 if dl is None or dl > policy.end_date else (dl - policy.start_date).days
        keep = {d for d, _ in days if d <= last}
        if c.planned_date is not None and c.planned_date in day_of:
            keep.add(day_of[c.planned_date])
        per_case.append(days)
        must.append(keep)

    # the estimate for k: per case, its must dates' sessions, plus those of its first k dates
    # not among them (prefix sums: each k is then a sum over the cases, not a rebuild)
    base = 0
    extra: list[list[int]] = []
    for days, keep in zip(per_case, must, strict=True):
        base += sum(n for d, n in days if d in keep)
        sums = [0]
        for d, n in days:
            sums.append(sums[-1] + (0 if d in keep else n))
        extra.append(sums)

    def estimate(k: int) -> int:
        return base + sum(sums[min(k, len(sums) - 1)] for sums in extra)

    horizon = len(day_of)
    if estimate(horizon) <= budget:
        return None, None
    lo, hi = 0, horizon
    while lo < hi:  # the largest k whose estimate fits the budget
        mid = (lo + hi + 1) // 2
        if estimate(mid) <= budget:
            lo = mid
        else:
            hi = mid - 1
    chosen = [keep | {d for d, _ in days[:lo]} for days, keep in zip(per_case, must, strict=True)]
    return chosen, lo


def restrict(
    cand: Candidates, keep: Sequence[Sequence[Placement | None]], budget: int
) -> tuple[Candidates, int | None]:
    """Fewer options for very large instances: at most ``budget`` room options in all.

    Every case keeps its options on its planned date, on every date up to its
    deadline, on the dates the schedules in ``keep`` place it (so they stay
    valid hints), and on its first ``k`` other dates, with ``k`` as large as the
    budget allows. Returns the restricted candidates and ``k`` (``None`` if
    nothing was cut). Bounds proven on the restricted model hold for it only.
    """
    total = sum(len(o) for o in cand.room_options)
    if total <= budget:
        return cand, None
    kept_days = [
        {p.day for p in placements if p is not None and p.here}
        for placements in zip(*keep, strict=True)
    ]

    def select(k: int) -> list[list[RoomOption]]:
        out = []
        for i, options in enumerate(cand.room_options):
            if cand.pinned[i]:  # held: its few options, all of them
                out.append(options)
                continue
            slot = cand.announced[i]
            must = kept_days[i] | {cand.planned_day[i], slot.day if slot is not None else None}
            dl = cand.deadline_day[i]
            days = sorted({o.day for o in options})
            extra = set(days[:k])
            chosen = [
                o
                for o in options
                if o.day in must or o.day in extra or (dl is not None and o.day <= dl)
            ]
            out.append(chosen)
        return out

    least = select(0)
    if sum(len(o) for o in least) > budget:  # every k is over (a region): the search ends at 0
        return dataclasses.replace(cand, room_options=least), 0
    lo, hi = 0, len(cand.dates)
    while lo < hi:  # the largest k whose selection fits the budget
        mid = (lo + hi + 1) // 2
        if sum(len(o) for o in select(mid)) <= budget:
            lo = mid
        else:
            hi = mid - 1
    restricted = dataclasses.replace(cand, room_options=select(lo))
    return restricted, lo


def pin_to_starts(cand: Candidates, keep: Sequence[Sequence[Placement | None]]) -> Candidates:
    """The fewest options that still hold the starting schedules ``keep``: per case, the
    (date, room) each of them uses, and one option on its planned date (its planned room's
    if it has one), so "every plannable case kept" stays the same bound; and the room
    options by which a case could still make up what the starts lose on it: a case with a
    deadline in the horizon that no start places by it keeps every option up to it (so
    that the model knows which misses no schedule avoids), a planned case no start keeps
    on its planned date every option that date.

    For models that :func:`restrict` cannot bring near its budget (a region: the
    planned dates and the dates to the deadlines alone are millions of options).
    """
    used = [
        {(p.day, p.room) for p in placements if p is not None and p.here}
        for placements in zip(*keep, strict=True)
    ]
    options = []
    for i, opts in enumerate(cand.room_options):
        pd, pr = cand.planned_day[i], cand.planned_room[i]
        if cand.pinned[i]:  # held: its few options, all of them
            options.append(opts)
            continue
        dl = cand.deadline_day[i]
        if dl is not None and not any(_in_time(s[i], dl) for s in keep):
            options.append([o for o in opts if o.day <= dl or (o.day, o.room) in used[i]])
            continue
        if pd is not None and not any(_kept(s[i], pd) for s in keep):
            options.append([o for o in opts if o.day == pd or (o.day, o.room) in used[i]])
            continue
        chosen = [o for o in opts if (o.day, o.room) in used[i]]
        on_planned = [o for o in opts if o.day == pd]
        if on_planned and not any(o.day == pd for o in chosen):
            chosen.append(next((o for o in on_planned if o.room == pr), on_planned[0]))
        options.append(chosen)
    return dataclasses.replace(cand, room_options=options, days_ahead=0)


def _in_time(p: Placement | None, deadline: int) -> bool:
    return p is not None and p.day <= deadline


def _kept(p: Placement | None, day: int) -> bool:
    return p is not None and p.here and p.day == day
