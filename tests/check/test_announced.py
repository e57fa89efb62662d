"""The checker's rule for announced appointments: the notice period, and the summary's figures."""

from __future__ import annotations

from optimizer.check import check_schedule, evaluate
from tests.support.checker_fixtures import (
    D1,
    D2,
    reference_rows,
    reference_summary,
    rules,
    scenario,
    table,
    with_case,
)

# p1 (planned D0) is postponed to D1 R1 08:00 by the reference schedule.


def test_a_move_into_the_notice_period_is_a_violation():
    """p1 was announced on D2; with notice_days 2, D0 and D1 are in the notice period."""
    sc = scenario(with_case("p1", announced_date=D2, announced_room="R1"), notice_days=2)
    violations = check_schedule(sc, table(reference_rows().values()))
    assert rules(violations) == {"notice"}
    assert [v.case_id for v in violations] == ["p1"]


def test_no_notice_period_or_an_unchanged_date_is_fine():
    """notice_days 0 lets any move through; the announced date itself is never "moved to"."""
    moved = with_case("p1", announced_date=D2, announced_room="R1")
    assert check_schedule(scenario(moved), table(reference_rows().values())) == []
    same_day = with_case("p1", announced_date=D1, announced_room="R1", announced_start=600)
    assert check_schedule(scenario(same_day, notice_days=2), table(reference_rows().values())) == []


def test_a_deadline_inside_the_notice_period_allows_the_move():
    """p1 as 'urgent' (deadline D0 + 1 = D1, inside the notice period) may move to D1."""
    cases = with_case("p1", announced_date=D2, urgency="urgent")
    assert check_schedule(scenario(cases, notice_days=2), table(reference_rows().values())) == []


def test_changes_are_counted_and_the_summary_must_agree():
    """p1 moved from its announced D2 (a date change, 2) and k1 to another start (1): 3."""
    cases = [
        c.model_copy(update=u)
        for c, u in zip(
            with_case("p1", announced_date=D2),
            [{"announced_date": c.planned_date, "announced_start": 600} if c.case_id == "k1"
             else {} for c in with_case("p1", announced_date=D2)],
            strict=True,
        )
    ]  # fmt: skip
    sc = scenario(cases)
    schedule = table(reference_rows().values())
    assert evaluate(sc, schedule)["announced_changed"] == 3
    summary = reference_summary()
    summary["announced"] = {"announced": 2, "kept": 0, "changed": 2, "date_changed": 1}
    assert check_schedule(sc, schedule, summary) == []
    summary["announced"]["kept"] = 1
    assert rules(check_schedule(sc, schedule, summary)) == {"summary"}
