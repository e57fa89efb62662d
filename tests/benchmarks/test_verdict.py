"""The benchmark's verdict compares schedules in the solver's order, not level by level."""

from __future__ import annotations

from typing import Any

from benchmarks.suite import verdict

CLASSES = ["EMERGENCY", "P2"]


def score(misses: list[int], shortfall: int, kept: int, delay: float) -> dict[str, Any]:
    return {
        "misses_by_class": misses,
        "shortfall": shortfall,
        "kept": kept,
        "kept_weighted": 0.0,
        "weighted_delay": delay,
        "moved": 0,
        "shift_min": 0,
    }


def test_the_first_level_that_differs_decides() -> None:
    base = score([0, 2], 10, 100, 500.0)
    assert verdict(base, base, CLASSES) == "equal"
    # fewer shortfall wins although it keeps fewer and delays more
    assert verdict(score([0, 2], 9, 90, 900.0), base, CLASSES) == "better at shortfall"
    # an emergency miss loses to any number of less urgent misses
    assert verdict(score([1, 0], 0, 200, 0.0), base, CLASSES) == "worse at misses EMERGENCY"
    assert verdict(score([0, 2], 10, 101, 900.0), base, CLASSES) == "better at kept"
    assert verdict(score([0, 2], 10, 100, 600.0), base, CLASSES) == "worse at delay"
