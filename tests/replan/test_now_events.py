"""Events on a day begun (``replan --now`` with ``--events``): what the events file says of a
case under way does not undo what the day has begun."""

from __future__ import annotations

from pathlib import Path

import pytest

import optimizer
from optimizer.replan.command import prepare
from optimizer.replan.done import done_rows
from optimizer.scenario.schema import ResourceCapacity
from tests.replan.test_replan import D1, hospital, write


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Day 1 as solved: A 08:00, B 09:30, C 11:00 in R1; A needs an ICU bed, the only one."""
    base = hospital()
    cases = tuple(
        c.model_copy(update={"needs_icu": True}) if c.case_id == "A" else c for c in base.cases
    )
    beds = (ResourceCapacity(date=D1, resource="icu_bed", capacity=1),)
    scenario = base.model_copy(update={"cases": cases, "resources": beds})
    result = optimizer.solve(scenario, workers=1, work_limit=1, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("r") / "day1")


def test_an_unreachable_patient_under_way_stays_where_the_day_began(
    first: Path, tmp_path: Path
) -> None:
    """Re-planned on day 1 at 10:00, A (08:00) is under way; the events say A was
    unreachable. A stays at R1 08:00 (fixed there), as every case under way does, instead
    of losing its slot to the ``now`` rule; its announced slot is the one it knew (the
    planned one)."""
    events = write(tmp_path / "e.csv", "case_id,event,until\nA,unreachable,\n")
    morning = prepare(first, D1, events=events, now=600)
    [a] = [c for c in morning.scenario.cases if c.case_id == "A"]
    assert (a.fixed_date, a.fixed_room, a.fixed_start) == (D1, "R1", 480)
    assert (a.announced_date, a.announced_room, a.announced_start) == (D1, "R1", 480)


def test_a_case_done_on_its_day_under_way_says_where_and_holds_its_bed(
    first: Path, tmp_path: Path
) -> None:
    """Re-planned on day 1 at 10:00, A (begun at 08:00) is reported done: ``done.csv`` says
    where it was operated (R1, 08:00-09:00: it is not a case done before its day), and the
    ICU bed it holds on day 1 is taken from the new scenario's beds."""
    events = write(tmp_path / "e.csv", "case_id,event,until\nA,done,\n")
    morning = prepare(first, D1, events=events, now=600)
    [row] = done_rows(morning.plan.done)
    assert row == ["A", "done", str(D1), "R1", "08:00", "09:00", None, "events"]
    [bed] = [r for r in morning.scenario.resources if r.resource == "icu_bed"]
    assert bed.capacity == 0
