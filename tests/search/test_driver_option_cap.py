"""The driver never builds options without the cap (issue 19): not when it makes the extra
sessions a whatif takes real either, where a region's full set would not fit in memory."""

from __future__ import annotations

from typing import Any

import pytest

from optimizer.facts import candidates
from optimizer.search import SolveOptions, finish
from optimizer.whatif.search import whatif
from tests.support.whatif_fixtures import D1, extra, one_room_day


def test_every_candidate_build_has_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whatif that takes an extra session: every build_candidates call passes max_options."""
    calls: list[Any] = []
    real = candidates.build_candidates

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("max_options"))
        return real(*args, **kwargs)

    monkeypatch.setattr(finish, "build_candidates", spy)  # where the result is made
    answer = whatif(
        one_room_day(extras=(extra("R1", D1, "08:00", "15:00", 2),)),
        options=SolveOptions(work_limit=2.0, seed=0, workers=1),
    )
    assert answer.added and calls and None not in calls
