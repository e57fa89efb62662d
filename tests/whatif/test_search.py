"""whatif: the least-cost extra sessions that reach the target, found by the model itself.

Every answer is checked by the independent checker against the scenario plus
the sessions it added (and no other), and on small worlds its cost is the
brute force's over every subset of extra sessions.
"""

from __future__ import annotations

import pytest

from optimizer.search import SolveOptions
from optimizer.whatif.search import whatif
from tests.support.whatif_fixtures import (
    D1,
    D2,
    FAST,
    brute_force,
    checked,
    extra,
    level,
    one_room_day,
    random_world,
)

LIMITS = SolveOptions(**FAST)


def test_the_cheaper_lengthening_beats_reopening_a_room() -> None:
    """Five 60 min cases on D1 in R1 (08:00-12:00): three fit with the turnover (3 of 5,
    60 %); 90 % needs all five. Lengthening R1 to 15:00 (cost 2) fits five: starts 08:00,
    09:30, 11:00, 12:30, 14:00. Reopening R2 (cost 3) would too, and to 13:00 (cost 1)
    fits only four. Least cost: the lengthening to 15:00, proven."""
    sc = one_room_day(
        extras=(
            extra("R1", D1, "08:00", "15:00", 2),
            extra("R2", D1, "08:00", "12:00", 3),
            extra("R2", D2, "08:00", "13:00", 1),
        )
    )
    ans = whatif(sc, options=LIMITS)
    assert [(e.room_id, e.date, e.cost) for e in ans.added] == [("R1", D1, 2)]
    (row,) = ans.dates
    assert (row.planned, row.kept_now, row.kept_with, row.target_met) == (5, 3, 5, True)
    assert row.added_cost == 2 and ans.proven
    checked(ans)


def test_a_date_that_cannot_reach_the_target_says_how_close_it_gets() -> None:
    """Seven cases, target 100 %: R1 lengthened to 15:00 keeps five, R2 reopened 08:00-10:00
    one more (the next would end at 10:30): six of the seven needed, with both."""
    sc = one_room_day(
        7,
        extras=(extra("R1", D1, "08:00", "15:00", 2), extra("R2", D1, "08:00", "10:00", 1)),
        target=1.0,
    )
    ans = whatif(sc, options=LIMITS)
    (row,) = ans.dates
    assert (row.kept_now, row.kept_with, row.needed, row.short_by) == (3, 6, 7, 1)
    assert not row.target_met
    checked(ans)


def test_nothing_to_add_when_every_date_meets_the_target() -> None:
    sc = one_room_day(3, extras=(extra("R2", D1, "08:00", "12:00", 1),))
    ans = whatif(sc, options=LIMITS)
    assert ans.added == () and ans.dates == () and ans.cost_level is None


def test_solve_itself_pays_overtime_to_reach_the_target() -> None:
    """Four cases, target 100 %, up to 90 min overtime at 0.01 a minute: the fourth runs
    12:30-13:30, 90 min over, so the schedule as it is already meets the target."""
    sc = one_room_day(
        4,
        extras=(extra("R2", D1, "08:00", "12:00", 1),),
        target=1.0,
        overtime_max_min=90,
        overtime_cost_per_min=0.01,
    )
    ans = whatif(sc, options=LIMITS)
    assert ans.added == () and ans.dates == ()
    overtime = ans.baseline.summary["overtime"]
    assert overtime["used"] == [{"date": D1.isoformat(), "room_id": "R1", "minutes": 90}]
    assert level(ans.baseline, "overtime cost") == pytest.approx(0.9)


def test_a_lengthening_and_overtime_together_beat_a_dearer_room() -> None:
    """Five cases, target 100 %, up to 90 min overtime at 0.01: R1 lengthened to 13:30
    (cost 0.5) holds four (the fourth ends 13:30), and the fifth runs 14:00-15:00 in 90 min
    of overtime: 0.5 + 0.9 = 1.4, less than reopening R2 (cost 2)."""
    sc = one_room_day(
        5,
        extras=(extra("R1", D1, "08:00", "13:30", 0.5), extra("R2", D1, "08:00", "12:00", 2)),
        target=1.0,
        overtime_max_min=90,
        overtime_cost_per_min=0.01,
    )
    ans = whatif(sc, options=LIMITS)
    assert [(e.room_id, e.cost) for e in ans.added] == [("R1", 0.5)]
    assert ans.result.summary["overtime"]["used"] == [
        {"date": D1.isoformat(), "room_id": "R1", "minutes": 90}
    ]
    assert ans.added_cost == pytest.approx(1.4) and ans.proven
    checked(ans)


@pytest.mark.parametrize("seed", range(12))
def test_least_cost_equals_the_brute_force(seed: int) -> None:
    """Random small worlds (added and lengthened sessions, sometimes overtime or a reserve):
    whatif's (misses, shortfall, added cost) is the best over every subset of extra
    sessions, each solved by the normal solver."""
    sc = random_world(seed)
    ans = whatif(sc, options=LIMITS)
    checked(ans)
    if ans.cost_level is None:  # nothing below target, or nothing to add
        return
    assert ans.proven
    got = (
        level(ans.result, "deadline misses"),
        level(ans.result, "shortfall"),
        round(ans.added_cost, 2),
    )
    assert got == brute_force(sc)
