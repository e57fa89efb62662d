"""Property tests of the ``capacity`` edits on random scenarios: an edit is refused as bad
input, or gives a valid scenario whose solved schedule passes the independent checker and
does what the edit says (a surgeon made absent operates nothing those dates; a resource set
to N never runs more than N cases at once those dates)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.result.row import ScheduleRow
from optimizer.scenario import Scenario, ScenarioError
from optimizer.scenario.capacity import change_capacity, horizon_dates
from tests.support.strategies import scenarios

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _running(rows: list[ScheduleRow], day: dt.date, ids: set[str]) -> int:
    """The most cases of ``ids`` operated here at once on ``day``."""
    spans = [(r.start, r.end) for r in rows
             if r.case_id in ids and r.date == day and r.room_id is not None]  # fmt: skip
    points = sorted({s for s, _ in spans if s is not None})
    return max((sum(s <= t < e for s, e in spans if s is not None and e is not None)
                for t in points), default=0)  # fmt: skip


@SETTINGS
@given(data=st.data(), scenario=scenarios(max_cases=8))
def test_an_edit_is_refused_or_solved_as_it_says(data: st.DataObject, scenario: Scenario) -> None:
    days = horizon_dates(scenario)
    picked = data.draw(st.lists(st.sampled_from(days), min_size=1, max_size=2, unique=True))
    dates = [d.isoformat() for d in picked]
    surgeons = sorted({c.surgeon_id for c in scenario.cases})
    off = data.draw(st.lists(st.sampled_from(surgeons), max_size=1)) if surgeons else []
    count = data.draw(st.integers(0, 2))
    resources = [("anaesthetist", count)] if data.draw(st.booleans()) or not off else []
    try:
        edited = change_capacity(scenario, dates=dates, surgeons_off=off, resources=resources)
    except ScenarioError as exc:  # a pinned case the edit takes away: said, not a crash
        assert exc.problems
        return
    result = solve(edited, work_limit=0.5, workers=1, seed=0)
    assert len(result.rows) == len(edited.cases)
    assert check_schedule(result.scenario, result.schedule, result.summary) == []
    rows = list(result.rows)
    surgeon = {c.case_id: c.surgeon_id for c in edited.cases}
    for day in picked:
        for s in off:
            here = [r.case_id for r in rows if r.date == day and r.room_id is not None]
            assert not [c for c in here if surgeon[c] == s], (s, day)
        if resources:
            needing = {c.case_id for c in edited.cases if c.needs_anaesthetist}
            assert _running(rows, day, needing) <= count, (day, count)
