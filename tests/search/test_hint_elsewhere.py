"""A starting schedule from another run (whatif's baseline, a block's schedule) may place
cases where this run's options do not reach: the search starts from it all the same."""

from __future__ import annotations

import datetime as dt

import optimizer
from optimizer.check import check_schedule
from optimizer.search import SolveOptions
from optimizer.search.driver import search

# a short budget: the regression stopped the search at its first level, whatever the limit
FAST = SolveOptions(work_limit=0.5, workers=1, seed=0)


def test_a_hint_placing_cases_in_a_closed_session_is_placed_again(
    demo_result: optimizer.Result,
) -> None:
    """The demo's schedule (solved once for the session) as the hint of the same demo with
    one of its sessions closed (the busiest with no pinned case): it used to stop with "a
    level is infeasible although a feasible schedule is known"; now the cases of that
    session are placed again, checked."""
    sc, base = demo_result.scenario, demo_result
    assert base.solution is not None
    rooms = [r.room_id for r in sc.rooms]
    pinned = {(c.planned_date, c.planned_room) for c in sc.cases if c.pinned}
    used: dict[tuple[dt.date, str], int] = {}
    for p in base.solution or ():
        if p is not None and p.room is not None:
            key = (sc.policy.start_date + dt.timedelta(days=p.day), rooms[p.room])
            used[key] = used.get(key, 0) + 1
    closed = max((k for k in used if k not in pinned), key=used.__getitem__)
    sessions = tuple(s for s in sc.sessions if (s.date, s.room_id) != closed)
    fewer = sc.model_copy(update={"sessions": sessions})
    result = search(fewer, FAST, hint=base.solution)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    where = (closed[0].isoformat(), closed[1])
    assert where in {(d.isoformat(), r) for d, r in used}  # the hint used it
    assert where not in set(result.schedule[["date", "room_id"]].apply(tuple, axis=1))
