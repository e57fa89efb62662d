"""Property tests with the levers: on random scenarios with overtime, a reserve and extra
sessions, every schedule (solve's, first fit's, whatif's) passes the independent checker, and
the levers' Python scoring agrees with the model on the constructive schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizer import solve
from optimizer.check import check_schedule
from optimizer.facts.candidates import build_candidates
from optimizer.model.build import build_model
from optimizer.model.capacity import LeverOptions
from optimizer.result.result import make_result
from optimizer.scenario.schema import ExtraSession, Scenario
from optimizer.search import SolveOptions
from optimizer.search.construct import first_fit
from optimizer.whatif.search import whatif
from tests.search.test_solve_properties import check_level_consistency
from tests.support.strategies import SPECIALTIES, scenarios
from tests.support.whatif_fixtures import checked

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def with_levers(draw: st.DrawFn) -> Scenario:
    """A random scenario, given overtime, a reserve and extra sessions (added or lengthened)."""
    sc = draw(scenarios())
    policy: dict[str, Any] = {}
    if draw(st.booleans()):
        policy["overtime_max_min"] = draw(st.sampled_from([15, 60]))
        policy["overtime_cost_per_min"] = draw(st.sampled_from([0.0, 0.05, 1.0]))
    if draw(st.booleans()):
        policy["reserve_min"] = draw(st.sampled_from([30, 120, 600]))
    if draw(st.booleans()):
        policy["reserve"] = {draw(st.sampled_from(SPECIALTIES)): draw(st.sampled_from([60, 240]))}
    p = sc.policy.model_copy(update=policy)
    if p.reserves:  # pinned elective cases that break a reserve are bad input
        assume(not any(c.pinned and p.is_elective(c.urgency) for c in sc.cases))
    open_ = {(s.date, s.room_id): s for s in sc.sessions}
    extras = []
    for d in p.dates:
        for room in sc.rooms:
            if draw(st.integers(0, 2)) != 0:
                continue
            s = open_.get((d, room.room_id))
            cost = draw(st.sampled_from([0.0, 1.0, 2.5]))
            if s is None:
                start = draw(st.sampled_from([420, 480]))
                extras.append(ExtraSession(date=d, room_id=room.room_id, start=start,
                                           end=start + 240, cost=cost))  # fmt: skip
            elif s.end + 60 <= 1440:
                extras.append(ExtraSession(date=d, room_id=room.room_id, start=max(0, s.start - 30),
                                           end=s.end + 60, cost=cost))  # fmt: skip
    fields = {name: getattr(sc, name) for name in Scenario.model_fields}
    fields.update(policy=p, extra_sessions=tuple(extras))
    return Scenario(**fields)


@SETTINGS
@given(with_levers())
def test_solve_with_levers_passes_the_checker(scenario: Scenario) -> None:
    result = solve(scenario, time_limit=5, workers=1)
    assert result.violations == ()
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


@SETTINGS
@given(with_levers())
def test_first_fit_keeps_the_reserve_and_the_model_agrees(scenario: Scenario) -> None:
    """The constructive schedule (regular hours, reserve kept) passes the checker, and the
    model accepts it with every lever variable at the value Python gives it."""
    for extras in (False, True):
        cand = build_candidates(scenario, extras=extras)
        sol = first_fit(cand)
        if not extras:
            result = make_result(scenario, cand, sol, [], wall_time=0.0, interrupted=False,
                                 settings={})  # fmt: skip
            assert result.violations == ()
        built = build_model(cand, LeverOptions(extras=extras))
        assert check_level_consistency(built, cand, sol) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_levers())
def test_whatif_answers_pass_the_checker(scenario: Scenario) -> None:
    ans = whatif(scenario, options=SolveOptions(workers=1, time_limit=5, work_limit=1.0))
    checked(ans)
    offered = set(scenario.extra_sessions)
    assert all(e in offered for e in ans.added)
    assert ans.result.scenario.policy.start_date == scenario.policy.start_date
    assert isinstance(ans.scenario.policy.start_date, dt.date)
