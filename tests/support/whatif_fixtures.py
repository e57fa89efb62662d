"""Small worlds for whatif, and the brute force it is compared with.

The brute force solves the scenario once per subset of its extra sessions
(each made real), with the normal solver, and keeps the lexicographic best of
(deadline misses, shortfall below target, cost of the subset plus the overtime
cost the solver pays): what whatif must find in one search.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from optimizer.check import check_schedule
from optimizer.check.whatif import with_added
from optimizer.scenario.schema import (
    Case,
    ExtraSession,
    Policy,
    Room,
    Scenario,
    Session,
    UrgencyClass,
)
from optimizer.search import solve
from optimizer.whatif.answer import WhatIf
from optimizer.whatif.search import in_horizon
from optimizer.whatif.sessions import as_session, with_sessions

D1 = dt.date(2024, 4, 16)
D2 = dt.date(2024, 4, 17)
FAST: dict[str, Any] = {"workers": 1, "work_limit": 2.0, "time_limit": 60.0, "seed": 0}
CLASSES = {
    "urgent": UrgencyClass(name="urgent", max_delay_days=1, weight=20.0),
    "elective": UrgencyClass(name="elective", max_delay_days=None, weight=1.0),
    "emergency": UrgencyClass(name="emergency", max_delay_days=0, weight=100.0),
}


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def one_room_day(
    n_cases: int = 5,
    extras: tuple[ExtraSession, ...] = (),
    *,
    target: float = 0.9,
    **policy: Any,
) -> Scenario:
    """``n_cases`` elective cases of 60 min planned on D1 in R1 (08:00-12:00: three fit,
    with the 30 min turnover); R2 closed on D1; both rooms open 08:00-12:00 on D2."""
    cases = tuple(
        Case(case_id=f"C{k}", specialty="gen", surgeon_id=f"S{k}", duration_min=60,
             urgency="elective", planned_date=D1, planned_room="R1",
             planned_start=hm("08:00") + 90 * k)
        for k in range(n_cases)
    )  # fmt: skip
    sessions = (
        Session(date=D1, room_id="R1", start=hm("08:00"), end=hm("12:00")),
        Session(date=D2, room_id="R1", start=hm("08:00"), end=hm("12:00")),
        Session(date=D2, room_id="R2", start=hm("08:00"), end=hm("12:00")),
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=sessions,
        extra_sessions=extras,
        policy=Policy(start_date=D1, end_date=D2, target_ratio=target, urgency=CLASSES, **policy),
    )


def extra(room: str, day: dt.date, start: str, end: str, cost: float) -> ExtraSession:
    return ExtraSession(date=day, room_id=room, start=hm(start), end=hm(end), cost=cost)


def random_world(seed: int) -> Scenario:
    """A random small scenario: 2-3 rooms, 2 dates, 4-8 cases, 2-3 extra sessions (added or
    lengthened), sometimes overtime or a reserve."""
    rng = random.Random(seed)
    days = [D1, D2]
    rooms = [Room(room_id=f"R{r}") for r in range(rng.randint(2, 3))]
    sessions, extras = [], []
    for d in days:
        for room in rooms:
            if rng.random() < 0.5:
                start = rng.choice([hm("08:00"), hm("09:00")])
                end = start + rng.choice([180, 240])
                sessions.append(Session(date=d, room_id=room.room_id, start=start, end=end))
                if rng.random() < 0.3:
                    extras.append(
                        ExtraSession(
                            date=d,
                            room_id=room.room_id,
                            start=start,
                            end=end + 120,
                            cost=rng.choice([1, 2, 3]),
                        )
                    )
            elif rng.random() < 0.6:
                extras.append(
                    ExtraSession(
                        date=d,
                        room_id=room.room_id,
                        start=hm("08:00"),
                        end=hm("12:00"),
                        cost=rng.choice([1, 2, 4]),
                    )
                )
    if not any(s.date == D1 for s in sessions):
        sessions.append(Session(date=D1, room_id="R0", start=hm("08:00"), end=hm("11:00")))
        extras = [e for e in extras if (e.date, e.room_id) != (D1, "R0")]
    extras = extras[:3]
    cases = []
    for k in range(rng.randint(4, 8)):
        urgency = rng.choice(["elective", "elective", "urgent"])
        cases.append(Case(case_id=f"C{k}", specialty="gen", surgeon_id=f"S{k % 4}",
                          duration_min=rng.choice([45, 60, 90]), urgency=urgency,
                          planned_date=D1 if k % 3 else D2))  # fmt: skip
    policy: dict[str, Any] = {}
    if rng.random() < 0.3:
        policy.update(overtime_max_min=rng.choice([30, 60]), overtime_cost_per_min=0.05)
    if rng.random() < 0.3:
        policy.update(reserve_min=rng.choice([60, 120]))
    return Scenario(
        cases=tuple(cases),
        rooms=tuple(rooms),
        sessions=tuple(sessions),
        extra_sessions=tuple(extras),
        policy=Policy(start_date=D1, end_date=D2, target_ratio=0.9, urgency=CLASSES, **policy),
    )


def level(result: Any, start: str) -> float:
    """The value of the first level whose name starts with ``start`` (0 when absent)."""
    return next((lv.value for lv in result.levels if lv.name.startswith(start)), 0.0)


def brute_force(scenario: Scenario) -> tuple[float, float, float]:
    """The best (deadline misses, shortfall, added cost) over every subset of extra sessions."""
    best: tuple[float, float, float] | None = None
    offered = in_horizon(scenario)
    for size in range(len(offered) + 1):
        for subset in itertools.combinations(offered, size):
            result = solve(with_sessions(scenario, subset), **FAST)
            for lv in result.levels[:2]:
                assert lv.proven, (subset, lv)
            overtime = level(result, "overtime cost")
            key = (
                level(result, "deadline misses"),
                level(result, "shortfall"),
                round(sum(e.cost for e in subset) + overtime, 2),
            )
            best = key if best is None else min(best, key)
    assert best is not None
    return best


def checked(answer: WhatIf) -> None:
    """The answer's schedule passes the checker with the added sessions, on its own too."""
    added = [as_session(answer.scenario, e) for e in answer.added]
    with_them, problems = with_added(answer.scenario, added)
    assert problems == []
    result = answer.result
    assert check_schedule(with_them, result.schedule, result.summary) == []
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    for d in answer.dates:
        if d.target_met:
            assert d.kept_with >= d.needed
