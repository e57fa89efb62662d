"""Options for scenarios too large to enumerate: what a cut keeps, and that schedules survive."""

from __future__ import annotations

from optimizer.facts.budget import pin_to_starts
from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.search.construct import first_fit, keep_first


def test_a_built_option_budget_keeps_planned_and_deadline_dates() -> None:
    sc = generate(rooms=5, days=5, cases_per_day=15, seed=1).disrupted
    full = build_candidates(sc)
    assert full.days_ahead is None
    total = sum(len(o) for o in full.room_options)
    cut = build_candidates(sc, max_options=total // 3)
    assert cut.days_ahead is not None
    assert sum(len(o) for o in cut.room_options) < total
    for i, (mine, theirs) in enumerate(zip(cut.room_options, full.room_options, strict=True)):
        assert set(mine) <= set(theirs)
        dl, pd = cut.deadline_day[i], cut.planned_day[i]
        must = {o for o in theirs if o.day == pd or (dl is not None and o.day <= dl)}
        assert must <= set(mine), sc.cases[i].case_id
    # the estimate counts sessions, an upper bound on the options: ample budgets cut nothing
    assert build_candidates(sc, max_options=10 * total).days_ahead is None


def test_pinning_to_the_starts_keeps_them_and_the_planned_dates() -> None:
    sc = generate(rooms=5, days=5, cases_per_day=15, seed=1).disrupted
    full = build_candidates(sc)
    starts = [first_fit(full), keep_first(full)]
    pinned = pin_to_starts(full, starts)
    for i, options in enumerate(pinned.room_options):
        spots = {(o.day, o.room) for o in options}
        for start in starts:
            p = start[i]
            if p is not None and p.here:
                assert (p.day, p.room) in spots
        if any(o.day == full.planned_day[i] for o in full.room_options[i]):
            assert any(o.day == full.planned_day[i] for o in options)
