"""Regression: a window's wall-clock cap made work-limited solves differ under load.

Found by the sweep: the same variant, one worker, same seed and work budget,
gave weighted delays 143, 144 and 145 on a loaded machine, because each
date window of the search was also capped at ``window_seconds`` of wall
time. With a work budget only the budget may stop a window.
"""

from __future__ import annotations

import pytest

from optimizer import SolverParams, solve
from optimizer.generate import generate
from optimizer.search.runner import Runner


def test_work_limited_windows_ignore_the_wall_clock_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a work budget no CP-SAT call of the window search is capped by
    ``window_seconds``, and a cap of (almost) no time changes nothing."""
    sc = generate(rooms=4, days=3, cases_per_day=24, seed=4).disrupted
    windows = SolverParams(lns_min_options=0)  # every level searched window by window
    reference = solve(sc, work_limit=0.6, workers=1, seed=0, time_limit=120, params=windows)
    caps: list[float | None] = []
    real = Runner.solver

    def spy(
        self: Runner, seconds: float | None, work: float | None, workers: int | None = None
    ) -> object:
        caps.append(seconds)
        return real(self, seconds, work, workers)

    monkeypatch.setattr(Runner, "solver", spy)
    starved_params = windows.model_copy(update={"window_seconds": 1e-9})
    starved = solve(sc, work_limit=0.6, workers=1, seed=0, time_limit=120, params=starved_params)
    assert caps and all(c is None or c > 1 for c in caps), caps
    assert starved.rows == reference.rows
