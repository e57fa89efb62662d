"""The checker's own reading of the realism rules: beds over the length of stay (past the
horizon too) and one anaesthetist for several rooms, each caught and each passed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from optimizer.check import check_schedule
from optimizer.scenario.schema import ResourceCapacity
from tests.support.checker_fixtures import D0, D1, D2, case, row, rules, scenario, table

D3 = D2 + dt.timedelta(days=1)


def _schedule(*rows: dict[str, str]) -> pd.DataFrame:
    return table(rows)


@pytest.mark.parametrize(("capacity", "expected"), [(1, {"4"}), (2, set())])
def test_an_icu_stay_counts_on_each_of_its_dates(capacity: int, expected: set[str]) -> None:
    """a stays 2 days in ICU from D0, b is operated on D1: one bed on D1 is too few."""
    cases = [case("a", needs_icu=True, icu_days=2), case("b", needs_icu=True)]
    beds = [ResourceCapacity(date=D1, resource="icu_bed", capacity=capacity)]
    schedule = _schedule(
        row("a", "scheduled", D0, "R1", "08:00", "09:00"),
        row("b", "scheduled", D1, "R1", "08:00", "09:00"),
    )
    violations = check_schedule(scenario(cases, resources=beds), schedule)
    assert rules(violations) == expected
    if expected:
        assert "icu_bed on 2024-04-16" in violations[0].message


@pytest.mark.parametrize(("capacity", "expected"), [(0, {"4"}), (1, set())])
def test_a_ward_stay_is_checked_past_the_horizon(capacity: int, expected: set[str]) -> None:
    """a, operated on the horizon's last date D2 with 2 ward days, holds a ward bed on D3,
    after the horizon: a row there counts."""
    cases = [case("a", ward_days=2)]
    beds = [ResourceCapacity(date=D3, resource="ward_bed", capacity=capacity)]
    schedule = _schedule(row("a", "scheduled", D2, "R1", "08:00", "09:00"))
    assert rules(check_schedule(scenario(cases, resources=beds), schedule)) == expected


@pytest.mark.parametrize(
    ("induction", "b_start", "expected"),
    [(0, "08:00", set()), (30, "08:00", {"4"}), (30, "08:20", {"4"}), (30, "08:30", set())],
)
def test_one_anaesthetist_two_rooms_inducts_one_case_at_a_time(
    induction: int, b_start: str, expected: set[str]
) -> None:
    """One anaesthetist supervises a and b in R1 and R2, but inducts one at a time."""
    cases = [case(c, induction_min=induction) for c in "ab"]
    one = [ResourceCapacity(date=D0, resource="anaesthetist", capacity=1)]
    h, m = b_start.split(":")
    b_end = f"{int(h) + 1:02d}:{m}"
    schedule = _schedule(
        row("a", "scheduled", D0, "R1", "08:00", "09:00"),
        row("b", "scheduled", D0, "R2", b_start, b_end),
    )
    sc = scenario(cases, resources=one, anaesthetist_rooms=2)
    assert rules(check_schedule(sc, schedule)) == expected


@pytest.mark.parametrize(("per_anaesthetist", "expected"), [(1, {"4"}), (2, set())])
def test_running_cases_count_against_rooms_per_anaesthetist(
    per_anaesthetist: int, expected: set[str]
) -> None:
    """a and b run together under one anaesthetist: allowed only with two rooms each."""
    cases = [case(c) for c in "ab"]
    one = [ResourceCapacity(date=D0, resource="anaesthetist", capacity=1)]
    schedule = _schedule(
        row("a", "scheduled", D0, "R1", "08:00", "09:00"),
        row("b", "scheduled", D0, "R2", "08:00", "09:00"),
    )
    sc = scenario(cases, resources=one, anaesthetist_rooms=per_anaesthetist)
    assert rules(check_schedule(sc, schedule)) == expected
