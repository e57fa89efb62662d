"""The bundled demo scenario solves, and stays as good as recorded (by objective and bound)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

import optimizer
from optimizer.check import check_schedule
from optimizer.report import write_report
from optimizer.scenario.schema import ICU_BED, WARD_BED
from tests.support.level_bounds import bound_problem

# Proven optima of the demo's first three levels (any correct solver must match them).
PROVEN = {
    "deadline misses (most urgent first)": 1.0,  # one emergency miss
    "shortfall below target": 26.0,
    "planned cases kept": 251.0,
}
# The weighted delay this work limit reaches since the demo has stays, one anaesthetist for
# two rooms, unavailable patients and a day's notice for the waiting list (2179, proven,
# before them). Since the kept levels are proven date by date and the delay is searched
# date by date first (issue 20), it is proven optimal within this limit: 2621 before major
# surgery went to ICU and the ICU kept its usual beds, 2605 since: recorded, not asserted
# proven, as other work may change what the limit reaches.
RECORDED_DELAY = 2605.0
# One more bed that date lets a case in earlier: the ICU's (C00302, P2, whom the causes
# blame on the ICU, gets a date) and the ward's.
BINDING = {ICU_BED: dt.date(2024, 4, 25), WARD_BED: dt.date(2024, 4, 18)}


@pytest.fixture(scope="module")
def result(demo_result: optimizer.Result) -> optimizer.Result:
    """The demo solved once for the session (one worker, seed 0, work budget 3)."""
    return demo_result


def test_demo_schedule_passes_the_checker(result):
    """Every case once, every rule of the contract, a summary that matches the schedule."""
    assert len(result.rows) == len(result.scenario.cases) == 319
    assert check_schedule(result.scenario, result.schedule, result.summary) == []


def test_demo_reaches_the_recorded_optima(result):
    """Levels 1-3 are proven optimal at the recorded values, the delay at least as good as
    recorded; every level keeps its bounds."""
    levels = {lv.name: lv for lv in result.levels}
    for name, value in PROVEN.items():
        assert levels[name].value == value
        assert levels[name].status == "OPTIMAL"
    assert levels["weighted delay"].value <= RECORDED_DELAY
    # each level's bound on its own side: a floor for costs, a ceiling for cases kept
    assert [bound_problem(lv) for lv in result.levels] == [None] * len(result.levels)
    # the one miss left is an emergency whose only partner place that day was taken
    assert result.deadline_misses == ["C00126"]
    assert result.summary["totals"]["transferred"] >= 1


def _rank(result: optimizer.Result) -> tuple[float, ...]:
    """The first four levels as one key, lower is better (cases kept negated)."""
    v = {lv.name: lv.value for lv in result.levels}
    return (
        v["deadline misses (most urgent first)"],
        v["shortfall below target"],
        -v["planned cases kept"],
        v["weighted delay"],
    )


@pytest.mark.parametrize("bed", [ICU_BED, WARD_BED])
def test_the_icu_and_the_ward_bind(result, bed):
    """Full is not enough: the causes blame the bed for at least one case, and one more
    bed on its binding date (the rest as is) gives better levels, a schedule the checker
    passes."""
    blamed = [r.case_id for r in result.rows if r.cause == "resource_full"
              and bed in str(r.blocking).split(";")]  # fmt: skip
    assert blamed
    day = BINDING[bed]
    sc = result.scenario
    resources = tuple(
        r.model_copy(update={"capacity": r.capacity + 1}) if (r.resource, r.date) == (bed, day)
        else r
        for r in sc.resources
    )  # fmt: skip
    more = optimizer.solve(sc.model_copy(update={"resources": resources}),
                           workers=1, work_limit=3, time_limit=300, seed=0)  # fmt: skip
    assert check_schedule(more.scenario, more.schedule, more.summary) == []
    assert _rank(more) < _rank(result)
    if bed == ICU_BED:  # the case the causes blame on the ICU is the one the bed lets in
        assert blamed == ["C00302"]
        assert {r.case_id: r.status for r in more.rows}["C00302"] == "scheduled"


def test_the_report_says_which_cases_the_beds_held_back(result, tmp_path):
    """The report's beds section names, for the ICU and for the ward, the cases the causes
    blame on that bed: C00302 for the ICU (its reason: ICU beds at capacity on 18/04 and
    19/04, ICU and ward beds on the later dates); for the ward five: three planned cases whose
    ward beds other cases fill on a date of their stay (C00029 on 16/04: 21 of 21; C00075 on
    18/04 and C00108: 33 of 33), whoever holds their room, and two waiting cases."""
    out = optimizer.write_result(result, tmp_path / "r")
    page = write_report(out, "en").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    icu = "for want of a bed, 1 case could not go ahead as planned or get a date (C00302)."
    ward = (
        "for want of a bed, 5 cases could not go ahead as planned or get a date (C00029, "
        "C00075, C00108, C00307, C00309)."
    )
    assert f"ICU beds: {icu}" in text and f"Ward beds: {ward}" in text
