"""A reason that names the first dates with a session and counts the others says one list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from optimizer import solve
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D1 = dt.date(2024, 4, 1)
DAYS = [D1 + dt.timedelta(days=k) for k in range(9)]


def _scenario(language: str) -> Scenario:
    """R2 is closed on D1, where X is planned; R1's one-hour session on each of the 9 dates
    is taken by a pinned case, so X is not scheduled and its reason names the first 6 of the
    8 later dates (taken) and counts the 2 others."""
    pinned = [
        Case(case_id=f"K{k}", specialty="gen", surgeon_id=f"S{k}", duration_min=60,
             urgency="P4", planned_date=d, planned_room="R1", planned_start=480, pinned=True)
        for k, d in enumerate(DAYS)
    ]  # fmt: skip
    x = Case(case_id="X", specialty="gen", surgeon_id="SX", duration_min=60, urgency="P4",
             planned_date=D1, planned_room="R2", planned_start=480)  # fmt: skip
    return Scenario(
        cases=(*pinned, x),
        rooms=(Room(room_id="R1"), Room(room_id="R2")),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=540) for d in DAYS),
        policy=Policy(start_date=D1, end_date=DAYS[-1], language=language),  # type: ignore[arg-type]
        name="more",
    )


@pytest.mark.parametrize(("lang", "last"), [("en", r" and 2 more"), ("fr", r" et 2 autres")])
def test_dates_counted_end_the_list(lang: str, last: str) -> None:
    """Regression: "18/04 (...), 22/04 (...) et 25/04 (...) et 1 autre": the dates named
    were joined with "and" and the count added with another; now "a, b, c and 2 more"."""
    result = solve(_scenario(lang), workers=1, work_limit=1, time_limit=20, seed=0)
    [x] = [r for r in result.rows if r.case_id == "X"]
    assert x.status == "unscheduled"
    listed = x.reason[x.reason.rindex(":") :]
    assert re.search(last + "$", listed), x.reason
    word = " and " if lang == "en" else " et "
    assert listed.count(word) == 1, x.reason
