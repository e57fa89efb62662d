"""whatif.json's costs add up: the added cost is its parts, overtime included.

Regression: with overtime allowed, ``whatif.json`` said ``added_cost`` 2.2 and
``sessions_cost`` 1.0 and nothing else: the 1.2 of overtime the added-cost level pays
(the lines printed it, the file did not).
"""

from __future__ import annotations

import pytest

from optimizer.search import SolveOptions
from optimizer.whatif.search import whatif
from tests.support.whatif_fixtures import D1, FAST, extra, one_room_day


def test_the_added_cost_is_its_parts_with_overtime() -> None:
    """Six 60-min cases in R1 08:00-12:00 (three fit; 90 min of overtime fits a fourth), R2
    offered 08:00-10:00 at 1, overtime 0.01 a minute: all six go ahead with R2 and overtime;
    sessions, resources and overtime make the added cost."""
    sc = one_room_day(
        6, (extra("R2", D1, "08:00", "10:00", 1.0),), overtime_max_min=90,
        overtime_cost_per_min=0.01,
    )  # fmt: skip
    summary = whatif(sc, options=SolveOptions(**FAST)).summary
    assert summary["overtime_min"] > 0
    assert summary["overtime_cost"] == pytest.approx(0.01 * summary["overtime_min"])
    parts = summary["sessions_cost"] + summary["overtime_cost"]
    assert summary["added_cost"] == pytest.approx(parts)


def test_no_overtime_no_overtime_keys() -> None:
    """A policy without overtime: whatif.json has no overtime keys (as summary.json)."""
    sc = one_room_day(5, (extra("R2", D1, "08:00", "12:00", 1.0),))
    summary = whatif(sc, options=SolveOptions(**FAST)).summary
    assert "overtime_cost" not in summary and "overtime_min" not in summary
    assert summary["added_cost"] == summary["sessions_cost"] == 1.0
