"""A morning that skips a day the previous result operated on (a bank holiday whose
sessions were not closed beforehand) says that day's cases are counted as done.

Found on a month of mornings (the month-long daily-loop pass): re-planned on Thursday 09/05
from Tuesday's result, the 36 patients booked on Wednesday 08/05, a bank holiday, left the
list as "done" with nothing said but the count "73 réalisés": never operated, never called
again. The rule stays the contract's (a case the previous result operated before --today is
done); the re-plan now warns, naming the day, so the planner reports them cancelled.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import optimizer
from optimizer.replan.command import prepare
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session
from optimizer.scenario.warning_words import warning_text

D0, D1, D2 = dt.date(2024, 5, 7), dt.date(2024, 5, 8), dt.date(2024, 5, 9)


def _hospital() -> Scenario:
    """One case planned on D0 and D2, two on D1, in R1 (open 08:00-12:00 every date)."""
    slots = ((D0, 480), (D1, 480), (D1, 600), (D2, 480))
    cases = tuple(
        Case(
            case_id=f"C{k}",
            specialty="gen",
            surgeon_id="S1",
            duration_min=60,
            urgency="P3",
            planned_date=d,
            planned_room="R1",
            planned_start=start,
        )  # fmt: skip
        for k, (d, start) in enumerate(slots)
    )
    return Scenario(
        cases=cases,
        rooms=(Room(room_id="R1"),),
        sessions=tuple(Session(date=d, room_id="R1", start=480, end=720) for d in (D0, D1, D2)),
        policy=Policy(start_date=D0, end_date=D2, turnover_min=0),
    )


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = optimizer.solve(_hospital(), workers=1, work_limit=1, seed=0)
    return optimizer.write_result(result, tmp_path_factory.mktemp("skip") / "d0")


def test_a_skipped_day_is_said(first: Path) -> None:
    morning = prepare(first, D2)
    done = {d.case.case_id for d in morning.plan.done}
    assert done == {"C0", "C1", "C2"}  # the contract's rule, unchanged
    said = [w for w in morning.scenario.warnings if "counted as done" in w]
    assert said == [
        "--today 2024-05-09: 2 case(s) the previous result operated on 2024-05-08, after its "
        "first date 2024-05-07, are counted as done; if that day did not take place, report "
        "them cancelled in --events"
    ]
    assert warning_text(said[0], "en") == (
        "--today 2024-05-09: 2 cases the previous result operated on 08/05, after its first "
        "date 2024-05-07, are counted as done; if that day did not take place (a bank "
        "holiday), report them cancelled in --events"
    )
    assert warning_text(said[0], "fr") == (
        "--today 09/05/2024 : 2 interventions que le résultat précédent plaçait le 08/05, "
        "après son premier jour, le 07/05/2024, sont comptées comme faites ; si ce jour n'a "
        "pas eu lieu (un jour férié), déclarez-les « cancelled » (annulées) dans le fichier "
        "des événements"
    )


def test_the_next_working_day_says_nothing(first: Path) -> None:
    morning = prepare(first, D1)
    assert not [w for w in morning.scenario.warnings if "counted as done" in w]
