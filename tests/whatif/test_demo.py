"""whatif on the demo: the closed rooms as extra sessions; the answer passes the checker
with the sessions it adds, meets the target where it says so, and is proven least-cost."""

from __future__ import annotations

import datetime as dt

import optimizer
from optimizer.search import SolveOptions
from optimizer.whatif.search import whatif
from tests.support.paths import DEMO
from tests.support.whatif_fixtures import checked

THURSDAY = dt.date(2024, 4, 18)


def test_the_demo_answer() -> None:
    """Five dates below 90 % now; each reaches it by reopening rooms the attack closed (one
    session a date, two on the attack's Tuesday): six sessions, proven least-cost."""
    sc = optimizer.load_scenario(DEMO)
    assert len(sc.extra_sessions) == 14
    ans = whatif(sc, options=SolveOptions(workers=1, work_limit=1, seed=0))
    checked(ans)
    assert all(d.target_met for d in ans.dates)
    assert [d.date.day for d in ans.dates] == [16, 17, 18, 19, 22]
    (thursday,) = [d for d in ans.dates if d.date == THURSDAY]
    assert (thursday.planned, thursday.kept_now, thursday.needed) == (29, 22, 27)
    assert len(thursday.added) == 1 and thursday.kept_with >= 27
    assert ans.proven and ans.added_cost == len(ans.added) == 6
    # the least-cost answer also leaves no deadline missed (the baseline misses one)
    assert ans.result.deadline_misses == [] and ans.baseline.deadline_misses == ["C00126"]
