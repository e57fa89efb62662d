"""Ten mornings of a simulated crisis: the daily loop's invariants hold every morning."""

from __future__ import annotations

import pytest

from tests.support.replan_crisis import Crisis, run_crisis


@pytest.fixture(scope="module")
def crisis(tmp_path_factory: pytest.TempPathFactory) -> Crisis:
    return run_crisis(tmp_path_factory.mktemp("crisis"), seed=0)


def test_every_morning_passes_the_checker_against_its_own_scenario(crisis):
    """Each result folder alone (schedule.csv, summary.json, scenario/) obeys the contract."""
    assert len(crisis.mornings) == 10
    for m in crisis.mornings:
        assert m.violations == [], m.today


def test_no_case_is_lost_or_operated_twice(crisis):
    """Every case ever seen is either still on the last morning's list or in exactly one
    done.csv; none comes back after leaving."""
    assert crisis.lost == []
    assert crisis.twice == []
    assert max(crisis.done.values()) == 1
    assert set(crisis.done).isdisjoint(crisis.final_cases)
    assert set(crisis.done) | crisis.final_cases == crisis.every_case


def test_deadlines_are_kept_wherever_capacity_allows(crisis):
    """The deadline level is proven optimal every morning: no schedule misses fewer."""
    for m in crisis.mornings:
        proven = [ok for name, ok in m.levels_proven.items() if name.startswith("deadline")]
        assert all(proven), m.today


def test_announced_appointments_change_only_when_forced(crisis):
    """Every morning the stability level is proven optimal: no schedule as good on deadlines
    and the target changes fewer appointments. A lost session forces at least one change."""
    for m in crisis.mornings:
        assert m.stability_proven, m.today
    assert crisis.totals()["changed"] < crisis.totals()["announced"] / 10
    for m in crisis.mornings:
        assert m.changed >= m.slot_gone


def test_the_crisis_exercises_the_daily_loop(crisis):
    """The seeded mix holds each kind of event, so the invariants above are not vacuous."""
    totals = crisis.totals()
    assert totals["cancelled"] > 0 and totals["emergencies"] > 0
    assert sum(m.reopened for m in crisis.mornings) > 0
    assert sum(m.closed for m in crisis.mornings) > 0
    assert totals["announced"] > 0


def test_call_outcomes_and_urgent_insertions_keep_their_promises(crisis):
    """Declines, unreachable patients and one urgent insertion a day: no declined patient is
    given a date before their until, no unreachable patient's known appointment changes
    without a call, every insertion lists options and its applied result passes the checker
    (in the violations above)."""
    totals = crisis.totals()
    assert totals["declined"] > 0 and totals["unreachable"] > 0
    assert totals["inserted"] == len(crisis.mornings)
    for m in crisis.mornings:
        assert m.early_dates == [], m.today
        assert m.lost_appointments == [], m.today
        assert m.insert_options >= 1
