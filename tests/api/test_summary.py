"""The typed summary (optimizer.result.summary) and the status enum: ``to_dict()`` is the dict that
``summary.json`` holds, and the file's bytes are those of that dict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import optimizer
from optimizer.scenario import Scenario


def test_typed_summary_to_dict_is_the_summary(demo_result: optimizer.Result) -> None:
    """Key for key and in order (json.dumps compares the order too)."""
    typed = demo_result.typed_summary
    assert typed.to_dict() == demo_result.summary
    assert json.dumps(typed.to_dict()) == json.dumps(demo_result.summary)
    assert isinstance(typed.solver.status, optimizer.SolveStatus)
    assert isinstance(typed.dates[0].date, dt.date)
    assert typed.totals.planned == sum(d.planned for d in typed.dates)


def test_summary_json_is_the_typed_dict(demo_result: optimizer.Result, tmp_path: Path) -> None:
    """summary.json written for the demo holds exactly the typed summary's dict, status as
    plain text; read back, it gives the same typed summary."""
    folder = optimizer.write_result(demo_result, tmp_path / "out")
    text = (folder / "summary.json").read_text(encoding="utf-8")
    expected = json.dumps(
        demo_result.typed_summary.to_dict(), indent=2, ensure_ascii=False, allow_nan=False
    )
    assert text.rstrip("\n") == expected
    loaded = json.loads(text)
    assert type(loaded["solver"]["status"]) is str
    assert optimizer.Summary.from_dict(loaded) == demo_result.typed_summary


def test_status_is_an_enum_that_compares_as_text(tiny_hospital: Scenario) -> None:
    """The tiny hospital is solved to optimality: OPTIMAL, equal to the old string too."""
    result = optimizer.solve(tiny_hospital, workers=1, time_limit=10, seed=0)
    assert result.status is optimizer.SolveStatus.OPTIMAL
    assert result.status == "OPTIMAL"
    assert result.summary["solver"]["status"] == "OPTIMAL"
    assert type(result.summary["solver"]["status"]) is str
    assert result.typed_summary.to_dict() == result.summary


def test_policy_gives_urgency_order_and_need(tiny_hospital: Scenario) -> None:
    """What the walkthrough recomputed by hand: the urgency order and the target's need
    (26 of 29 misses a 90 % target: 27 are needed)."""
    assert tiny_hospital.policy.urgency_order() == ["EMERGENCY", "P1a", "P1b", "P2", "P3", "P4"]
    assert optimizer.need(29, 0.9) == 27
    assert optimizer.need(2, 0.5) == 1
