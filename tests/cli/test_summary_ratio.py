"""The summary's ratios are the kept cases over the planned ones, rounded once."""

from __future__ import annotations

from typing import Any

import pytest

from optimizer.cli.summary import summary_lines


def _summary() -> dict[str, Any]:
    """The imported OR quarter's first week (import-or-utilization --weeks 1, seed 0):
    summary.json holds its ratios rounded to 4 decimals, 20/37 as 0.5405, 30/38 as 0.7895."""
    return {
        "target_ratio": 0.9,
        "dates": [
            {"date": "2022-01-04", "planned": 37, "kept": 20, "ratio": 0.5405, "target_met": False},
            {"date": "2022-01-07", "planned": 38, "kept": 30, "ratio": 0.7895, "target_met": False},
        ],
        "totals": {"planned": 75, "kept": 50, "ratio": 0.6667, "postponed": 0,
                   "transferred": 0, "unscheduled": 25, "scheduled": 0, "deadline_misses": 0},
        "deadline_misses": [],
        "solver": {"status": "OPTIMAL", "wall_time_s": 1.0, "limiting_level": None},
        "interrupted": False,
        "run": {},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "first", "last"), [("en", "54.1%", "78.9%"), ("fr", "54,1\u202f%", "78,9\u202f%")]
)
def test_summary_ratio_rounded_once(lang: str, first: str, last: str) -> None:
    """Regression: 20/37 (54.05 %) printed "54.0 %" and 30/38 (78.95 %) "79.0 %": the
    summary's ratio, already rounded to 4 decimals, was rounded again to 1."""
    lines = summary_lines(_summary(), lang)  # type: ignore[arg-type]
    assert first in lines[1] and last in lines[2], lines[1:3]
