"""The planner's overrides: a case fixed where the planner says, judged by the data model."""

from __future__ import annotations

import pytest

from optimizer.scenario import Scenario, ScenarioError
from optimizer.scenario.edit import close_room
from optimizer.scenario.override import fix_case, release_case


def _free(s: Scenario) -> tuple[str, str, str]:
    """Case A (planned D0, not pinned) and R1's session on D1."""
    return "A", s.sessions[-1].date.isoformat(), s.sessions[-1].room_id


def test_fix_then_release_a_case(tiny_hospital: Scenario) -> None:
    """Fixing sets the three columns (planned_date stays); releasing clears them; the
    original scenario is untouched."""
    case_id, date, room = _free(tiny_hospital)
    before = next(c for c in tiny_hospital.cases if c.case_id == case_id)
    fixed = fix_case(tiny_hospital, case_id, date, room=room)
    case = next(c for c in fixed.cases if c.case_id == case_id)
    assert (case.fixed_date.isoformat() if case.fixed_date else None, case.fixed_room) == (
        date,
        room,
    )
    assert case.planned_date == before.planned_date and case.fixed_start is None
    assert fixed.input_hash != tiny_hospital.input_hash
    freed = next(c for c in release_case(fixed, case_id).cases if c.case_id == case_id)
    assert (freed.fixed_date, freed.fixed_room, freed.fixed_start) == (None, None, None)
    assert next(c for c in tiny_hospital.cases if c.case_id == case_id).fixed_date is None


def test_bad_overrides_are_refused_with_the_problem_named(tiny_hospital: Scenario) -> None:
    """An unknown case or room, a start that is no time, a room with no session that date:
    each refused, naming what is wrong."""
    case_id, date, room = _free(tiny_hospital)
    with pytest.raises(ScenarioError, match="NOBODY"):
        fix_case(tiny_hospital, "NOBODY", date)
    with pytest.raises(ScenarioError, match="R99"):
        fix_case(tiny_hospital, case_id, date, room="R99")
    with pytest.raises(ScenarioError, match="fixed_start"):
        fix_case(tiny_hospital, case_id, date, room=room, start="25h")
    closed = close_room(tiny_hospital, room, date)
    with pytest.raises(ScenarioError, match="session"):
        fix_case(closed, case_id, date, room=room)
