"""A case cancelled on the day says so, the next morning, and not "backlog".

Found on a French crisis week: a case reported ``cancelled`` on 15/04 was said, on 16/04,
"prévu le 15/04, avant le premier jour de cette replanification, le 16/04 : en retard ;
reporté au 23/04", as if it had been left over. The re-plan now writes the day it was
cancelled (``cancelled_date`` in the new ``scenario/cases.csv``) and the reason says it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import optimizer
from optimizer.replan.command import prepare
from optimizer.scenario import load_scenario
from tests.replan.test_replan import D1, D2, D3, hospital, write


def _cases(folder: Path) -> dict[str, dict[str, str]]:
    with (folder / "scenario" / "cases.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["case_id"]: r for r in csv.DictReader(fh)}


def test_a_case_cancelled_on_the_day_is_said_cancelled_and_given_a_new_date(
    tmp_path: Path,
) -> None:
    """B (planned 16/04 R1 09:30) is cancelled on 16/04; on 17/04 it gets a new date: its
    reason says it was cancelled on the day, then the new date; in French too. Its cause
    stays the contract's ``backlog`` (planned before the first date). Given that date, the
    next morning it no longer carries the cancellation."""
    first = optimizer.write_result(
        optimizer.solve(hospital(), workers=1, work_limit=2, seed=0), tmp_path / "day1"
    )
    events = write(tmp_path / "events.csv", "case_id,event\nB,cancelled\n")
    morning = prepare(first, D2, events=events)
    b = next(c for c in morning.scenario.cases if c.case_id == "B")
    assert b.cancelled_date == D1 and b.announced_date is None
    result = optimizer.solve(morning.scenario, workers=1, work_limit=2, seed=0)
    row = result.schedule.set_index("case_id").loc["B"]
    assert row["status"] == "postponed" and row["cause"] == "backlog"
    new = f"{row['date'][8:10]}/{row['date'][5:7]}"
    assert row["reason"] == f"operation cancelled on the day, 16/04; postponed to {new}"
    call = result.calls.set_index("case_id").loc["B"]
    assert call["reason"] == row["reason"]
    french = morning.scenario.model_copy(
        update={"policy": morning.scenario.policy.model_copy(update={"language": "fr"})}
    )
    said = optimizer.solve(french, workers=1, work_limit=2, seed=0)
    assert said.schedule.set_index("case_id").loc["B", "reason"] == (
        f"intervention annulée le jour même, le 16/04 ; reporté au {new}"
    )
    day2 = optimizer.write_result(result, tmp_path / "day2")
    assert _cases(day2)["B"]["cancelled_date"] == "2024-04-16"
    read = {c.case_id: c for c in load_scenario(day2 / "scenario").cases}
    assert read["B"].cancelled_date == D1
    later = prepare(day2, D3)
    b3 = next(c for c in later.scenario.cases if c.case_id == "B")
    assert b3.cancelled_date is None and b3.announced_date is not None
