"""The options of a time-limited run: built most urgent first, and past their deadline each
case left keeps one date, so that a region's options cannot eat the whole time limit."""

from __future__ import annotations

import time

from optimizer.facts.candidates import build_candidates
from optimizer.generate import generate
from optimizer.result.result import make_result
from optimizer.search.construct import first_fit


def test_a_deadline_not_reached_changes_no_option() -> None:
    """Built most urgent first with time to spare: the very same options as without."""
    sc = generate(rooms=8, days=6, cases_per_day=35, seed=5).disrupted
    plain = build_candidates(sc)
    timed = build_candidates(sc, deadline=time.monotonic() + 3600)
    assert timed.room_options == plain.room_options
    assert timed.transfer_options == plain.transfer_options
    assert timed.cut_short == 0


def test_past_the_deadline_each_case_keeps_its_planned_date() -> None:
    """A deadline already passed: every case in the run keeps only options on one date (its
    planned date when in the horizon), the count says how many, and the first fit on them
    is still a valid schedule."""
    sc = generate(rooms=8, days=6, cases_per_day=35, seed=5).disrupted
    plain = build_candidates(sc)
    cut = build_candidates(sc, deadline=time.monotonic() - 1)
    assert cut.cut_short > 0
    assert sum(map(len, cut.room_options)) < sum(map(len, plain.room_options))
    for i, opts in enumerate(cut.room_options):
        days = {o.day for o in opts}
        assert len(days) <= 1
        if days and cut.planned_day[i] is not None:
            assert days == {cut.planned_day[i]}
    result = make_result(sc, cut, first_fit(cut), [], wall_time=0.0, interrupted=False,
                         settings={})  # fmt: skip
    assert result.violations == ()
