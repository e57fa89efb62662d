"""The terminal summary says the planned cases' fate apart from the other cases' (waiting
list, planned before or after the horizon), as the report's first page does."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer import solve
from optimizer.cli.summary import summary_lines
from optimizer.result.summary import Summary
from optimizer.scenario.schema import Case, Policy, Room, Scenario, Session

D0 = dt.date(2024, 5, 6)


def _one_hour_left() -> Scenario:
    """R1 is open 08:00-09:00 on D0 only. A (planned 08:00, 60 min) is kept; B (planned
    09:00) has no time left; W (waiting) and K (planned the day before: backlog) neither:
    three cases unscheduled, one of them planned."""

    def case(cid: str, **planned: object) -> Case:
        return Case(case_id=cid, specialty="gen", surgeon_id=f"S{cid}", duration_min=60,
                    urgency="P4", **planned)  # type: ignore[arg-type]  # fmt: skip

    return Scenario(
        cases=(
            case("A", planned_date=D0, planned_room="R1", planned_start=480),
            case("B", planned_date=D0, planned_room="R1", planned_start=540),
            case("W"),
            case("K", planned_date=D0 - dt.timedelta(days=1)),
        ),
        rooms=(Room(room_id="R1"),),
        sessions=(Session(date=D0, room_id="R1", start=480, end=540),),
        policy=Policy(start_date=D0, end_date=D0, turnover_min=0),
    )


@pytest.mark.parametrize(
    ("lang", "planned", "others"),
    [
        ("en", "of the planned cases: 0 postponed, 0 transferred, 1 unscheduled",
         "Other cases (waiting list, planned outside these dates): 0 given a date, "
         "0 transferred, 2 without a date."),
        ("fr", "parmi les cas prévus : 0 reporté, 0 transféré, 1 non programmé",
         "Autres cas (liste d'attente, prévus hors de ces dates) : 0 a reçu une date, "
         "0 transféré, 2 sans date."),
    ],
)  # fmt: skip
def test_unscheduled_planned_cases_are_said_apart_from_the_others(
    lang: str, planned: str, others: str
) -> None:
    """Regression: "Total kept 1/2 (50.0%); postponed 0, transferred 0, unscheduled 3": B,
    the one planned case not kept, beside W (waiting list) and K (backlog), which the
    report's first page says apart. summary.json keeps its contract's totals and adds the
    split."""
    result = solve(_one_hour_left(), work_limit=1.0, workers=1, seed=0)
    totals = result.summary["totals"]
    assert (totals["planned"], totals["kept"], totals["unscheduled"]) == (2, 1, 3)
    assert (totals["planned_unscheduled"], totals["others_unscheduled"]) == (1, 2)
    lines = summary_lines(result.summary, lang)  # type: ignore[arg-type]
    text = "\n".join(lines)
    assert planned in text and others in lines, text
    assert Summary.from_dict(result.summary).to_dict() == result.summary


def test_a_summary_written_before_the_split_is_still_said() -> None:
    """A summary.json without the split (an older result folder) reads back as written and
    its totals are said as they are, without claiming which were planned."""
    summary = solve(_one_hour_left(), work_limit=1.0, workers=1, seed=0).summary
    split = [k for k in summary["totals"] if k.startswith(("planned_", "others_"))]
    for k in split:
        del summary["totals"][k]
    assert Summary.from_dict(summary).to_dict() == summary
    text = "\n".join(summary_lines(summary, "en"))
    assert "unscheduled 3" in text and "of the planned cases" not in text
